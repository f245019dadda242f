import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/Icon';
import { useChatStore } from '../../stores/chatStore';
import { ConversationItem } from './ConversationItem';

export function ConversationList() {
  const ids = useChatStore(
    useShallow((s) =>
      Object.values(s.conversations)
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .map((c) => c.conversationId),
    ),
  );
  const newConversation = useChatStore((s) => s.newConversation);

  return (
    <div className="flex h-full flex-col">
      <div className="p-2">
        <button
          type="button"
          data-testid="new-conversation"
          onClick={() => void newConversation()}
          className="flex w-full items-center justify-center gap-2 rounded-lg border border-zinc-700/80 bg-zinc-800/60 px-3 py-2 text-sm font-medium text-zinc-100 transition-colors hover:border-zinc-600 hover:bg-zinc-800"
        >
          <Icon name="plus" />
          New chat
        </button>
      </div>
      <p className="px-4 pt-2 pb-1 text-[11px] font-medium tracking-wider text-zinc-500 uppercase">Chats</p>
      {ids.length === 0 ? (
        <p className="px-4 py-2 text-xs text-zinc-500">Your conversations appear here.</p>
      ) : (
        <ul className="min-h-0 flex-1 space-y-0.5 overflow-y-auto px-2 pb-2">
          {ids.map((id) => (
            <ConversationItem key={id} conversationId={id} />
          ))}
        </ul>
      )}
    </div>
  );
}
