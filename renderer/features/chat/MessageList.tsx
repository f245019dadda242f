import { useEffect, useRef } from 'react';
import { selectMessageIds, useChatStore } from '../../stores/chatStore';
import { MessageRow } from './MessageRow';

/** How close to the bottom (px) still counts as following the answer. */
const PIN_SLACK = 48;

/**
 * Subscribes to the conversation's id list only, which deltas leave untouched: a streaming answer
 * re-renders its own row, not the list. Follows the bottom while the user has not scrolled up.
 */
export function MessageList({ conversationId }: { conversationId: string }) {
  const ids = useChatStore((s) => selectMessageIds(s, conversationId));
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    const scroller = scrollRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    pinned.current = true;
    const follow = (): void => {
      if (pinned.current) scroller.scrollTop = scroller.scrollHeight;
    };
    follow();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(follow);
    observer.observe(content);
    return () => observer.disconnect();
  }, [conversationId]);

  // A new message (the user's own, or an answer starting) brings the view back to the bottom.
  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    pinned.current = true;
    scroller.scrollTop = scroller.scrollHeight;
  }, [ids.length]);

  return (
    <div
      ref={scrollRef}
      data-testid="message-list"
      className="h-full overflow-y-auto"
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < PIN_SLACK;
      }}
    >
      <div ref={contentRef} className="mx-auto flex max-w-3xl flex-col gap-6 px-6 py-8">
        {ids.map((id) => (
          <MessageRow key={id} messageId={id} />
        ))}
      </div>
    </div>
  );
}
