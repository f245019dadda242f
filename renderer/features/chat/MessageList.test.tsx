// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useChatStore } from '../../stores/chatStore';
import { resetStores } from '../../test/harness';
import { MessageList } from './MessageList';

// Counts renders of each row's text. MessageText is not memoized itself, so it renders exactly when its row does.
const renders = vi.hoisted(() => [] as string[]);
vi.mock('./MessageText', () => ({
  MessageText: ({ text }: { text: string }) => {
    renders.push(text);
    return <div data-testid="message-text">{text}</div>;
  },
}));

afterEach(() => {
  renders.length = 0;
});

describe('MessageList', () => {
  it('re-renders only the streaming row on a delta', () => {
    resetStores();
    const conversationId = 'c1';
    useChatStore.setState({
      activeConversationId: conversationId,
      messageIds: { [conversationId]: ['u1', 'a1', 'u2', 'a2'] },
      messages: {
        u1: { messageId: 'u1', role: 'user', text: 'first question', createdAt: 1 },
        a1: { messageId: 'a1', role: 'assistant', text: 'first answer', createdAt: 2, state: 'done' },
        u2: { messageId: 'u2', role: 'user', text: 'second question', createdAt: 3 },
        a2: { messageId: 'a2', role: 'assistant', text: 'str', createdAt: 4, state: 'streaming' },
      },
      streams: { r2: { requestId: 'r2', conversationId, messageId: 'a2' } },
    });
    render(<MessageList conversationId={conversationId} />);
    expect(renders).toEqual(['first question', 'first answer', 'second question', 'str']);
    renders.length = 0;

    const delta = (text: string): void =>
      act(() =>
        useChatStore
          .getState()
          .applyStreamEvent({ type: 'delta', requestId: 'r2', conversationId, messageId: 'a2', text }),
      );
    delta('eam');
    delta('ing');
    expect(renders).toEqual(['stream', 'streaming']);
    expect(screen.getAllByTestId('message-text').map((el) => el.textContent)).toEqual([
      'first question',
      'first answer',
      'second question',
      'streaming',
    ]);
  });
});
