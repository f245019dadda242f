import { describe, expect, it } from 'vitest';
import { defaultThreads } from './threads';

describe('defaultThreads', () => {
  it('uses one thread on a two-core machine, where llama.cpp’s default of 4 is ~10× slower', () => {
    expect(defaultThreads(2, {})).toBe(1);
    expect(defaultThreads(1, {})).toBe(1);
  });

  it('uses about the physical cores elsewhere, capped at 8', () => {
    expect(defaultThreads(4, {})).toBe(2);
    expect(defaultThreads(16, {})).toBe(8);
    expect(defaultThreads(64, {})).toBe(8);
  });

  it('honours EDGEWISE_THREADS and ignores nonsense', () => {
    expect(defaultThreads(2, { EDGEWISE_THREADS: '3' })).toBe(3);
    expect(defaultThreads(2, { EDGEWISE_THREADS: 'lots' })).toBe(1);
    expect(defaultThreads(2, { EDGEWISE_THREADS: '0' })).toBe(1);
  });
});
