import { describe, expect, it } from 'vitest';
import { localFileName, parseHfInput, resolveUrl, validateFileName } from './hfSource';
import { quantFromFileName } from './quant';

const HUB = 'https://huggingface.co';

describe('parseHfInput', () => {
  it('reads hf: links, with an optional #revision', () => {
    expect(parseHfInput('hf:unsloth/Qwen3-4B-GGUF/Qwen3-4B-Q4_K_M.gguf', HUB)).toEqual({
      repo: 'unsloth/Qwen3-4B-GGUF',
      revision: 'main',
      file: 'Qwen3-4B-Q4_K_M.gguf',
    });
    expect(parseHfInput('  hf://a/b/Q8_0/model-Q8_0.gguf#v1.0 ', HUB)).toEqual({
      repo: 'a/b',
      revision: 'v1.0',
      file: 'Q8_0/model-Q8_0.gguf',
    });
  });

  it('reads resolve and blob URLs on the hub, and on the configured endpoint (with a path prefix)', () => {
    const expected = {
      repo: 'bartowski/gemma-3-1b-it-GGUF',
      revision: 'main',
      file: 'gemma-3-1b-it-Q4_K_M.gguf',
    };
    expect(
      parseHfInput(
        'https://huggingface.co/bartowski/gemma-3-1b-it-GGUF/resolve/main/gemma-3-1b-it-Q4_K_M.gguf?download=true',
        HUB,
      ),
    ).toEqual(expected);
    expect(
      parseHfInput(
        'https://huggingface.co/bartowski/gemma-3-1b-it-GGUF/blob/main/gemma-3-1b-it-Q4_K_M.gguf',
        HUB,
      ),
    ).toEqual(expected);
    expect(
      parseHfInput(
        'http://127.0.0.1:8080/hf/bartowski/gemma-3-1b-it-GGUF/resolve/main/gemma-3-1b-it-Q4_K_M.gguf',
        'http://127.0.0.1:8080/hf',
      ),
    ).toEqual(expected);
    expect(parseHfInput('https://huggingface.co/a/b/resolve/refs%2Fpr%2F1/x.gguf', HUB).revision).toBe(
      'refs/pr/1',
    );
  });

  it('refuses other hosts, non-file URLs and escaping names', () => {
    expect(() => parseHfInput('https://evil.com/a/b/resolve/main/x.gguf', HUB)).toThrow(/neither/);
    expect(() => parseHfInput('https://huggingface.co/a/b', HUB)).toThrow(/does not point at a file/);
    expect(() => parseHfInput('hf:a/b', HUB)).toThrow(/hf:owner\/repo\/file.gguf/);
    expect(() => parseHfInput('hf:a/b/../x.gguf', HUB)).toThrow(/".." folder/);
    expect(() => parseHfInput('https://huggingface.co/a/b/resolve/main/..%2F..%2Fx.gguf', HUB)).toThrow(
      /".." folder/,
    );
    expect(() => parseHfInput('https://huggingface.co/a/b/resolve/main/%00.gguf', HUB)).toThrow(/control/);
    expect(() => parseHfInput('hf:../b/x.gguf', HUB)).toThrow(/repository name/);
    expect(() => parseHfInput('not a url', HUB)).toThrow(/neither an hf: link/);
  });
});

describe('validateFileName', () => {
  it('accepts ordinary GGUF names', () => {
    expect(validateFileName('Qwen3-0.6B-Q8_0.gguf')).toBe('Qwen3-0.6B-Q8_0.gguf');
    expect(localFileName({ repo: 'a/b', revision: 'main', file: 'Q4_K_M/m.Q4_K_M.gguf' })).toBe(
      'm.Q4_K_M.gguf',
    );
  });

  it('refuses names that could escape their folder or confuse a file system', () => {
    for (const name of [
      '',
      '..',
      '../x.gguf',
      'a/b.gguf',
      '/etc/x.gguf',
      'x\0.gguf',
      '..\\x.gguf',
      'x\n.gguf',
      '.hidden.gguf',
      'C:x.gguf',
      'CON.gguf',
      'x.gguf ',
      'model.bin',
      `${'a'.repeat(300)}.gguf`,
    ]) {
      expect(() => validateFileName(name), JSON.stringify(name)).toThrow(/Refused the file name/);
    }
  });
});

describe('resolveUrl and quantization names', () => {
  it('percent-encodes every part', () => {
    expect(resolveUrl(HUB, { repo: 'a/b', revision: 'refs/pr/1', file: 'dir/x y.gguf' }).href).toBe(
      'https://huggingface.co/a/b/resolve/refs%2Fpr%2F1/dir/x%20y.gguf',
    );
  });

  it('reads the quantization from a file name', () => {
    expect(quantFromFileName('Qwen3-4B-Q4_K_M.gguf')).toBe('Q4_K_M');
    expect(quantFromFileName('gemma-3-1b-it-q8_0.gguf')).toBe('Q8_0');
    expect(quantFromFileName('tiny.F16.gguf')).toBe('F16');
    expect(quantFromFileName('Phi-4-mini-instruct-UD-Q6_K_XL.gguf')).toBe('UD-Q6_K_XL');
    expect(quantFromFileName('x-IQ4_XS.gguf')).toBe('IQ4_XS');
    expect(quantFromFileName('model.gguf')).toBeNull();
  });
});
