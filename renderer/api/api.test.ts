// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Api, ServeClientMessage } from '../../electron/shared/contract';
import { createFakeApi } from '../test/fakeApi';
import { api, getConnection } from './api';

const sockets: Array<{ url: string; sent: ServeClientMessage[]; readyState: number }> = [];

class StubSocket {
  readyState = 0;
  sent: ServeClientMessage[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    sockets.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as ServeClientMessage);
  }
  close(): void {}
}

afterEach(() => {
  vi.unstubAllGlobals();
  delete window.api;
});

describe('api', () => {
  it('uses the preload bridge when there is one', async () => {
    const fake = createFakeApi();
    window.api = fake.api;
    await api.modelsList();
    expect(fake.argsOf('modelsList')).toHaveLength(1);
    expect(getConnection().getState()).toBe('open');
    expect(sockets).toHaveLength(0);
  });

  it('without one, connects to /api on the page origin and publishes the client as window.api', () => {
    delete window.api;
    vi.stubGlobal('WebSocket', StubSocket);
    void api.engineStatus();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.url).toBe(`ws://${window.location.host}/api`);
    const published = (): Api | undefined => window.api;
    expect(typeof published()?.chatSend).toBe('function');
    expect(getConnection().getState()).toBe('connecting');
  });
});
