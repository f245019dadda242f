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
  /** When false, load requests get no reply (a load the host dies in the middle of). */
  static answerLoads = true;
  send(request: HostRequest): void {
    this.sent.push(request);
    if (request.type === 'load' && FakeHost.answerLoads) {
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

  it('a respawn during the wait before a restart does not leave the engine hanging', async () => {
    FakeHost.spawned = [];
    FakeHost.answerLoads = true;
    const engine = new EngineSupervisor({ spawn: () => new FakeHost(), restartDelaysMs: [60_000] });
    await engine.load('m', { modelPath: '/m.gguf' });
    FakeHost.spawned[0]!.die({ code: null, signal: 'SIGSEGV' });
    expect(engine.status.state).toBe('crashed');
    // A backend switch now: the restart waiting out its minute must not block what follows.
    const respawned = await engine.respawn();
    expect(respawned).toMatchObject({ backend: 'cpu' });
    await engine.whenReadyForChat();
    expect(engine.status.state).toBe('ready');
    await tick();
    expect(FakeHost.spawned).toHaveLength(2);
    await engine.stop();
  });

  it('overlapping respawns start one host, not two', async () => {
    FakeHost.spawned = [];
    FakeHost.answerLoads = true;
    const engine = new EngineSupervisor({ spawn: () => new FakeHost(), restartDelaysMs: [0] });
    await engine.load('m', { modelPath: '/m.gguf' });
    await Promise.all([engine.respawn(), engine.respawn()]);
    expect(FakeHost.spawned).toHaveLength(2);
    expect(engine.status.state).toBe('ready');
    await engine.stop();
  });

  it('a host that dies during the first load comes back idle, not loading forever', async () => {
    FakeHost.spawned = [];
    FakeHost.answerLoads = false;
    const engine = new EngineSupervisor({ spawn: () => new FakeHost(), restartDelaysMs: [0] });
    const load = engine.load('m', { modelPath: '/m.gguf' });
    await tick();
    FakeHost.spawned[0]!.die({ code: null, signal: 'SIGKILL' });
    await expect(load).rejects.toMatchObject({ code: 'ENGINE_CRASHED' });
    await tick();
    await tick();
    expect(FakeHost.spawned).toHaveLength(2);
    expect(engine.status).toMatchObject({ state: 'idle', modelId: null });
    FakeHost.answerLoads = true;
    await engine.stop();
  });

  it('an unload racing a load leaves nothing to bring back after a crash', async () => {
    FakeHost.spawned = [];
    FakeHost.answerLoads = true;
    const engine = new EngineSupervisor({ spawn: () => new FakeHost(), restartDelaysMs: [0] });
    await engine.start();
    const host = FakeHost.spawned[0]!;
    const originalSend = host.send.bind(host);
    // The fake answers unloads in order after loads, as the real host does.
    host.send = (request) => {
      originalSend(request);
      if (request.type === 'unload')
        setTimeout(() => host.emit({ type: 'reply', id: request.id, ok: true, value: null }), 1);
    };
    const load = engine.load('m', { modelPath: '/m.gguf' });
    // The load is on its way to the host when the person unloads.
    await Promise.resolve();
    await Promise.resolve();
    expect(host.sent.map((request) => request.type)).toEqual(['load']);
    const unload = engine.unload();
    await Promise.all([load, unload]);
    expect(engine.status).toMatchObject({ state: 'idle', modelId: null });
    host.die({ code: null, signal: 'SIGSEGV' });
    await tick();
    await tick();
    expect(engine.status).toMatchObject({ state: 'idle', modelId: null });
    expect(FakeHost.spawned[1]?.sent.some((request) => request.type === 'load')).toBe(false);
    await engine.stop();
  });
});
