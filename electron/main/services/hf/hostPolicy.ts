import { ServiceError } from '../errors';

/**
 * Hosts Hugging Face serves files from, per the hub's "downloading behind a proxy or firewall" list
 * (huggingface/hub-docs#2628): the hub itself, `hf.co` and every subdomain of it (`cdn-lfs-us-1.hf.co`,
 * `cas-bridge.xethub.hf.co`, `transfer.xethub.hf.co`, `us.aws.cdn.hf.co` …), and the legacy
 * `cdn-lfs*.huggingface.co` hosts. Subdomains of `hf.co` are matched by suffix because the hub adds regional
 * CDN names over time; `huggingface.co` subdomains are matched by name because that zone hosts other things.
 */
export function isHubHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'huggingface.co' || host === 'hf.co') return true;
  if (host.endsWith('.hf.co')) return true;
  return /^cdn-lfs(-[a-z0-9-]+)?\.huggingface\.co$/.test(host);
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Whether an endpoint (the hub, or a mirror from settings or `HF_ENDPOINT`) may be used at all: https, or
 * plain http only on a loopback address (a local mirror, the test server). Returns the reason when not.
 */
export function endpointProblem(endpoint: URL): string | null {
  if (endpoint.username || endpoint.password) return 'it must not carry a user name or password';
  if (endpoint.protocol === 'https:') return null;
  if (endpoint.protocol === 'http:' && isLoopbackHost(endpoint.hostname)) return null;
  return 'it must be an https:// address (plain http:// is accepted only on this machine, 127.0.0.1)';
}

/**
 * Checks one request URL, and for a redirect the hop that led to it, against the download policy: hub hosts
 * and the configured endpoint's host only; never from https down to http; http only to a loopback endpoint
 * that is itself http. Throws HOST_NOT_ALLOWED. Every redirect hop goes through here, so a mirror or a
 * compromised CDN cannot bounce a download to an arbitrary server.
 */
export function checkRequestUrl(url: URL, endpoint: URL, from?: URL): void {
  const refuse = (why: string) => {
    throw new ServiceError('HOST_NOT_ALLOWED', `Refused to download from ${url.origin}: ${why}.`);
  };
  if (url.username || url.password) refuse('the address carries credentials');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse(`${url.protocol} is not http(s)`);
  if (from?.protocol === 'https:' && url.protocol === 'http:') {
    refuse(`a redirect from ${from.origin} would downgrade https to plain http`);
  }
  const endpointHost = endpoint.hostname.toLowerCase();
  const host = url.hostname.toLowerCase();
  if (!isHubHost(host) && host !== endpointHost) {
    refuse(`${url.hostname} is neither a Hugging Face host nor the configured endpoint (${endpoint.host})`);
  }
  if (url.protocol === 'http:') {
    const loopbackEndpoint = endpoint.protocol === 'http:' && isLoopbackHost(endpointHost);
    if (!loopbackEndpoint || host !== endpointHost) refuse('plain http is allowed only to a local endpoint');
  }
}
