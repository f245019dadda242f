import type { UrlTransform } from 'react-markdown';

const linkProtocols = new Set(['http:', 'https:', 'mailto:']);
const webProtocols = new Set(['http:', 'https:']);

/**
 * The URL, normalized, when a link to it may be rendered: absolute `http:`, `https:` or `mailto:` only.
 * `javascript:`, `data:`, `file:`, `vbscript:`, relative URLs and anything unparsable give `undefined`.
 * Parsing (rather than matching a prefix) sees through case, whitespace and tabs inside the scheme.
 */
export function safeLinkUrl(url: string): string | undefined {
  const parsed = parse(url);
  return parsed && linkProtocols.has(parsed.protocol) ? parsed.href : undefined;
}

/** Like {@link safeLinkUrl}, for `http:` and `https:` only: where an image's chip may point. */
export function safeWebUrl(url: string): string | undefined {
  const parsed = parse(url);
  return parsed && webProtocols.has(parsed.protocol) ? parsed.href : undefined;
}

/**
 * react-markdown's `urlTransform`. An image's `src` passes unchanged because it is never loaded: the `img`
 * component renders a chip showing it as text, and links it only through {@link safeWebUrl}.
 */
export const transformUrl: UrlTransform = (url, key, node) =>
  key === 'src' && node.tagName === 'img' ? url : safeLinkUrl(url);

function parse(url: string): URL | undefined {
  try {
    return new URL(url.trim());
  } catch {
    return undefined;
  }
}
