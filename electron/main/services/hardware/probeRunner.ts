import { fork } from 'node:child_process';
import type { ProbeMessage } from '../../../../native/hardware/probe';
import type { ExitInfo } from '../engine/engineProcess';

/** A probe process (native/hardware/probeEntry.ts) as main sees it, however it was started. */
export interface ProbeProcess {
  readonly pid: number | null;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (info: ExitInfo) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export type SpawnProbe = (args: string[]) => ProbeProcess;

/** Serve mode and tests: `child_process.fork`. The desktop app uses a utility process (electron/main/engine). */
export function forkProbeSpawner(probeEntry: string, env: NodeJS.ProcessEnv = process.env): SpawnProbe {
  return (args) => {
    const child = fork(probeEntry, args, {
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    // llama.cpp's own stderr is noise unless the probe fails, and then the report carries the reason.
    child.stderr?.resume();
    return {
      get pid() {
        return child.pid ?? null;
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => {
        child.on('exit', (code, signal) => listener({ code, signal }));
        child.on('error', () => {
          if (child.pid === undefined) listener({ code: -1, signal: null });
        });
      },
      kill: (signal = 'SIGKILL') => void child.kill(signal),
    };
  };
}

export type ProbeOutcome =
  | { kind: 'message'; message: ProbeMessage; ms: number }
  | { kind: 'crashed'; info: ExitInfo; ms: number }
  | { kind: 'timeout'; ms: number };

/** Runs one probe to its end: its message, or how it died, or a timeout (then it is killed). Never rejects. */
export function runProbe(spawn: SpawnProbe, args: string[], timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let message: ProbeMessage | null = null;
    let settled = false;
    let proc: ProbeProcess | null = null;
    const settle = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    // Armed before the spawn, so that settle() (even from a spawn that throws) always finds it.
    const timer = setTimeout(() => {
      proc?.kill('SIGKILL');
      settle({ kind: 'timeout', ms: ms() });
    }, timeoutMs);
    try {
      proc = spawn(args);
    } catch {
      settle({ kind: 'crashed', info: { code: -1, signal: null }, ms: ms() });
      return;
    }
    proc.onMessage((raw) => {
      if (isProbeMessage(raw)) message = raw;
    });
    proc.onExit((info) => {
      settle(message ? { kind: 'message', message, ms: ms() } : { kind: 'crashed', info, ms: ms() });
    });
  });
}

function isProbeMessage(raw: unknown): raw is ProbeMessage {
  const type = (raw as { type?: unknown } | null)?.type;
  return type === 'backend' || type === 'bandwidth' || type === 'error';
}
