// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeApi } from '../../test/fakeApi';
import { flush, renderApp, teardown } from '../../test/harness';

afterEach(teardown);

const ready = { state: 'ready', modelId: '0/tiny-q8_0.gguf' } as const;

async function sendMessage(text: string): Promise<void> {
  await userEvent.type(screen.getByTestId('composer-input'), `${text}{Enter}`);
  await flush();
}

function assistant(): HTMLElement {
  const all = screen.getAllByTestId('message-assistant');
  const last = all.at(-1);
  if (!last) throw new Error('no assistant message');
  return last;
}

function textOf(el: HTMLElement): string {
  return within(el).getByTestId('message-text').textContent ?? '';
}

describe('chat streaming', () => {
  it('creates a conversation, then sends with a fresh requestId and the max-tokens setting', async () => {
    const { fake } = await renderApp({ status: ready });
    await sendMessage('Hello there');

    expect(fake.argsOf('conversationsCreate')).toHaveLength(1);
    const [args] = fake.argsOf('chatSend');
    expect(args).toMatchObject({ conversationId: 'conv-1', text: 'Hello there', maxTokens: 512 });
    expect(args?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(screen.getByTestId('message-user').textContent).toBe('Hello there');
    expect(assistant().dataset.state).toBe('streaming');
    expect((screen.getByTestId('composer-input') as HTMLTextAreaElement).value).toBe('');
  });

  it('grows one assistant message per delta and the terminal event sets its state and stats', async () => {
    const { fake } = await renderApp({ status: ready });
    await sendMessage('Count');
    const stream = fake.lastStream();

    act(() => stream.delta('one'));
    act(() => stream.delta(', two'));
    act(() => stream.delta('\n<b>three</b>'));
    expect(screen.getAllByTestId('message-assistant')).toHaveLength(1);
    expect(textOf(assistant())).toBe('one, two\n<b>three</b>');
    // Plain text, never HTML.
    expect(assistant().querySelector('b')).toBeNull();
    expect(screen.queryByTestId('message-stats')).toBeNull();

    act(() => stream.done());
    expect(assistant().dataset.state).toBe('done');
    expect(screen.getByTestId('message-stats').textContent).toBe(
      '42.1 tok/s · 128 tokens · 0.31 s to first token',
    );
    expect(screen.queryByTestId('stop-button')).toBeNull();
    expect(screen.getByTestId('send-button')).toBeTruthy();
  });

  it('stop aborts the streaming requestId and shows stopped when the aborted event arrives', async () => {
    const { fake } = await renderApp({ status: ready });
    await sendMessage('Tell me a long story');
    const stream = fake.lastStream();
    act(() => stream.delta('Once upon'));

    await userEvent.click(screen.getByTestId('stop-button'));
    await flush();
    expect(fake.argsOf('chatAbort')).toEqual([{ requestId: stream.args.requestId }]);

    act(() => stream.aborted({ tokens: 3, tokensPerSecond: 10, timeToFirstTokenMs: null, durationMs: 300 }));
    expect(assistant().dataset.state).toBe('stopped');
    expect(textOf(assistant())).toBe('Once upon');
    expect(screen.getByTestId('message-stats').textContent).toBe('10.0 tok/s · 3 tokens');
    expect(screen.queryByTestId('stop-button')).toBeNull();
  });

  it('an error event shows engine-error with the code and keeps the partial answer; dismissible', async () => {
    const { fake } = await renderApp({ status: ready });
    await sendMessage('Crash please');
    const stream = fake.lastStream();
    act(() => stream.delta('Partial ans'));
    act(() => stream.error('ENGINE_CRASHED', 'The engine stopped unexpectedly. Restarting it.'));
    act(() => {
      fake.setStatus({
        state: 'crashed',
        modelId: null,
        lastError: { code: 'ENGINE_CRASHED', message: 'The engine stopped unexpectedly. Restarting it.' },
      });
    });

    const banner = screen.getByTestId('engine-error');
    expect(banner.textContent).toContain('The engine stopped unexpectedly. Restarting it.');
    expect(banner.textContent).toContain('ENGINE_CRASHED');
    expect(assistant().dataset.state).toBe('error');
    expect(textOf(assistant())).toBe('Partial ans');

    // One dismissal clears the stream's error and the engine's report of the same crash.
    await userEvent.click(within(banner).getByTestId('engine-error-dismiss'));
    expect(screen.queryByTestId('engine-error')).toBeNull();
    expect(textOf(assistant())).toBe('Partial ans');
  });

  it('applies events that arrive before the chatSend result', async () => {
    const { fake } = await renderApp({ status: ready });
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    fake.handle('chatSend', async (args) => {
      const result = await fake.defaults.chatSend(args);
      const stream = fake.lastStream();
      stream.delta('Early ');
      stream.delta('bird');
      await gate;
      return result;
    });

    await sendMessage('Who is first?');
    // The answer is already on screen, though the user message is not known yet.
    expect(textOf(assistant())).toBe('Early bird');
    expect(assistant().dataset.state).toBe('streaming');

    act(() => fake.lastStream().done());
    expect(assistant().dataset.state).toBe('done');

    await act(async () => release());
    await flush();
    const rows = screen.getAllByTestId(/^message-(user|assistant)$/);
    expect(rows.map((r) => r.dataset.testid)).toEqual(['message-user', 'message-assistant']);
    expect(assistant().dataset.state).toBe('done');
    expect(textOf(assistant())).toBe('Early bird');
    expect(screen.getByTestId('message-stats')).toBeTruthy();
  });

  it('shows a chatSend error envelope without leaving a ghost message, and gives the text back', async () => {
    const { fake } = await renderApp({ status: ready });
    fake.handle('chatSend', async () => ({
      ok: false,
      error: { code: 'BUSY', message: 'Already answering.' },
    }));
    await sendMessage('Are you there?');

    expect(screen.getByTestId('engine-error').textContent).toContain('Already answering.');
    expect(screen.queryByTestId('message-assistant')).toBeNull();
    expect(screen.queryByTestId('stop-button')).toBeNull();
    expect((screen.getByTestId('composer-input') as HTMLTextAreaElement).value).toBe('Are you there?');
  });

  it('does not apply a second terminal event or deltas after the end', async () => {
    const { fake } = await renderApp({ status: ready });
    await sendMessage('Hi');
    const stream = fake.lastStream();
    act(() => {
      stream.delta('Hey');
      stream.done();
      stream.delta(' late');
      stream.error('INTERNAL', 'late error');
    });
    expect(assistant().dataset.state).toBe('done');
    expect(textOf(assistant())).toBe('Hey');
    expect(screen.queryByTestId('engine-error')).toBeNull();
  });
});

describe('engine and models', () => {
  async function pick(fake: FakeApi, modelId: string): Promise<void> {
    await userEvent.selectOptions(screen.getByTestId('model-picker'), modelId);
    await flush();
    expect(fake.argsOf('engineLoad')).toContainEqual({ modelId });
  }

  it('selecting a model in the picker loads it and the status shows the engine', async () => {
    const { fake } = await renderApp();
    expect(screen.getByText('Pick a model to start')).toBeTruthy();
    expect((screen.getByTestId('send-button') as HTMLButtonElement).disabled).toBe(true);

    await pick(fake, '0/small-q4_0.gguf');
    expect(screen.getByTestId('engine-status').textContent).toBe('Ready · cpu · 1 thread');
    expect((screen.getByTestId('model-picker') as HTMLSelectElement).value).toBe('0/small-q4_0.gguf');
  });

  it('shows a spinner while the model loads', async () => {
    const { fake } = await renderApp();
    act(() => void fake.setStatus({ state: 'loading', modelId: '0/tiny-q8_0.gguf' }));
    expect(screen.getByText('Loading model…')).toBeTruthy();
    act(() => void fake.setStatus({ state: 'ready' }));
    expect(screen.queryByText('Loading model…')).toBeNull();
  });

  it('tells the user which folders are scanned when there are no models', async () => {
    await renderApp({ models: [], info: { modelsDirs: ['/data/models', '/opt/shared-models'] } });
    expect(screen.getByText('No models found')).toBeTruthy();
    expect(screen.getByText('/data/models')).toBeTruthy();
    expect(screen.getByText('/opt/shared-models')).toBeTruthy();
    await userEvent.click(screen.getByTestId('go-discover'));
    expect(screen.getByTestId('discover-view')).toBeTruthy();
  });

  it('a failed load shows engine-error with the code', async () => {
    const { fake } = await renderApp();
    fake.handle('engineLoad', async () => ({
      ok: false,
      error: { code: 'NOT_GGUF', message: 'This file is not a GGUF model.' },
    }));
    await pick(fake, '0/tiny-q8_0.gguf');
    expect(screen.getByTestId('engine-error').textContent).toContain('NOT_GGUF');
    expect((screen.getByTestId('model-picker') as HTMLSelectElement).value).toBe('');
  });

  it('shows the restarting state after a crash', async () => {
    const { fake } = await renderApp({ status: ready });
    act(() => void fake.setStatus({ state: 'crashed', modelId: null, lastError: null }));
    expect(screen.getByText('Restarting the engine…')).toBeTruthy();
    expect(screen.getByTestId('engine-error').dataset.code).toBe('ENGINE_CRASHED');
    act(() => void fake.setStatus({ state: 'idle', restarts: 1 }));
    await waitFor(() => expect(screen.getByText('Pick a model to start')).toBeTruthy());
  });
});

describe('conversations', () => {
  it('new-conversation creates one and lists it; items open their messages', async () => {
    const { fake } = await renderApp({
      status: ready,
      conversations: [
        {
          conversationId: 'old',
          title: 'Earlier chat',
          updatedAt: 1,
          messageCount: 2,
          messages: [
            { messageId: 'u1', role: 'user', text: 'Old question', createdAt: 1 },
            { messageId: 'a1', role: 'assistant', text: 'Old answer', createdAt: 2, state: 'done' },
          ],
        },
      ],
    });
    expect(screen.getAllByTestId('conversation-item')).toHaveLength(1);

    await userEvent.click(screen.getByTestId('new-conversation'));
    await flush();
    expect(fake.argsOf('conversationsCreate')).toHaveLength(1);
    expect(screen.getAllByTestId('conversation-item')).toHaveLength(2);

    await userEvent.click(screen.getByText('Earlier chat'));
    await flush();
    expect(screen.getByTestId('message-user').textContent).toBe('Old question');
    expect(textOf(assistant())).toBe('Old answer');
  });

  it('max-tokens-input is bound to the chat setting', async () => {
    const { fake } = await renderApp({ status: ready });
    const input = screen.getByTestId('max-tokens-input') as HTMLInputElement;
    expect(input.value).toBe('512');
    await userEvent.clear(input);
    await userEvent.type(input, '64');
    await sendMessage('Short please');
    expect(fake.argsOf('chatSend')[0]?.maxTokens).toBe(64);
  });
});
