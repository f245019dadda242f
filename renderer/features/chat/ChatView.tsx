import { selectMessageIds, useChatStore } from '../../stores/chatStore';
import { ChatEmptyState } from './ChatEmptyState';
import { Composer } from './Composer';
import { MessageList } from './MessageList';

export function ChatView() {
  const conversationId = useChatStore((s) => s.activeConversationId);
  const hasMessages = useChatStore((s) => selectMessageIds(s, conversationId).length > 0);

  return (
    <div className="flex h-full flex-col">
      <div className="min-h-0 flex-1">
        {conversationId && hasMessages ? <MessageList conversationId={conversationId} /> : <ChatEmptyState />}
      </div>
      <Composer />
    </div>
  );
}
