import { MarkdownBlock } from './MarkdownBlock';
import { splitBlocks } from './splitBlocks';

/**
 * Markdown split into top-level blocks, keyed by index: while a message streams, only the last block's text
 * changes, so only it is parsed and rendered again. Blocks render as siblings, without wrappers, so the
 * `.markdown` styles space them as one document.
 */
export function MarkdownText({ text }: { text: string }) {
  return splitBlocks(text).map((block, index) => <MarkdownBlock key={index} text={block} />);
}
