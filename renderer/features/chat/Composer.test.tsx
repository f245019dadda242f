// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { flush, renderApp, teardown } from '../../test/harness';

afterEach(teardown);

const ready = { status: { state: 'ready', modelId: '0/tiny-q8_0.gguf' } } as const;

function input(): HTMLTextAreaElement {
  return screen.getByTestId('composer-input') as HTMLTextAreaElement;
}

describe('Composer', () => {
  it('Enter sends', async () => {
    const { fake } = await renderApp(ready);
    await userEvent.type(input(), 'Hello{Enter}');
    await flush();
    expect(fake.argsOf('chatSend').map((a) => a.text)).toEqual(['Hello']);
    expect(input().value).toBe('');
  });

  it('Shift+Enter inserts a newline and does not send', async () => {
    const { fake } = await renderApp(ready);
    await userEvent.type(input(), 'line one{Shift>}{Enter}{/Shift}line two');
    await flush();
    expect(fake.argsOf('chatSend')).toHaveLength(0);
    expect(input().value).toBe('line one\nline two');

    await userEvent.click(screen.getByTestId('send-button'));
    await flush();
    expect(fake.argsOf('chatSend').map((a) => a.text)).toEqual(['line one\nline two']);
  });

  it('allows typing without a model but not sending, and says why', async () => {
    const { fake } = await renderApp();
    await userEvent.type(input(), 'Draft{Enter}');
    await flush();
    expect(input().value).toBe('Draft');
    expect(fake.argsOf('chatSend')).toHaveLength(0);
    expect(fake.argsOf('conversationsCreate')).toHaveLength(0);
    expect((screen.getByTestId('send-button') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('composer-hint').textContent).toBe('Pick a model above to send a message.');
  });

  it('does not send blank text', async () => {
    const { fake } = await renderApp(ready);
    await userEvent.type(input(), '   {Enter}');
    await flush();
    expect(fake.argsOf('chatSend')).toHaveLength(0);
  });

  it('swaps Send for Stop while an answer streams', async () => {
    const { fake } = await renderApp(ready);
    expect(screen.queryByTestId('stop-button')).toBeNull();
    await userEvent.type(input(), 'Go{Enter}');
    await flush();
    expect(screen.getByTestId('stop-button')).toBeTruthy();
    expect(screen.queryByTestId('send-button')).toBeNull();
    // A second Enter while streaming sends nothing.
    await userEvent.type(input(), 'More{Enter}');
    await flush();
    expect(fake.argsOf('chatSend')).toHaveLength(1);
  });
});
