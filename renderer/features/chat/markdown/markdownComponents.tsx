import { createContext, useContext, type ComponentProps } from 'react';
import type { Components, ExtraProps } from 'react-markdown';
import { Icon } from '../../../components/Icon';
import { safeLinkUrl, safeWebUrl } from './safeUrl';

type Props<Tag extends 'a' | 'img' | 'pre' | 'table'> = ComponentProps<Tag> & ExtraProps;

// An image chip inside a link must not be a second, nested link.
const InsideLink = createContext(false);

/** A safe URL opens outside the app; any other link is shown as its text alone. */
function Link({ href, children }: Props<'a'>) {
  // `transformUrl` has already dropped unsafe URLs; checking again keeps this component safe on its own.
  const safe = href === undefined ? undefined : safeLinkUrl(href);
  if (!safe) return <>{children}</>;
  return (
    <InsideLink value>
      <a
        href={safe}
        target="_blank"
        rel="noreferrer noopener"
        className="text-indigo-300 underline decoration-indigo-400/40 underline-offset-2 hover:decoration-indigo-300"
      >
        {children}
      </a>
    </InsideLink>
  );
}

/** Images are never loaded: a chip shows the alt text and the URL, and links to it when it is http(s). */
function ImageChip({ src, alt }: Props<'img'>) {
  const insideLink = useContext(InsideLink);
  const url = typeof src === 'string' ? src : '';
  const href = insideLink ? undefined : safeWebUrl(url);
  const content = (
    <>
      <Icon name="image" className="size-3.5 shrink-0 text-zinc-400" />
      <span className="shrink-0">{alt || 'Image'}</span>
      {url && <span className="truncate text-zinc-500">{url}</span>}
    </>
  );
  const className =
    'inline-flex max-w-full items-center gap-1.5 rounded-md border border-zinc-700/70 bg-zinc-800/70 px-1.5 py-0.5 align-middle text-[13px] leading-snug text-zinc-300 no-underline';
  return href ? (
    <a
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      title={url}
      className={`${className} hover:border-zinc-600`}
      data-testid="markdown-image"
    >
      {content}
    </a>
  ) : (
    <span title={url} className={className} data-testid="markdown-image">
      {content}
    </span>
  );
}

/** A fenced code block: the fence's language as a label, and the code scrolling sideways, never wrapping. */
function CodeBlock({ node, children }: Props<'pre'>) {
  const language = languageOf(node);
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-800 bg-zinc-900/80">
      {language && (
        <div className="border-b border-zinc-800 px-3 py-1 font-mono text-xs text-zinc-400">{language}</div>
      )}
      <pre className="overflow-x-auto px-3 py-2.5 font-mono text-[13px] leading-relaxed text-zinc-200">
        {children}
      </pre>
    </div>
  );
}

function Table({ children }: Props<'table'>) {
  return (
    <div className="overflow-x-auto">
      <table>{children}</table>
    </div>
  );
}

/** `language-ts` on the `<code>` inside a fenced block's `<pre>` (remark-rehype puts it there). */
function languageOf(pre: ExtraProps['node']): string | undefined {
  const code = pre?.children[0];
  if (code?.type !== 'element' || code.tagName !== 'code') return undefined;
  const classes = code.properties.className;
  const language = Array.isArray(classes)
    ? classes.map(String).find((name) => name.startsWith('language-'))
    : undefined;
  return language?.slice('language-'.length) || undefined;
}

export const markdownComponents: Components = { a: Link, img: ImageChip, pre: CodeBlock, table: Table };
