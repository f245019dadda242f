// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../test/fakeApi';
import { flush, installFakeApi, teardown } from '../test/harness';
import { useChatStore } from './chatStore';

afterEach(teardown);

const ready = { status: { state: 'ready', modelId: '0/tiny-q8_0.gguf' } } as const;

describe('chatStore', () => {
  it('tracks which requestId streams into which message', async () => {
    const fake = await installFakeApi(ready);
    await useChatStore.getState().send('Hi');
    const { args, assistantMessage } = fake.lastStream();
    expect(useChatStore.getState().streams).toEqual({
      [args.requestId]: {
        requestId: args.requestId,
        conversationId: 'conv-1',
        messageId: assistantMessage.messageId,
      },
    });
    fake.lastStream().done();
    expect(useChatStore.getState().streams).toEqual({});
  });

  it('marks streams as interrupted when the connection drops', async () => {
    const fake = await installFakeApi(ready);
    await useChatStore.getState().send('Hi');
    const { assistantMessage } = fake.lastStream();
    fake.lastStream().delta('Half');
    useChatStore.getState().markDisconnected();
    const s = useChatStore.getState();
    expect(s.streams).toEqual({});
    expect(s.messages[assistantMessage.messageId]).toMatchObject({ state: 'error', text: 'Half' });
    expect(s.error?.error.code).toBe('DISCONNECTED');
  });

  it('reloading a conversation keeps the answer still streaming here', async () => {
    const fake = await installFakeApi(ready);
    await useChatStore.getState().send('Hi');
    const { assistantMessage } = fake.lastStream();
    fake.lastStream().delta('Growing');
    await useChatStore.getState().openConversation('conv-1');
    expect(useChatStore.getState().messages[assistantMessage.messageId]?.text).toBe('Growing');
    expect(useChatStore.getState().messageIds['conv-1']).toHaveLength(2);
  });

  it('stop finishes the message locally when main no longer knows the stream', async () => {
    const fake = await installFakeApi(ready);
    await useChatStore.getState().send('Hi');
    const { assistantMessage } = fake.lastStream();
    fake.handle('chatAbort', async () => ok({ aborted: false }));
    await useChatStore.getState().stop();
    await flush();
    expect(useChatStore.getState().messages[assistantMessage.messageId]?.state).toBe('stopped');
    expect(useChatStore.getState().streams).toEqual({});
  });

  it('ignores max-token values that are not positive integers', () => {
    useChatStore.getState().setMaxTokens(0);
    useChatStore.getState().setMaxTokens(1.5);
    expect(useChatStore.getState().maxTokens).toBe(512);
    useChatStore.getState().setMaxTokens(64);
    expect(useChatStore.getState().maxTokens).toBe(64);
  });
});
