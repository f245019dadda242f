import { memo } from 'react';
import { Icon } from '../../components/Icon';
import { formatStats } from '../../lib/format';
import { useChatStore } from '../../stores/chatStore';
import { MessageText } from './MessageText';

/**
 * One message, subscribed to its own entry in the store: a delta re-renders the streaming row alone, and
 * `memo` keeps the list's renders from reaching the other rows.
 */
export const MessageRow = memo(function MessageRow({ messageId }: { messageId: string }) {
  const message = useChatStore((s) => s.messages[messageId]);
  if (!message) return null;

  if (message.role === 'user') {
    return (
      <div className="flex justify-end" data-testid="message-user" data-message-id={messageId}>
        <div className="max-w-[85%] rounded-2xl rounded-br-md bg-indigo-600 px-4 py-2.5 text-[15px] leading-relaxed text-white shadow-sm">
          <MessageText text={message.text} />
        </div>
      </div>
    );
  }

  const state = message.state ?? 'done';
  const streaming = state === 'streaming';
  return (
    <div
      className="flex gap-3"
      data-testid="message-assistant"
      data-state={state}
      data-message-id={messageId}
    >
      <div className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-lg bg-zinc-800 text-indigo-300 ring-1 ring-zinc-700/70">
        <Icon name="sparkle" className="size-3.5" />
      </div>
      <div className="min-w-0 flex-1 pt-0.5 text-[15px] leading-relaxed text-zinc-100">
        <MessageText text={message.text} streaming={streaming && message.text !== ''} markdown />
        {streaming && message.text === '' && (
          <div className="flex h-6 items-center gap-1" aria-label="Generating">
            <span className="size-1.5 animate-bounce rounded-full bg-zinc-500 [animation-delay:-0.3s]" />
            <span className="size-1.5 animate-bounce rounded-full bg-zinc-500 [animation-delay:-0.15s]" />
            <span className="size-1.5 animate-bounce rounded-full bg-zinc-500" />
          </div>
        )}
        {(state === 'done' || state === 'stopped') && (
          <p className="mt-2 flex flex-wrap items-center gap-2 text-xs text-zinc-500">
            {state === 'stopped' && (
              <span className="rounded bg-zinc-800 px-1.5 py-0.5 text-zinc-400">Stopped</span>
            )}
            {message.stats && <span data-testid="message-stats">{formatStats(message.stats)}</span>}
          </p>
        )}
        {state === 'error' && (
          <p className="mt-2 text-xs text-red-400">
            Interrupted{message.error ? ` (${message.error.code})` : ''}
          </p>
        )}
      </div>
    </div>
  );
});
