// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { useChatStore } from '../stores/chatStore';
import { useEngineStore } from '../stores/engineStore';
import { useModelsStore } from '../stores/modelsStore';
import { IDLE, createFakeApi, ok } from '../test/fakeApi';
import { flush, resetStores, teardown } from '../test/harness';
import { bindEvents } from './bindEvents';

afterEach(teardown);

describe('bindEvents', () => {
  it('shows the model main already has loaded as the picked one in a new window', async () => {
    resetStores();
    const fake = createFakeApi({ status: { state: 'ready', modelId: '0/small-q4_0.gguf' } });
    window.api = fake.api;
    const unbind = bindEvents();
    await flush();
    expect(useModelsStore.getState().selectedModelId).toBe('0/small-q4_0.gguf');
    unbind();
  });

  it('subscribes before hydrating, and a status event beats an older call result', async () => {
    resetStores();
    const fake = createFakeApi();
    window.api = fake.api;
    let listenersAtCall = -1;
    let answer = (): void => {};
    fake.handle('engineStatus', () => {
      listenersAtCall = fake.listenerCount('engine:status');
      // Main answers with the status as it was when the call arrived…
      const stale = { ...IDLE };
      return new Promise((resolve) => (answer = () => resolve(ok(stale))));
    });

    const unbind = bindEvents();
    expect(listenersAtCall).toBe(1);
    // …but an event pushed meanwhile is newer.
    fake.setStatus({ state: 'ready', modelId: '0/tiny-q8_0.gguf' });
    answer();
    await flush();
    expect(useEngineStore.getState().status?.state).toBe('ready');
    expect(useModelsStore.getState().selectedModelId).toBe('0/tiny-q8_0.gguf');
    expect(useModelsStore.getState().modelIds).toEqual(['0/small-q4_0.gguf', '0/tiny-q8_0.gguf']);

    unbind();
    expect(fake.listenerCount('engine:status')).toBe(0);
    expect(fake.listenerCount('chat:stream')).toBe(0);
  });

  it('binds once', () => {
    resetStores();
    const fake = createFakeApi();
    window.api = fake.api;
    const a = bindEvents();
    const b = bindEvents();
    expect(a).toBe(b);
    expect(fake.listenerCount('chat:stream')).toBe(1);
    a();
  });

  it('ignores streams of conversations this window has not loaded', async () => {
    resetStores();
    const fake = createFakeApi();
    window.api = fake.api;
    const unbind = bindEvents();
    await flush();
    fake.emit('chat:stream', {
      type: 'delta',
      requestId: 'r-other',
      conversationId: 'elsewhere',
      messageId: 'm-other',
      text: 'hi',
    });
    expect(useChatStore.getState().messages).toEqual({});
    unbind();
  });
});
