/**
 * Starts a hardware probe (out/native/probe.js) as an Electron utility process, as the engine host is started
 * (see utilitySpawner.ts). A probe that crashes in a GPU driver dies alone; main reads its exit code.
 */
import { utilityProcess } from 'electron';
import type { ProbeProcess, SpawnProbe } from '../services/hardware/probeRunner';

export function utilityProbeSpawner(probeEntry: string, env: NodeJS.ProcessEnv = process.env): SpawnProbe {
  return (args) => {
    const child = utilityProcess.fork(probeEntry, args, {
      serviceName: 'Edgewise hardware probe',
      env,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    const probe: ProbeProcess = {
      get pid() {
        return child.pid ?? null;
      },
      onMessage: (listener) => {
        child.on('message', (message: unknown) => listener(message));
      },
      // A utility process reports only an exit code; a probe that exits without its message crashed.
      onExit: (listener) => {
        child.on('exit', (code) => listener({ code, signal: null }));
      },
      kill: () => {
        if (exited) return;
        if (child.pid !== undefined) {
          try {
            process.kill(child.pid, 'SIGKILL');
            return;
          } catch {
            // Already gone.
          }
        }
        child.kill();
      },
    };
    return probe;
  };
}
