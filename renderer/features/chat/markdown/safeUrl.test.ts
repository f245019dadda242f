import { describe, expect, it } from 'vitest';
import { safeLinkUrl, safeWebUrl } from './safeUrl';

describe('safeLinkUrl', () => {
  it('keeps http, https and mailto', () => {
    expect(safeLinkUrl('https://example.com/a?b=c#d')).toBe('https://example.com/a?b=c#d');
    expect(safeLinkUrl(' HTTP://Example.com ')).toBe('http://example.com/');
    expect(safeLinkUrl('mailto:someone@example.com')).toBe('mailto:someone@example.com');
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'vbscript:msgbox(1)',
    '/relative/path',
    '#anchor',
    'example.com',
    '',
  ])('drops %j', (url) => {
    expect(safeLinkUrl(url)).toBeUndefined();
  });
});

describe('safeWebUrl', () => {
  it('keeps http and https only', () => {
    expect(safeWebUrl('https://example.com/p.png')).toBe('https://example.com/p.png');
    expect(safeWebUrl('mailto:someone@example.com')).toBeUndefined();
    expect(safeWebUrl('data:image/png;base64,AAAA')).toBeUndefined();
  });
});
