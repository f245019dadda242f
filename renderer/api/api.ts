import type { Api } from '../../electron/shared/contract';
import { createServeClient, serveUrl, type Connection, type ServeClient } from './serveClient';

let serve: ServeClient | null = null;

// Resolved on first use rather than at import, so tests can install a fake `window.api` first, and a page
// that never calls anything opens no socket.
function target(): Api {
  if (window.api) return window.api;
  serve = createServeClient({ url: serveUrl(window.location) });
  window.api = serve.api;
  return serve.api;
}

/**
 * The contract's client: the Electron preload's `window.api`, or in a plain browser (serve mode) a WebSocket
 * client to the page's own origin. Only store actions and `bindEvents` use it; components never do.
 */
export const api: Api = new Proxy({} as Api, {
  get: (_target, property) => Reflect.get(target(), property),
});

const alwaysOpen: Connection = {
  getState: () => 'open',
  subscribe: () => () => {},
};

/** The serve client's connection state; inside Electron IPC cannot drop, so it is always open. */
export function getConnection(): Connection {
  target();
  return serve?.connection ?? alwaysOpen;
}
