import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import * as electron from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineSupervisor } from '../services/engine/supervisor';
import { utilitySpawner } from './utilitySpawner';

vi.mock('electron', () => ({ utilityProcess: { fork: vi.fn() } }));

class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242;
  stdout = new PassThrough();
  stderr = new PassThrough();
  posted: unknown[] = [];
  postMessage = vi.fn((message: unknown) => this.posted.push(message));
  kill = vi.fn(() => true);
  /** What Electron does when the child exits: `exit` with a code, and the pid is gone. */
  exit(code: number): void {
    this.pid = undefined;
    this.emit('exit', code);
  }
}

const fork = (electron as unknown as { utilityProcess: { fork: ReturnType<typeof vi.fn> } }).utilityProcess
  .fork;
let child: FakeUtilityProcess;

beforeEach(() => {
  child = new FakeUtilityProcess();
  fork.mockReset().mockReturnValue(child);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('utilitySpawner', () => {
  it('forks the host entry as a named utility process with stdin ignored', () => {
    const env = { EDGEWISE_GPU: 'off' };
    utilitySpawner('/app/out/native/host.js', { env, output: () => undefined })();
    expect(fork).toHaveBeenCalledWith('/app/out/native/host.js', [], {
      serviceName: 'Edgewise engine',
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  });

  it('relays messages both ways unchanged', () => {
    const engine = utilitySpawner('/host.js', { output: () => undefined })();
    const received: unknown[] = [];
    engine.onMessage((message) => received.push(message));
    child.emit('message', { type: 'ready', pid: 4242 });
    expect(received).toEqual([{ type: 'ready', pid: 4242 }]);
    engine.send({ type: 'abort', requestId: 'r1' });
    expect(child.posted).toEqual([{ type: 'abort', requestId: 'r1' }]);
    expect(engine.pid).toBe(4242);
  });

  it('reports the exit code with no signal, and a non-zero code stays visible as a crash', () => {
    const engine = utilitySpawner('/host.js', { output: () => undefined })();
    const exits: unknown[] = [];
    engine.onExit((info) => exits.push(info));
    child.exit(139);
    expect(exits).toEqual([{ code: 139, signal: null }]);
    expect(engine.pid).toBeNull();
  });

  it('does nothing once the process has exited', () => {
    const engine = utilitySpawner('/host.js', { output: () => undefined })();
    child.exit(0);
    engine.send({ type: 'abort', requestId: 'r1' });
    engine.kill();
    expect(child.postMessage).not.toHaveBeenCalled();
    expect(child.kill).not.toHaveBeenCalled();
  });

  it('swallows a postMessage on a dying process', () => {
    const engine = utilitySpawner('/host.js', { output: () => undefined })();
    child.postMessage.mockImplementationOnce(() => {
      throw new Error('gone');
    });
    expect(() => engine.send({ type: 'abort', requestId: 'r1' })).not.toThrow();
  });

  it('kills politely by default, and for real on SIGKILL', () => {
    const processKill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const engine = utilitySpawner('/host.js', { output: () => undefined })();
    engine.kill('SIGTERM');
    expect(child.kill).toHaveBeenCalledTimes(1);
    expect(processKill).not.toHaveBeenCalled();
    engine.kill('SIGKILL');
    expect(processKill).toHaveBeenCalledWith(4242, 'SIGKILL');
    expect(child.kill).toHaveBeenCalledTimes(1);
  });

  it('falls back to kill() when the SIGKILL cannot be delivered', () => {
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
    });
    const engine = utilitySpawner('/host.js', { output: () => undefined })();
    engine.kill('SIGKILL');
    expect(child.kill).toHaveBeenCalledTimes(1);
  });

  it('forwards the host’s stdout and stderr, and explains a fatal error', async () => {
    const output = vi.fn();
    utilitySpawner('/host.js', { output })();
    child.stdout.write('hello\n');
    child.stderr.write('engine host: ignored malformed request\n');
    child.emit('error', 'FatalError', 'native/host.js:1', '{}');
    await new Promise((resolve) => setImmediate(resolve));
    expect(output).toHaveBeenCalledWith('stdout', 'hello\n');
    expect(output).toHaveBeenCalledWith('stderr', 'engine host: ignored malformed request\n');
    expect(output).toHaveBeenCalledWith('stderr', expect.stringContaining('FatalError'));
  });

  it('drives the real supervisor: ready, then a crash with its exit code', async () => {
    const statuses: string[] = [];
    const supervisor = new EngineSupervisor({
      spawn: utilitySpawner('/host.js', { output: () => undefined }),
      onStatus: (status) => statuses.push(status.state),
      restartDelaysMs: [60_000],
    });
    const started = supervisor.start();
    child.emit('message', { type: 'ready', pid: 4242 });
    await started;
    expect(supervisor.status).toMatchObject({ state: 'idle', pid: 4242 });

    child.exit(134);
    expect(supervisor.status.state).toBe('crashed');
    expect(supervisor.status.lastError?.message).toContain('exit code 134');
    await supervisor.stop();
  });
});
