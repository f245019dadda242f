/**
 * The engine host: the process that owns llama.cpp. Main starts it (utilityProcess in the app, fork in serve
 * mode and tests) and restarts it when it dies, so a native crash here never takes the window down.
 */
import { Engine, type GpuChoice } from '../runtime/engine';
import { EngineError, toHostError } from '../runtime/errors';
import type { HostRequest } from '../protocol';
import { connectToParent } from './transport';
import { hostRequestSchema } from './validate';

const transport = connectToParent();
const engine = new Engine({
  gpu: parseGpu(process.env['EDGEWISE_GPU']),
  ramCapBytes: parseBytes('EDGEWISE_RAM_CAP_BYTES'),
  vramCapBytes: parseBytes('EDGEWISE_VRAM_CAP_BYTES'),
});
const streams = new Map<string, AbortController>();

transport.onMessage((raw) => {
  const parsed = hostRequestSchema.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(`engine host: malformed request: ${parsed.error.message}\n`);
    // Answer it anyway: main waits for a reply per id and for a terminal event per stream.
    const error = {
      code: 'INVALID_ARGUMENT' as const,
      message: `Malformed request: ${parsed.error.message}`,
    };
    const fields = (typeof raw === 'object' && raw !== null ? raw : {}) as {
      id?: unknown;
      requestId?: unknown;
    };
    if (typeof fields.id === 'number') transport.send({ type: 'reply', id: fields.id, ok: false, error });
    else if (typeof fields.requestId === 'string') {
      transport.send({ type: 'fail', requestId: fields.requestId, error });
    }
    return;
  }
  void handle(parsed.data);
});
transport.onParentGone(() => void shutdown());
process.on('SIGTERM', () => void shutdown());

transport.send({ type: 'ready', pid: process.pid });

async function handle(request: HostRequest): Promise<void> {
  switch (request.type) {
    case 'load':
    case 'unload': {
      // A new model invalidates every running stream.
      for (const controller of streams.values()) controller.abort();
      try {
        const value =
          request.type === 'load'
            ? await engine.load(request.options, (step) =>
                transport.send({ type: 'loadStep', id: request.id, step }),
              )
            : (await engine.unload(), null);
        transport.send({ type: 'reply', id: request.id, ok: true, value });
      } catch (error) {
        transport.send({ type: 'reply', id: request.id, ok: false, error: toHostError(error) });
      }
      return;
    }
    case 'chat':
      return chat(request);
    case 'abort':
      streams.get(request.requestId)?.abort();
      return;
    case 'forget':
      engine.forget(request.conversationId);
      return;
    case 'calibrate':
    case 'fit':
      try {
        const value =
          request.type === 'calibrate'
            ? await engine.calibrate(request.candidates)
            : await engine.fitNeeds(request.source, request.contextSize);
        transport.send({ type: 'reply', id: request.id, ok: true, value });
      } catch (error) {
        transport.send({ type: 'reply', id: request.id, ok: false, error: toHostError(error) });
      }
      return;
    default:
      request satisfies never;
  }
}

async function chat(request: Extract<HostRequest, { type: 'chat' }>): Promise<void> {
  const { requestId } = request;
  if (streams.has(requestId)) {
    const error = new EngineError('INVALID_ARGUMENT', `A stream with id ${requestId} is already running.`);
    transport.send({ type: 'fail', requestId, error: toHostError(error) });
    return;
  }
  const controller = new AbortController();
  streams.set(requestId, controller);
  try {
    const stats = await engine.chat(
      request,
      (text) => transport.send({ type: 'token', requestId, text }),
      controller.signal,
    );
    transport.send({ type: 'end', requestId, reason: controller.signal.aborted ? 'aborted' : 'done', stats });
  } catch (error) {
    transport.send({ type: 'fail', requestId, error: toHostError(error) });
  } finally {
    streams.delete(requestId);
  }
}

let shuttingDown = false;
async function shutdown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const controller of streams.values()) controller.abort();
  await engine.dispose().catch(() => undefined);
  process.exit(0);
}

function parseBytes(name: string): number | null {
  const value = process.env[name];
  if (value === undefined || value === '') return null;
  const bytes = Number(value);
  if (Number.isFinite(bytes) && bytes > 0) return bytes;
  process.stderr.write(`engine host: ignored ${name}=${value} (not a positive number of bytes)\n`);
  return null;
}

function parseGpu(value: string | undefined): GpuChoice {
  switch (value) {
    case undefined:
    case '':
    case 'auto':
      return 'auto';
    case 'false':
    case 'cpu':
      return false;
    case 'vulkan':
    case 'cuda':
    case 'metal':
      return value;
    default:
      process.stderr.write(`engine host: unknown EDGEWISE_GPU=${value}; using auto\n`);
      return 'auto';
  }
}
