import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppError, EngineStatus } from '../../../shared/contract';
import type { GenerateStats } from '../../../../native/protocol';
import { testModelPath } from '../../../../native/test/models';
import { forkSpawner } from './engineProcess';
import { EngineSupervisor, type ChatStreamRequest } from './supervisor';

const hostEntry = fileURLToPath(new URL('../../../../out/native/host.js', import.meta.url));
const env = { ...process.env, EDGEWISE_GPU: 'false' };
const running: EngineSupervisor[] = [];

function supervisor(statuses: EngineStatus[] = []): EngineSupervisor {
  const created = new EngineSupervisor({
    spawn: forkSpawner(hostEntry, env),
    onStatus: (status) => statuses.push(status),
    restartDelaysMs: [50],
    threads: 1,
    contextSize: 512,
  });
  running.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((item) => item.stop()));
});

type Outcome = { kind: 'end'; reason: string; stats: GenerateStats } | { kind: 'fail'; error: AppError };

function stream(engine: EngineSupervisor, request: Partial<ChatStreamRequest> & { requestId: string }) {
  let text = '';
  let firstToken!: () => void;
  const started = new Promise<void>((resolve) => (firstToken = resolve));
  const outcome = new Promise<Outcome>((resolve) => {
    engine.chat(
      { conversationId: 'c1', history: [], prompt: 'Hello', maxTokens: 4000, ...request },
      {
        onToken: (chunk) => {
          text += chunk;
          firstToken();
        },
        onEnd: (reason, stats) => resolve({ kind: 'end', reason, stats }),
        onFail: (error) => resolve({ kind: 'fail', error }),
      },
    );
  });
  return { started, outcome, text: () => text };
}

async function waitFor(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('EngineSupervisor with a real engine host', () => {
  it('loads a model in the engine host and streams an answer', async () => {
    const engine = supervisor();
    const result = await engine.load('tiny', { modelPath: testModelPath('tiny', 'Q4_0') });
    expect(result.threads).toBe(1);
    expect(engine.status).toMatchObject({ state: 'ready', modelId: 'tiny', backend: 'cpu', threads: 1 });
    const { outcome, text } = stream(engine, { requestId: 'r1', maxTokens: 16 });
    const end = await outcome;
    expect(end).toMatchObject({ kind: 'end', reason: 'done' });
    expect(text().length).toBeGreaterThan(0);
  });

  it('reports a bad model file with its code and stays usable', async () => {
    const engine = supervisor();
    await expect(
      engine.load('x', { modelPath: path.join(path.dirname(hostEntry), 'missing.gguf') }),
    ).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
    expect(engine.status.state).toBe('idle');
    await engine.load('tiny', { modelPath: testModelPath('tiny', 'Q8_0') });
    expect(engine.status.state).toBe('ready');
  });

  it('gets an answer, not silence, when the engine host refuses a malformed request', async () => {
    const engine = supervisor();
    await expect(
      engine.load('tiny', { modelPath: testModelPath('tiny', 'Q8_0'), contextSize: 32 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await engine.load('tiny', { modelPath: testModelPath('tiny', 'Q8_0') });
    expect(engine.status.state).toBe('ready');
  });

  it('aborts a stream on request', async () => {
    const engine = supervisor();
    await engine.load('bench', { modelPath: testModelPath('bench60m', 'Q4_0') });
    const { started, outcome } = stream(engine, { requestId: 'r2' });
    await started;
    const abortedAt = performance.now();
    expect(engine.abort('r2')).toBe(true);
    const end = await outcome;
    expect(end).toMatchObject({ kind: 'end', reason: 'aborted' });
    expect(performance.now() - abortedAt).toBeLessThan(200);
    expect(engine.abort('r2')).toBe(false);
  });

  it.each(['SIGKILL', 'SIGSEGV'] as const)(
    'ends the open stream with ENGINE_CRASHED when the host dies of %s, restarts it, reloads the model',
    async (signal) => {
      const statuses: EngineStatus[] = [];
      const engine = supervisor(statuses);
      await engine.load('bench', { modelPath: testModelPath('bench60m', 'Q4_0') });
      const firstPid = engine.pid;
      expect(firstPid).toBeGreaterThan(0);

      const { started, outcome, text } = stream(engine, { requestId: `crash-${signal}` });
      await started;
      process.kill(firstPid!, signal);
      const end = await outcome;
      expect(end.kind).toBe('fail');
      expect(end.kind === 'fail' && end.error.code).toBe('ENGINE_CRASHED');
      expect(end.kind === 'fail' && end.error.message).toContain(signal);
      expect(text().length).toBeGreaterThan(0);
      expect(statuses.some((status) => status.state === 'crashed')).toBe(true);

      await waitFor(() => engine.status.state === 'ready');
      expect(engine.pid).not.toBe(firstPid);
      expect(engine.status).toMatchObject({ modelId: 'bench', restarts: 1 });
      expect(engine.status.lastError?.code).toBe('ENGINE_CRASHED');
      expect(engine.status.lastError?.message).toContain('Edgewise restarted it');

      await engine.whenReadyForChat();
      const next = stream(engine, { requestId: `after-${signal}`, maxTokens: 8 });
      expect(await next.outcome).toMatchObject({ kind: 'end', reason: 'done' });
    },
  );

  it('waits for a restart in progress before a new prompt', async () => {
    const engine = supervisor();
    await engine.load('tiny', { modelPath: testModelPath('tiny', 'Q8_0') });
    process.kill(engine.pid!, 'SIGKILL');
    await waitFor(() => engine.status.state === 'crashed');
    await engine.whenReadyForChat();
    expect(engine.status.state).toBe('ready');
  });
});
