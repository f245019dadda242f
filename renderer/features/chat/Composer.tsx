import { Icon } from '../../components/Icon';
import { selectActiveStream, useChatStore } from '../../stores/chatStore';
import { MaxTokensInput } from './MaxTokensInput';
import { sendBlockedReason } from './readiness';
import { useReadiness } from './useReadiness';

/** Typing is always possible; sending needs a loaded model, and the hint says what is missing. */
export function Composer() {
  const draft = useChatStore((s) => s.draft);
  const setDraft = useChatStore((s) => s.setDraft);
  const send = useChatStore((s) => s.send);
  const stop = useChatStore((s) => s.stop);
  const sending = useChatStore((s) => s.sending);
  const streaming = useChatStore((s) => selectActiveStream(s) !== null);
  const blocked = sendBlockedReason(useReadiness());
  const canSend = !blocked && !sending && !streaming && draft.trim() !== '';

  const submit = (): void => {
    if (canSend) void send(draft);
  };

  return (
    <div className="mx-auto w-full max-w-3xl px-6 pb-5">
      <div className="rounded-2xl border border-zinc-800 bg-zinc-900 shadow-lg shadow-black/20 transition-colors focus-within:border-zinc-600">
        <textarea
          data-testid="composer-input"
          aria-label="Message"
          rows={1}
          autoFocus
          value={draft}
          placeholder="Message Edgewise…"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing) return;
            e.preventDefault();
            submit();
          }}
          className="field-sizing-content block max-h-60 min-h-12 w-full resize-none bg-transparent px-4 pt-3.5 pb-1 text-[15px] text-zinc-100 placeholder:text-zinc-500 focus:outline-none"
        />
        <div className="flex items-center gap-3 px-3 pb-3">
          <MaxTokensInput />
          <span className="ml-auto" />
          {streaming ? (
            <button
              key="stop"
              type="button"
              data-testid="stop-button"
              onClick={() => void stop()}
              className="flex h-8 items-center gap-1.5 rounded-lg bg-zinc-100 px-3 text-sm font-medium text-zinc-900 transition-colors hover:bg-white"
            >
              <Icon name="stop" className="size-3.5 fill-current" />
              Stop
            </button>
          ) : (
            <button
              key="send"
              type="button"
              data-testid="send-button"
              disabled={!canSend}
              title={blocked ?? undefined}
              onClick={submit}
              className="flex h-8 items-center gap-1.5 rounded-lg bg-indigo-500 px-3 text-sm font-medium text-white transition-colors hover:bg-indigo-400 disabled:cursor-not-allowed disabled:bg-zinc-800 disabled:text-zinc-500"
            >
              Send
              <Icon name="send" className="size-3.5" />
            </button>
          )}
        </div>
      </div>
      <p data-testid="composer-hint" className="mt-2 h-4 text-center text-xs text-zinc-500">
        {blocked ?? 'Enter to send · Shift+Enter for a new line'}
      </p>
    </div>
  );
}
