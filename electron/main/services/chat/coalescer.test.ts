import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeltaCoalescer } from './coalescer';

describe('DeltaCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first delta at once and merges the rest into one message per interval', () => {
    const sent: string[] = [];
    const coalescer = new DeltaCoalescer(
      (text) => sent.push(text),
      16,
      () => Date.now(),
    );
    coalescer.push('a');
    expect(sent).toEqual(['a']);
    for (const token of ['b', 'c', 'd']) coalescer.push(token);
    expect(sent).toEqual(['a']);
    vi.advanceTimersByTime(16);
    expect(sent).toEqual(['a', 'bcd']);
  });

  it('emits about one message per frame however fast tokens come', () => {
    const sent: string[] = [];
    const coalescer = new DeltaCoalescer(
      (text) => sent.push(text),
      16,
      () => Date.now(),
    );
    // 1000 tokens over one second: 1 ms apart.
    for (let i = 0; i < 1000; i++) {
      coalescer.push('x');
      vi.advanceTimersByTime(1);
    }
    coalescer.flush();
    expect(sent.join('')).toBe('x'.repeat(1000));
    expect(sent.length).toBeGreaterThan(50);
    expect(sent.length).toBeLessThan(70);
  });

  it('flush sends what is buffered, in order, and ignores empty text', () => {
    const sent: string[] = [];
    const coalescer = new DeltaCoalescer(
      (text) => sent.push(text),
      16,
      () => Date.now(),
    );
    coalescer.push('');
    expect(sent).toEqual([]);
    coalescer.push('a');
    coalescer.push('b');
    coalescer.flush();
    coalescer.flush();
    expect(sent).toEqual(['a', 'b']);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['a', 'b']);
  });
});
