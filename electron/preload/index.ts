/**
 * The bridge: `window.api`, built from the contract's channel lists. The renderer gets one named function
 * per call and one `onX(listener) → unsubscribe` per event, nothing else: no `ipcRenderer`, no generic
 * `invoke(channel)`, and listeners receive the payload, never the IPC event (whose `sender` is the
 * `ipcRenderer` itself). Bundled to one CommonJS file; sandboxed preloads may only require `electron`.
 */
import { contextBridge, ipcRenderer, type IpcRenderer, type IpcRendererEvent } from 'electron';
import type { Api, CallMethods, EventChannel, EventMethods, Events } from '../shared/contract';
import { CALL_CHANNELS, EVENT_CHANNELS, callMethodName, eventMethodName } from '../shared/channels';

/** The slice of `ipcRenderer` the bridge uses. */
export type BridgeIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createApi(ipc: BridgeIpc): Api {
  // Built in a loop, so the compiler cannot see that every key is present; the exhaustive channel lists and
  // the typed name functions make that true, and the preload test checks the exact method set.
  const calls: Record<string, (args?: unknown) => Promise<unknown>> = {};
  for (const channel of CALL_CHANNELS) {
    // Main answers every call with a `CallResult` envelope; errors are values, so nothing is rethrown here.
    // Only the first argument crosses: a stray extra argument never reaches main.
    calls[callMethodName(channel)] = (args?: unknown) => ipc.invoke(channel, args);
  }

  const events: Record<string, (listener: (payload: Events[EventChannel]) => void) => () => void> = {};
  for (const channel of EVENT_CHANNELS) {
    events[eventMethodName(channel)] = (listener) => subscribe(ipc, channel, listener);
  }

  return { ...(calls as unknown as CallMethods), ...(events as unknown as EventMethods) };
}

function subscribe<K extends EventChannel>(
  ipc: BridgeIpc,
  channel: K,
  listener: (payload: Events[K]) => void,
): () => void {
  if (typeof listener !== 'function') throw new TypeError(`${eventMethodName(channel)} expects a function.`);
  const forward = (_event: IpcRendererEvent, payload: Events[K]) => listener(payload);
  ipc.on(channel, forward);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    ipc.removeListener(channel, forward);
  };
}

contextBridge.exposeInMainWorld('api', createApi(ipcRenderer));
