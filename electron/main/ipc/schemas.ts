import { z } from 'zod';
import type { CallArgs, CallChannel } from '../../shared/contract';

/** Ids are created by the renderer: bounded, printable, no path characters. */
const id = z.string().regex(/^[\w-]{1,100}$/, 'must be 1–100 letters, digits, "_" or "-"');
const none = z
  .undefined()
  .or(z.null())
  .transform(() => undefined);

/**
 * Runtime validators for every call's arguments, checked on main's side of the boundary. The mapped type
 * makes a channel without a schema, or a schema that disagrees with the contract, a compile error.
 */
export const argSchemas: { [K in CallChannel]: z.ZodType<CallArgs<K>, unknown> } = {
  'app:info': none,
  'models:list': none,
  'engine:status': none,
  'engine:load': z.strictObject({ modelId: z.string().min(1).max(4096) }),
  'engine:unload': none,
  'conversations:list': none,
  'conversations:create': none,
  'conversations:get': z.strictObject({ conversationId: id }),
  'conversations:delete': z.strictObject({ conversationId: id }),
  'chat:send': z.strictObject({
    requestId: id,
    conversationId: id,
    text: z
      .string()
      .max(200_000)
      .refine((text) => text.trim().length > 0, 'must not be empty'),
    maxTokens: z.number().int().min(1).max(32_768).optional(),
  }),
  'chat:abort': z.strictObject({ requestId: id }),
};
