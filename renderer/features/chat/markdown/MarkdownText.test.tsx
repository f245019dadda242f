// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import type * as ReactMarkdown from 'react-markdown';
import type { Options } from 'react-markdown';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MarkdownText } from './MarkdownText';

// Records each Markdown parse by the block's text, to show which blocks render again as a message grows.
const parses = vi.hoisted(() => [] as string[]);
vi.mock('react-markdown', async (importOriginal) => {
  const actual = await importOriginal<typeof ReactMarkdown>();
  return {
    ...actual,
    default: (props: Options) => {
      parses.push(props.children ?? '');
      return actual.default(props);
    },
  };
});

afterEach(() => {
  cleanup();
  parses.length = 0;
});

function show(text: string): HTMLElement {
  return render(
    <div data-testid="message-text">
      <MarkdownText text={text} />
    </div>,
  ).getByTestId('message-text');
}

describe('MarkdownText', () => {
  it('renders GFM: emphasis, lists, tables, strikethrough, task lists and autolinks', () => {
    const el = show(
      [
        '# Title',
        '',
        'Some **bold** and ~~gone~~ text.',
        '',
        '- [x] done',
        '- [ ] todo',
        '',
        '| a | b |',
        '|---|--:|',
        '| 1 | 2 |',
        '',
        'See https://example.com/docs.',
      ].join('\n'),
    );
    expect(el.querySelector('h1')?.textContent).toBe('Title');
    expect(el.querySelector('strong')?.textContent).toBe('bold');
    expect(el.querySelector('del')?.textContent).toBe('gone');
    expect(el.querySelectorAll('input[type="checkbox"]')).toHaveLength(2);
    expect(el.querySelector('table td:last-child')?.textContent).toBe('2');
    expect(el.querySelector('a')?.getAttribute('href')).toBe('https://example.com/docs');
  });

  it('shows raw HTML as text and creates no element from it', () => {
    const html = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(1)">',
      'Hi <b onclick="x()">there</b>',
    ];
    const el = show(html.join('\n\n'));
    expect(el.querySelector('script, img, b, [onerror], [onclick]')).toBeNull();
    for (const snippet of html) expect(el.textContent).toContain(snippet);
  });

  it('links http, https and mailto URLs to open outside the app', () => {
    const el = show(
      '[site](https://example.com) [plain](http://example.com/a) [mail](mailto:me@example.com)',
    );
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/',
      'http://example.com/a',
      'mailto:me@example.com',
    ]);
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noreferrer noopener');
    }
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](data:text/html,hi)',
    '[x](file:///etc/passwd)',
    '[x](vbscript:msgbox)',
    '[x](/relative)',
    '[x][ref]\n[ref]: javascript:alert(1)',
    '<javascript:alert(1)>',
  ])('makes no link of %j', (source) => {
    const el = show(source);
    expect(el.querySelector('a')).toBeNull();
    expect(el.querySelector('[href]')).toBeNull();
  });

  it('keeps an unsafe link as its text', () => {
    expect(show('before [click *me*](javascript:alert(1)) after').textContent).toBe('before click me after');
  });

  it('never loads an image: a chip shows its alt text and URL, a link only for http(s)', () => {
    const el = show('![a cat](https://evil.example/p.png) ![pixel](data:image/png;base64,AAAA)');
    expect(el.querySelector('img')).toBeNull();
    const [web, data] = el.querySelectorAll('[data-testid="markdown-image"]');
    expect(web?.tagName).toBe('A');
    expect(web?.getAttribute('href')).toBe('https://evil.example/p.png');
    expect(web?.textContent).toBe('a cathttps://evil.example/p.png');
    expect(data?.tagName).toBe('SPAN');
    expect(data?.textContent).toContain('pixel');
  });

  it('does not nest a link in a linked image', () => {
    const el = show('[![logo](https://example.com/logo.png)](https://example.com)');
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelectorAll('a')).toHaveLength(1);
    expect(el.querySelector('a [data-testid="markdown-image"]')?.tagName).toBe('SPAN');
  });

  it('renders a fenced code block in <pre><code> with its language', () => {
    const el = show('Look:\n\n```ts\nconst a = 1;\n\nconst b = `<b>`;\n```\n\nand `inline`.');
    const pre = el.querySelector('pre');
    expect(pre?.querySelector('code')?.textContent).toBe('const a = 1;\n\nconst b = `<b>`;\n');
    expect(pre?.previousElementSibling?.textContent).toBe('ts');
    expect(el.querySelector('b')).toBeNull();
    expect(el.querySelector('p code')?.textContent).toBe('inline');
  });

  it('renders an unterminated fence, as while streaming, as code', () => {
    const el = show('Here:\n\n~~~\nline one\n\n# not a heading');
    expect(el.querySelector('pre code')?.textContent).toBe('line one\n\n# not a heading\n');
    expect(el.querySelector('h1')).toBeNull();
  });

  it('renders finished blocks once and only the growing tail again', () => {
    const { rerender } = render(<MarkdownText text="# Title" />);
    const grow = (text: string) => rerender(<MarkdownText text={text} />);
    grow('# Title\n\nFirst para');
    grow('# Title\n\nFirst paragraph.');
    grow('# Title\n\nFirst paragraph.\n\n```js\nx');
    grow('# Title\n\nFirst paragraph.\n\n```js\nx = 1\n\ny');
    grow('# Title\n\nFirst paragraph.\n\n```js\nx = 1\n\ny\n```\n\nDone');
    expect(parses).toEqual([
      '# Title',
      'First para',
      'First paragraph.',
      '```js\nx',
      '```js\nx = 1\n\ny',
      '```js\nx = 1\n\ny\n```',
      'Done',
    ]);
  });
});
