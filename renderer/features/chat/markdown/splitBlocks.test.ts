import { describe, expect, it } from 'vitest';
import { splitBlocks } from './splitBlocks';

describe('splitBlocks', () => {
  it('splits at blank lines and drops the blank lines between blocks', () => {
    expect(splitBlocks('# Title\nintro\n\nsecond\n\n\n- a\n- b')).toEqual([
      '# Title\nintro',
      'second',
      '- a\n- b',
    ]);
  });

  it('returns nothing for empty text and keeps trailing blank lines in the tail', () => {
    expect(splitBlocks('')).toEqual([]);
    expect(splitBlocks('one\n\n')).toEqual(['one\n\n']);
    expect(splitBlocks('\n\none')).toEqual(['\n\none']);
  });

  it('keeps blank lines inside ``` and ~~~ fences in one block', () => {
    const backticks = '```ts\nconst a = 1;\n\nconst b = 2;\n```';
    const tildes = '~~~\nx\n\n\ny\n~~~';
    expect(splitBlocks(`before\n\n${backticks}\n\nafter`)).toEqual(['before', backticks, 'after']);
    expect(splitBlocks(`${tildes}\n\nafter`)).toEqual([tildes, 'after']);
  });

  it('closes a fence only with the same character, at least as long', () => {
    const text = '````\n```\n\n~~~\n\nstill code\n````\n\nafter';
    expect(splitBlocks(text)).toEqual(['````\n```\n\n~~~\n\nstill code\n````', 'after']);
  });

  it('does not take inline code for a fence', () => {
    expect(splitBlocks('```a`b```\n\nnext')).toEqual(['```a`b```', 'next']);
  });

  it('keeps an unterminated fence and everything after it in the tail', () => {
    expect(splitBlocks('intro\n\n```py\nprint(1)\n\n# not a heading\n\nmore')).toEqual([
      'intro',
      '```py\nprint(1)\n\n# not a heading\n\nmore',
    ]);
  });

  it('keeps an indented continuation with its list item', () => {
    const item = '1. first\n\n   still the first item\n\n       indented code in it';
    expect(splitBlocks(`${item}\n\n2. second`)).toEqual([item, '2. second']);
  });

  it('never changes a finished block as more text streams in', () => {
    const full = [
      '# Heading',
      'Some *text* with `code`.',
      '',
      '```js',
      'let x = 1;',
      '',
      'x++;',
      '```',
      '',
      '- item',
      '',
      '  continued',
      '- another',
      '',
      '~~~',
      'open fence',
      '',
      '| a | b |\n|---|---|\n| 1 | 2 |',
    ].join('\n');
    const final = splitBlocks(full);
    for (let end = 0; end <= full.length; end++) {
      const finished = splitBlocks(full.slice(0, end)).slice(0, -1);
      expect(finished, `prefix of ${end} characters`).toEqual(final.slice(0, finished.length));
    }
  });
});
