/**
 * Model output is untrusted: it is rendered as a text node, never as HTML. Line breaks and runs of spaces
 * are kept with `pre-wrap`.
 */
export function MessageText({ text, streaming = false }: { text: string; streaming?: boolean }) {
  return (
    <div data-testid="message-text" className="break-words whitespace-pre-wrap">
      {text}
      {streaming && (
        <span
          aria-hidden="true"
          className="ml-0.5 inline-block h-4 w-1.5 translate-y-0.5 animate-pulse rounded-sm bg-indigo-400/80"
        />
      )}
    </div>
  );
}
