import type { Api } from '../electron/shared/contract';

declare global {
  interface Window {
    /**
     * The Electron preload's bridge, or — in serve mode — the WebSocket client, assigned so that end-to-end
     * tests and scripts use the same global in both. Renderer code goes through `api` from `api/api.ts`.
     */
    api?: Api;
  }
}

export {};
