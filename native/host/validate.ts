import { z } from 'zod';
import type { HostRequest } from '../protocol';

const id = z.number().int().nonnegative();
const key = z.string().min(1).max(200);

export const hostRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('load'),
    id,
    options: z.object({
      modelPath: z.string().min(1).max(4096),
      contextSize: z
        .number()
        .int()
        .min(64)
        .max(1 << 20)
        .optional(),
      threads: z.number().int().min(1).max(256).optional(),
      gpuLayers: z.number().int().min(0).max(10_000).optional(),
      calibrateThreads: z.array(z.number().int().min(1).max(256)).min(1).max(16).optional(),
    }),
  }),
  z.object({ type: z.literal('unload'), id }),
  z.object({
    type: z.literal('chat'),
    requestId: key,
    conversationId: key,
    history: z.array(z.object({ role: z.enum(['user', 'assistant']), text: z.string() })),
    prompt: z.string(),
    maxTokens: z
      .number()
      .int()
      .min(1)
      .max(1 << 20),
    sampling: z
      .object({ temperature: z.number().min(0).max(5), seed: z.number().int().nonnegative().optional() })
      .optional(),
  }),
  z.object({ type: z.literal('abort'), requestId: key }),
  z.object({ type: z.literal('forget'), conversationId: key }),
  z.object({
    type: z.literal('calibrate'),
    id,
    candidates: z.array(z.number().int().min(1).max(256)).min(1).max(16),
  }),
  z.object({
    type: z.literal('fit'),
    id,
    source: z.object({
      location: z.string().min(1).max(8192),
      headers: z.record(z.string(), z.string()).optional(),
    }),
    contextSize: z
      .number()
      .int()
      .min(64)
      .max(1 << 20)
      .optional(),
  }),
]) satisfies z.ZodType<HostRequest>;
