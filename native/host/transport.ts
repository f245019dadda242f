import type { HostEvent } from '../protocol';

/** Electron's utility-process port; declared here because the engine host never imports `electron`. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface HostTransport {
  kind: 'utility-process' | 'fork';
  send(event: HostEvent): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called when main goes away, so the host never outlives the app. */
  onParentGone(listener: () => void): void;
}

/**
 * The engine host's only difference between the desktop app (Electron `utilityProcess`, `process.parentPort`)
 * and serve mode or tests (`child_process.fork`, `process.send`).
 */
export function connectToParent(proc: NodeJS.Process = process): HostTransport {
  const parentPort = (proc as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      kind: 'utility-process',
      send: (event) => parentPort.postMessage(event),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      // Electron ends a utility process together with its parent.
      onParentGone: () => undefined,
    };
  }
  const send = proc.send?.bind(proc);
  if (!send) throw new Error('The engine host must be started by Edgewise (no IPC channel to a parent).');
  return {
    kind: 'fork',
    send: (event) => {
      if (proc.connected) send(event);
    },
    onMessage: (listener) => proc.on('message', listener),
    onParentGone: (listener) => proc.on('disconnect', listener),
  };
}
