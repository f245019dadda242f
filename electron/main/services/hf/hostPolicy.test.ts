import { describe, expect, it } from 'vitest';
import { checkRequestUrl, endpointProblem, isHubHost } from './hostPolicy';

const HUB = new URL('https://huggingface.co');
const check =
  (url: string, endpoint = HUB, from?: string) =>
  () =>
    checkRequestUrl(new URL(url), endpoint, from ? new URL(from) : undefined);

describe('download host policy', () => {
  it('allows the hub and its CDN hosts', () => {
    for (const host of [
      'huggingface.co',
      'hf.co',
      'cdn-lfs.huggingface.co',
      'cdn-lfs-us-1.huggingface.co',
      'cdn-lfs.hf.co',
      'cdn-lfs-eu-1.hf.co',
      'cas-bridge.xethub.hf.co',
      'transfer.xethub.hf.co',
      'us.aws.cdn.hf.co',
    ]) {
      expect(isHubHost(host), host).toBe(true);
      expect(check(`https://${host}/x`), host).not.toThrow();
    }
  });

  it('refuses look-alikes and other hosts', () => {
    for (const host of [
      'evilhf.co',
      'hf.co.evil.com',
      'huggingface.co.evil.com',
      'discuss.huggingface.co',
      'x.com',
    ]) {
      expect(isHubHost(host), host).toBe(false);
      expect(check(`https://${host}/x`), host).toThrow(/neither a Hugging Face host/);
    }
  });

  it('allows the configured mirror host (any port), and only it besides the hub', () => {
    const mirror = new URL('https://mirror.example.com/hf');
    expect(check('https://mirror.example.com:8443/x', mirror)).not.toThrow();
    expect(check('https://cdn-lfs.hf.co/x', mirror)).not.toThrow();
    expect(check('https://other.example.com/x', mirror)).toThrow(/HOST_NOT_ALLOWED|neither/);
  });

  it('refuses https → http redirects, always', () => {
    const local = new URL('http://127.0.0.1:9000');
    expect(check('http://huggingface.co/x', HUB, 'https://huggingface.co/y')).toThrow(/downgrade/);
    expect(check('http://127.0.0.1:9000/x', local, 'https://127.0.0.1:9001/y')).toThrow(/downgrade/);
  });

  it('allows plain http only to a loopback endpoint that is itself http', () => {
    const local = new URL('http://127.0.0.1:9000');
    expect(check('http://127.0.0.1:9001/cdn', local, 'http://127.0.0.1:9000/a')).not.toThrow();
    expect(check('http://localhost:9001/cdn', local)).toThrow(/neither/);
    expect(check('http://huggingface.co/x')).toThrow(/plain http/);
    expect(check('http://mirror.example.com/x', new URL('https://mirror.example.com'))).toThrow(/plain http/);
  });

  it('refuses credentials in URLs and non-http schemes', () => {
    expect(check('https://user:pw@huggingface.co/x')).toThrow(/credentials/);
    expect(check('file:///etc/passwd')).toThrow(/not http/);
  });

  it('accepts https endpoints and http only on loopback', () => {
    expect(endpointProblem(new URL('https://hf-mirror.com'))).toBeNull();
    expect(endpointProblem(new URL('http://127.0.0.1:8080'))).toBeNull();
    expect(endpointProblem(new URL('http://localhost:8080'))).toBeNull();
    expect(endpointProblem(new URL('http://mirror.corp'))).toMatch(/https/);
    expect(endpointProblem(new URL('https://u:p@mirror.corp'))).toMatch(/password/);
  });
});
