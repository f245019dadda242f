// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useChatStore } from '../../stores/chatStore';
import { resetStores, teardown } from '../../test/harness';
import { MessageRow } from './MessageRow';

afterEach(teardown);

function showMessages(): void {
  resetStores();
  useChatStore.setState({
    messages: {
      u1: { messageId: 'u1', role: 'user', text: 'Is **this** <b>bold</b>?', createdAt: 1 },
      a1: {
        messageId: 'a1',
        role: 'assistant',
        text: 'Yes, **this** is.\n\n<b>That</b> is not.',
        createdAt: 2,
        state: 'streaming',
      },
    },
  });
  render(
    <>
      <MessageRow messageId="u1" />
      <MessageRow messageId="a1" />
    </>,
  );
}

describe('MessageText in a message row', () => {
  it('keeps the person’s own words as plain text', () => {
    showMessages();
    const text = screen.getByTestId('message-user').querySelector('[data-testid="message-text"]');
    expect(text?.textContent).toBe('Is **this** <b>bold</b>?');
    expect(text?.children).toHaveLength(0);
  });

  it('renders the assistant’s answer as Markdown, keeping test ids and state', () => {
    showMessages();
    const message = screen.getByTestId('message-assistant');
    expect(message.dataset.state).toBe('streaming');
    const text = message.querySelector('[data-testid="message-text"]');
    expect(text?.querySelector('strong')?.textContent).toBe('this');
    expect(text?.querySelector('b')).toBeNull();
    expect(text?.textContent).toBe('Yes, this is.<b>That</b> is not.');
    expect(text?.hasAttribute('data-streaming')).toBe(true);
  });
});
