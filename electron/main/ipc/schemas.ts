import { z } from 'zod';
import type { CallArgs, CallChannel } from '../../shared/contract';

/** Ids are created by the renderer: bounded, printable, no path characters. */
const id = z.string().regex(/^[\w-]{1,100}$/, 'must be 1–100 letters, digits, "_" or "-"');
/** A path on this machine a person typed or picked: absolute (or `~/…`), bounded, no NUL. */
const localPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .refine(
    (p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\') || p.startsWith('~'),
    'must be an absolute path',
  );
/** A repository name or revision on the hub: short, no NUL. */
const hfText = z.string().min(1).max(256);
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
  // Hardware (issue 3)
  'hardware:fit': z.strictObject({
    target: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('local'), modelId: z.string().min(1).max(4096) }),
      z.strictObject({
        kind: z.literal('remote'),
        url: z
          .string()
          .max(4096)
          .refine((u) => /^https:\/\//.test(u), 'must be an https:// URL'),
      }),
      z.strictObject({
        kind: z.literal('estimate'),
        fileSizeBytes: z
          .number()
          .int()
          .positive()
          .max(2 ** 50),
        parameters: z.number().positive().max(1e14).optional(),
        activeParameters: z.number().positive().max(1e14).optional(),
        contextLength: z
          .number()
          .int()
          .min(1)
          .max(1 << 24)
          .optional(),
      }),
    ]),
    contextSize: z
      .number()
      .int()
      .min(64)
      .max(1 << 20)
      .optional(),
  }),
  'hardware:profile': none,
  'hardware:reprobe': none,
  'hardware:setBackend': z.strictObject({ backend: z.enum(['auto', 'metal', 'cuda', 'vulkan', 'cpu']) }),
  'hardware:calibrate': none,
  // Library and catalog (issue 4)
  'library:folders': none,
  'library:addFolder': z.strictObject({ path: localPath, readOnly: z.boolean().optional() }),
  'library:removeFolder': z.strictObject({ folderId: id }),
  'library:import': z.strictObject({ path: localPath }),
  'library:delete': z.strictObject({
    modelId: z.string().min(1).max(4096),
    confirm: z.literal(true, 'must be true: ask the person first'),
  }),
  'catalog:list': none,
  // Hugging Face and downloads (issue 4). Repository, revision and file names are checked again, with
  // clear errors, by the services (hf/hfSource.ts); these only bound what reaches them.
  'hf:search': z.strictObject({
    query: z.string().max(200),
    limit: z.number().int().min(1).max(100).optional(),
  }),
  'hf:files': z.strictObject({ repo: hfText, revision: hfText.optional() }),
  'hf:resolve': z.strictObject({ input: z.string().min(1).max(2048) }),
  'hf:getSettings': none,
  'hf:setSettings': z.strictObject({
    endpoint: z.string().max(2048).nullable().optional(),
    token: z.string().max(512).nullable().optional(),
  }),
  'downloads:list': none,
  'downloads:start': z.strictObject({
    downloadId: id,
    source: z.strictObject({ repo: hfText, revision: hfText, file: z.string().min(1).max(1024) }),
  }),
  'downloads:pause': z.strictObject({ downloadId: id }),
  'downloads:resume': z.strictObject({ downloadId: id }),
  'downloads:cancel': z.strictObject({ downloadId: id }),
  'downloads:dismiss': z.strictObject({ downloadId: id }),
};
