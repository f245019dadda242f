import { memo } from 'react';
import { Icon } from '../../components/Icon';
import { useChatStore } from '../../stores/chatStore';

const dateFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export const ConversationItem = memo(function ConversationItem({
  conversationId,
}: {
  conversationId: string;
}) {
  const summary = useChatStore((s) => s.conversations[conversationId]);
  const active = useChatStore((s) => s.activeConversationId === conversationId);
  const streaming = useChatStore((s) =>
    Object.values(s.streams).some((stream) => stream.conversationId === conversationId),
  );
  const open = useChatStore((s) => s.openConversation);
  const remove = useChatStore((s) => s.deleteConversation);
  if (!summary) return null;

  return (
    <li className="group relative">
      <button
        type="button"
        data-testid="conversation-item"
        data-conversation-id={conversationId}
        aria-current={active ? 'true' : undefined}
        onClick={() => void open(conversationId)}
        className={`flex w-full flex-col rounded-md px-2.5 py-2 pr-8 text-left transition-colors ${
          active ? 'bg-zinc-800 text-zinc-50' : 'text-zinc-300 hover:bg-zinc-800/50'
        }`}
      >
        <span className="flex items-center gap-1.5 truncate text-sm">
          {streaming && <span className="size-1.5 shrink-0 animate-pulse rounded-full bg-indigo-400" />}
          <span className="truncate">{summary.title || 'New conversation'}</span>
        </span>
        <span className="text-[11px] text-zinc-500">
          {dateFormat.format(summary.updatedAt)} ·{' '}
          {summary.messageCount === 1 ? '1 message' : `${summary.messageCount} messages`}
        </span>
      </button>
      <button
        type="button"
        aria-label={`Delete ${summary.title || 'conversation'}`}
        title="Delete"
        onClick={() => void remove(conversationId)}
        className="absolute top-1/2 right-1.5 -translate-y-1/2 rounded p-1 text-zinc-500 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100 hover:bg-zinc-700 hover:text-zinc-200"
      >
        <Icon name="trash" className="size-3.5" />
      </button>
    </li>
  );
});
