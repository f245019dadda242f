import { memo } from 'react';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { markdownComponents } from './markdownComponents';
import { transformUrl } from './safeUrl';

const remarkPlugins = [remarkGfm];

/**
 * One top-level block of an assistant message. Raw HTML is not parsed (there is no rehype-raw): react-markdown
 * turns it into text. `memo` makes a finished block, whose text no longer changes, skip every later render.
 */
export const MarkdownBlock = memo(function MarkdownBlock({ text }: { text: string }) {
  return (
    <Markdown remarkPlugins={remarkPlugins} components={markdownComponents} urlTransform={transformUrl}>
      {text}
    </Markdown>
  );
});
