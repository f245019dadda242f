/**
 * Runtime lists of the contract's channels and the `window.api` method names derived from them. The preload
 * builds the bridge from these lists and main registers its IPC handlers from the same contract, so a
 * channel cannot exist on one side only. Types only from the contract; no other imports (the sandboxed
 * preload bundles this file).
 */
import type { CallChannel, CallMethodName, EventChannel, EventMethodName } from './contract';

export const CALL_CHANNELS = [
  'app:info',
  'models:list',
  'engine:status',
  'engine:load',
  'engine:unload',
  'conversations:list',
  'conversations:create',
  'conversations:get',
  'conversations:delete',
  'chat:send',
  'chat:abort',
  'hardware:fit',
  'hardware:profile',
  'hardware:reprobe',
  'hardware:setBackend',
  'hardware:calibrate',
  'library:folders',
  'library:addFolder',
  'library:removeFolder',
  'library:import',
  'library:delete',
  'catalog:list',
  'hf:search',
  'hf:files',
  'hf:resolve',
  'hf:getSettings',
  'hf:setSettings',
  'downloads:list',
  'downloads:start',
  'downloads:pause',
  'downloads:resume',
  'downloads:cancel',
  'downloads:dismiss',
] as const satisfies readonly CallChannel[];

export const EVENT_CHANNELS = [
  'chat:stream',
  'engine:status',
  'hardware:changed',
  'hardware:loadStep',
  'downloads:event',
  'models:changed',
] as const satisfies readonly EventChannel[];

// `satisfies` above rejects a listed channel the contract lacks; these reject a contract channel the lists
// lack. The compiler names the missing channel: "Type '"x:y"' does not satisfy the constraint 'never'".
type Unlisted<T extends never> = T;
type _EveryCallChannelListed = Unlisted<Exclude<CallChannel, (typeof CALL_CHANNELS)[number]>>;
type _EveryEventChannelListed = Unlisted<Exclude<EventChannel, (typeof EVENT_CHANNELS)[number]>>;

function splitChannel(channel: string): [domain: string, verb: string] {
  const colon = channel.indexOf(':');
  if (colon <= 0 || colon === channel.length - 1)
    throw new Error(`Channel "${channel}" is not "domain:verb".`);
  return [channel.slice(0, colon), channel.slice(colon + 1)];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `chat:send` → `chatSend`: the runtime twin of the contract's `CallMethodName`. */
export function callMethodName<K extends CallChannel>(channel: K): CallMethodName<K> {
  const [domain, verb] = splitChannel(channel);
  return `${domain}${capitalize(verb)}` as CallMethodName<K>;
}

/** `chat:stream` → `onChatStream`: the runtime twin of the contract's `EventMethodName`. */
export function eventMethodName<K extends EventChannel>(channel: K): EventMethodName<K> {
  const [domain, verb] = splitChannel(channel);
  return `on${capitalize(domain)}${capitalize(verb)}` as EventMethodName<K>;
}
