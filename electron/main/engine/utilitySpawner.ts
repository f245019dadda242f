/**
 * Starts the engine host as an Electron utility process: a Chromium-managed child with Node, listed as
 * "Edgewise engine" in the app's process metrics, which dies with the app. The host's code is the same as
 * under `child_process.fork` (serve mode, tests); only this adapter and native/host/transport.ts differ.
 *
 * The entry may be ESM (`out/native/host.js` in a `"type": "module"` package): Electron loads a utility
 * process's entry with Node's ESM loader, which falls back to CommonJS (electron/electron#40047, Electron 28+).
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import type { EngineProcess, SpawnEngine } from '../services/engine/engineProcess';

export interface UtilitySpawnerOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the host's stdout and stderr go; by default to main's own. */
  output?: (stream: 'stdout' | 'stderr', text: string) => void;
}

export function utilitySpawner(hostEntry: string, options: UtilitySpawnerOptions = {}): SpawnEngine {
  const output = options.output ?? writeToOwnStdio;
  return (extra) => {
    const child = utilityProcess.fork(hostEntry, [], {
      serviceName: 'Edgewise engine',
      env: { ...(options.env ?? process.env), ...extra },
      // stdin must be 'ignore' for a utility process.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    forward(child, 'stdout', output);
    forward(child, 'stderr', output);

    let exited = false;
    // Registered before anyone else's listener, so `send` and `kill` are inert by the time the supervisor hears.
    child.once('exit', () => {
      exited = true;
    });
    child.on('error', (type, location) => {
      // `exit` always follows, and that is what the supervisor acts on; this only says why.
      output('stderr', `Edgewise engine: ${type} at ${location}\n`);
    });

    const engine: EngineProcess = {
      get pid() {
        return child.pid ?? null;
      },
      send: (request) => {
        if (exited) return;
        try {
          child.postMessage(request);
        } catch {
          // The process is going away; its `exit` ends whatever this request belonged to.
        }
      },
      onMessage: (listener) => {
        child.on('message', (message: unknown) => listener(message));
      },
      onExit: (listener) => {
        // A utility process reports only an exit code (from waitpid / GetExitCodeProcess), never a signal;
        // any exit the supervisor did not ask for is a crash to it, and a non-zero code says so in its message.
        child.on('exit', (code) => listener({ code, signal: null }));
      },
      kill: (signal = 'SIGTERM') => {
        if (exited) return;
        // `UtilityProcess.kill()` only asks politely (SIGTERM); the supervisor's SIGKILL means a host that
        // ignored that, so it gets the real thing.
        if (signal === 'SIGKILL' && child.pid !== undefined) {
          try {
            process.kill(child.pid, 'SIGKILL');
            return;
          } catch {
            // Already gone, or not ours to signal: fall back to the polite way.
          }
        }
        child.kill();
      },
    };
    return engine;
  };
}

function forward(
  child: UtilityProcess,
  stream: 'stdout' | 'stderr',
  output: NonNullable<UtilitySpawnerOptions['output']>,
): void {
  const readable = child[stream];
  if (!readable) return;
  readable.setEncoding('utf8');
  readable.on('data', (text: string) => output(stream, text));
}

function writeToOwnStdio(stream: 'stdout' | 'stderr', text: string): void {
  try {
    process[stream].write(text);
  } catch {
    // A packaged GUI app may have no console to write to.
  }
}
