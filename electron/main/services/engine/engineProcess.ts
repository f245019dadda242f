import { fork } from 'node:child_process';
import type { HostRequest } from '../../../../native/protocol';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/** The engine host as the supervisor sees it, whichever way it was started. */
export interface EngineProcess {
  readonly pid: number | null;
  send(request: HostRequest): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (info: ExitInfo) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

/** `env` is added to the base environment of the new process (e.g. `EDGEWISE_GPU` for the chosen backend). */
export type SpawnEngine = (env?: Record<string, string>) => EngineProcess;

/**
 * Starts the engine host with `child_process.fork`: serve mode and tests. The desktop app uses Electron's
 * `utilityProcess` instead (electron/main/engine/utilitySpawner.ts); the host code is the same.
 */
export function forkSpawner(hostEntry: string, env: NodeJS.ProcessEnv = process.env): SpawnEngine {
  return (extra) => {
    const child = fork(hostEntry, [], {
      env: { ...env, ...extra },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    return {
      get pid() {
        return child.pid ?? null;
      },
      send: (request) => {
        if (child.connected) child.send(request);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => {
        child.on('exit', (code, signal) => listener({ code, signal }));
        // A process that cannot even start (bad path, EMFILE) emits `error` and may never emit `exit`.
        child.on('error', () => {
          if (child.exitCode === null && child.signalCode === null && child.pid === undefined) {
            listener({ code: -1, signal: null });
          }
        });
      },
      kill: (signal = 'SIGTERM') => {
        child.kill(signal);
      },
    };
  };
}
