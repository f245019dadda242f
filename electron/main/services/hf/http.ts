import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { ServiceError } from '../errors';
import { checkRequestUrl } from './hostPolicy';

/**
 * Why undici and not the global fetch: its `EnvHttpProxyAgent` honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY
 * for these requests only, whatever Node or Electron version runs us (Node's own `NODE_USE_ENV_PROXY` is
 * read once at process start and Electron's main process may not honour it). TLS is Node's: the default CA
 * store plus NODE_EXTRA_CA_CERTS, and verification is never turned off.
 */
export function defaultDispatcher(): Dispatcher {
  return new EnvHttpProxyAgent();
}

export interface HubContext {
  dispatcher: Dispatcher;
  /** The configured endpoint, without a trailing slash. */
  endpoint: string;
  token: string | null;
}

export interface HubRequestOptions {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * `all` follows every redirect (downloads); `relative` follows only redirects without a host (a renamed
   * repository) and returns the hub's own answer to a CDN redirect, whose headers carry the file's metadata.
   */
  redirects?: 'all' | 'relative';
  /** Fail an attempt when no byte arrives for this long (undici's body timeout). */
  stallMs?: number;
  headersTimeoutMs?: number;
}

export interface HubResponse {
  statusCode: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Dispatcher.ResponseData['body'];
  /** The URL that answered, after redirects. */
  url: URL;
}

const MAX_REDIRECTS = 8;

/** A failure worth retrying: 5xx, 429, a connection that closed early, a server that answered the wrong range. */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

/**
 * One request to the hub or its CDN. Redirects are followed here, by hand, so every hop passes the host
 * policy; the token goes only to the endpoint's own origin, never to a CDN (its URLs are pre-signed).
 */
export async function hubRequest(
  ctx: HubContext,
  url: URL,
  options: HubRequestOptions = {},
): Promise<HubResponse> {
  const endpoint = new URL(ctx.endpoint);
  let current = url;
  let previous: URL | undefined;
  for (let hop = 0; ; hop++) {
    checkRequestUrl(current, endpoint, previous);
    const headers: Record<string, string> = { 'user-agent': 'Edgewise', ...options.headers };
    if (ctx.token && current.origin === endpoint.origin) headers.authorization = `Bearer ${ctx.token}`;
    const response = await request(current, {
      method: options.method ?? 'GET',
      headers,
      signal: options.signal,
      dispatcher: ctx.dispatcher,
      bodyTimeout: options.stallMs ?? 30_000,
      headersTimeout: options.headersTimeoutMs ?? 30_000,
    });
    const location = header(response.headers, 'location');
    const isRedirect = [301, 302, 303, 307, 308].includes(response.statusCode) && location !== null;
    if (!isRedirect) return { ...response, url: current };
    if (options.redirects === 'relative' && /^[a-z][a-z0-9+.-]*:|^\/\//i.test(location)) {
      return { ...response, url: current };
    }
    const next = new URL(location, current);
    await response.body.dump();
    if (hop >= MAX_REDIRECTS)
      throw new TransientError(`More than ${MAX_REDIRECTS} redirects from ${url.origin}.`);
    previous = current;
    current = next;
  }
}

export function header(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/**
 * Turns a hub status into the error a person can act on. The hub names the reason in `X-Error-Code`
 * (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo), as huggingface_hub reads it.
 */
export function statusError(response: HubResponse, what: string): Error {
  const code = header(response.headers, 'x-error-code');
  const status = response.statusCode;
  if (code === 'GatedRepo' || status === 401 || status === 403) {
    return new ServiceError(
      'HF_UNAUTHORIZED',
      code === 'GatedRepo'
        ? `${what} is gated: accept its terms on Hugging Face and set an access token (HF_TOKEN or the settings).`
        : `${what} needs an access token, or the token set has no access to it.`,
    );
  }
  if (status === 404 || code === 'RepoNotFound' || code === 'EntryNotFound' || code === 'RevisionNotFound') {
    return new ServiceError('HF_NOT_FOUND', `${what} was not found on ${response.url.host}.`);
  }
  if (status >= 500 || status === 429 || status === 408) {
    return new TransientError(`${response.url.host} answered ${status} for ${what}.`);
  }
  return new ServiceError('NETWORK', `${response.url.host} answered ${status} for ${what}.`);
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** Network failures that a later attempt may not meet: resets, refusals, timeouts, stalls. */
export function isTransient(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof TransientError) return true;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

const TLS_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

function errorCode(error: unknown): string | null {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * A network failure as an error a person can act on (NETWORK), with a hint for certificate problems; other
 * errors pass through unchanged (ServiceErrors, aborts, bugs).
 */
export function asServiceError(error: unknown, what: string): unknown {
  if (error instanceof ServiceError) return error;
  const code = errorCode(error);
  if (code && TLS_CODES.test(code)) {
    return new ServiceError(
      'NETWORK',
      `The TLS certificate of ${what} could not be verified (${code}). On a network with its own certificate ` +
        'authority, set NODE_EXTRA_CA_CERTS to its certificate file.',
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ServiceError('DISK_FULL', `The disk is full: ${describeError(error)}.`);
  }
  if (isTransient(error) || code === 'ENOTFOUND') {
    return new ServiceError('NETWORK', `Could not reach ${what}: ${describeError(error)}.`);
  }
  return error;
}

/** The ETag as sent, or the sha256 inside `X-Linked-Etag` (quoted, sometimes weak-prefixed). */
export function unquoteEtag(value: string | null): string | null {
  if (!value) return null;
  return value.replace(/^W\//, '').replace(/^"|"$/g, '');
}

export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let cause = error, depth = 0; cause && depth < 4; depth++) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const code = (cause as { code?: unknown }).code;
    parts.push(typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message);
    cause = (cause as { cause?: unknown }).cause;
  }
  return [...new Set(parts)].join(': ');
}
