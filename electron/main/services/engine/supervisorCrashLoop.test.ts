import { describe, expect, it } from 'vitest';
import type { HostRequest } from '../../../../native/protocol';
import type { EngineProcess, ExitInfo } from './engineProcess';
import { EngineSupervisor } from './supervisor';

/** A host that says ready and dies on request: enough to drive the supervisor's bookkeeping. */
class FakeHost implements EngineProcess {
  static spawned: FakeHost[] = [];
  readonly pid = 1000 + FakeHost.spawned.length;
  readonly sent: HostRequest[] = [];
  #message: ((message: unknown) => void)[] = [];
  #exit: ((info: ExitInfo) => void)[] = [];

  constructor() {
    FakeHost.spawned.push(this);
    setTimeout(() => this.emit({ type: 'ready', pid: this.pid }), 0);
  }
  send(request: HostRequest): void {
    this.sent.push(request);
    if (request.type === 'load') {
      setTimeout(
        () =>
          this.emit({
            type: 'reply',
            id: request.id,
            ok: true,
            value: {
              modelPath: request.options.modelPath,
              backend: 'cpu',
              threads: 1,
              contextSize: 512,
              gpuLayers: 0,
              loadMs: 1,
            },
          }),
        0,
      );
    }
  }
  onMessage(listener: (message: unknown) => void): void {
    this.#message.push(listener);
  }
  onExit(listener: (info: ExitInfo) => void): void {
    this.#exit.push(listener);
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.die({ code: null, signal });
  }
  emit(message: unknown): void {
    for (const listener of this.#message) listener(message);
  }
  die(info: ExitInfo): void {
    for (const listener of this.#exit) listener(info);
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('EngineSupervisor crash handling', () => {
  it('stops restarting after too many crashes in a minute, and a new load starts it again', async () => {
    FakeHost.spawned = [];
    const engine = new EngineSupervisor({
      spawn: () => new FakeHost(),
      restartDelaysMs: [0],
      maxCrashesPerMinute: 2,
    });
    await engine.load('m', { modelPath: '/m.gguf' });
    for (let crash = 0; crash < 3; crash++) {
      FakeHost.spawned.at(-1)!.die({ code: 1, signal: null });
      await tick();
      await tick();
    }
    expect(engine.status.state).toBe('stopped');
    expect(engine.status.lastError?.message).toMatch(/crashed 3 times/);
    const spawnedBefore = FakeHost.spawned.length;
    await tick();
    expect(FakeHost.spawned.length).toBe(spawnedBefore);

    await engine.load('m', { modelPath: '/m.gguf' });
    expect(engine.status.state).toBe('ready');
    expect(FakeHost.spawned.length).toBe(spawnedBefore + 1);
  });

  it('fails every open stream exactly once when the host exits', async () => {
    FakeHost.spawned = [];
    const engine = new EngineSupervisor({ spawn: () => new FakeHost(), restartDelaysMs: [1000] });
    await engine.load('m', { modelPath: '/m.gguf' });
    const failures: string[] = [];
    const handlers = (id: string) => ({
      onToken: () => undefined,
      onEnd: () => failures.push(`${id}:end`),
      onFail: (error: { code: string }) => failures.push(`${id}:${error.code}`),
    });
    engine.chat(
      { requestId: 'a', conversationId: 'c', history: [], prompt: 'x', maxTokens: 5 },
      handlers('a'),
    );
    engine.chat(
      { requestId: 'b', conversationId: 'd', history: [], prompt: 'x', maxTokens: 5 },
      handlers('b'),
    );
    const host = FakeHost.spawned[0]!;
    host.die({ code: null, signal: 'SIGSEGV' });
    // A late message from the dead host must not produce a second terminal event.
    host.emit({
      type: 'end',
      requestId: 'a',
      reason: 'done',
      stats: { tokens: 1, tokensPerSecond: 1, timeToFirstTokenMs: 1, durationMs: 1 },
    });
    expect(failures.sort()).toEqual(['a:ENGINE_CRASHED', 'b:ENGINE_CRASHED']);
    await engine.stop();
  });
});
