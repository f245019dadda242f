import type { CallArgs, CallChannel, CallResult, CallValue } from '../../shared/contract';
import { ServiceError, toAppError } from '../services/errors';
import { argSchemas } from './schemas';

/** Who is calling: one window (Electron) or one WebSocket connection (serve mode). */
export interface CallContext {
  senderId: string;
}

export type Handler<K extends CallChannel> = (
  args: CallArgs<K>,
  context: CallContext,
) => CallValue<K> | Promise<CallValue<K>>;

/** One handler per channel; a missing one fails to compile. */
export type HandlerTable = { [K in CallChannel]: Handler<K> };

export interface Router {
  readonly channels: readonly CallChannel[];
  /**
   * Validates and runs one call. Never throws: unknown channels, bad arguments and handler failures all come
   * back as `{ok: false, error}`. The transport checks the sender before calling this.
   */
  dispatch(channel: string, rawArgs: unknown, context: CallContext): Promise<CallResult<unknown>>;
}

export function createRouter(
  handlers: HandlerTable,
  onUnexpected: (error: unknown) => void = () => undefined,
): Router {
  const channels = Object.keys(argSchemas) as CallChannel[];
  const isChannel = (value: string): value is CallChannel => Object.hasOwn(argSchemas, value);
  return {
    channels,
    async dispatch(channel, rawArgs, context) {
      if (!isChannel(channel)) {
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `Unknown call "${channel}".` } };
      }
      const parsed = argSchemas[channel].safeParse(rawArgs);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`)
          .join('; ');
        return {
          ok: false,
          error: { code: 'INVALID_ARGUMENT', message: `Invalid arguments for ${channel}: ${detail}` },
        };
      }
      try {
        const handler = handlers[channel] as Handler<typeof channel>;
        return { ok: true, value: await handler(parsed.data as never, context) };
      } catch (error) {
        if (!(error instanceof ServiceError)) onUnexpected(error);
        return { ok: false, error: toAppError(error) };
      }
    },
  };
}
