import { MarkdownText } from './markdown/MarkdownText';

/**
 * Model output is untrusted. As plain text (the person's own messages) it is a text node, with line breaks
 * and runs of spaces kept by `pre-wrap`. As Markdown (assistant messages) raw HTML shows as text, only
 * http(s) and mailto links survive, and images are never loaded (see ./markdown).
 */
export function MessageText({
  text,
  streaming = false,
  markdown = false,
}: {
  text: string;
  streaming?: boolean;
  markdown?: boolean;
}) {
  if (markdown) {
    return (
      // The streaming cursor is drawn by CSS at the end of the last block (index.css, `.markdown`).
      <div data-testid="message-text" data-streaming={streaming || undefined} className="markdown">
        <MarkdownText text={text} />
      </div>
    );
  }
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
