import type { HfSource } from '../../../shared/contract';
import { ServiceError } from '../errors';

export const DEFAULT_REVISION = 'main';

const REPO_PART = /^[A-Za-z0-9][\w.-]{0,95}$/;
const REVISION = /^[\w.-]+(\/[\w.-]+)*$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

function invalidName(name: string, why: string): never {
  throw new ServiceError('INVALID_FILE_NAME', `Refused the file name ${JSON.stringify(name)}: ${why}.`);
}

/**
 * A name that will become a file on disk. It comes from the network or from a pasted link, so anything that
 * could leave its folder or confuse a file system is refused rather than cleaned up: a cleaned-up name would
 * be a different file than the one the person asked for.
 */
export function validateFileName(name: string): string {
  if (name.length === 0) invalidName(name, 'it is empty');
  if (Buffer.byteLength(name, 'utf8') > 200) invalidName(name, 'it is longer than 200 bytes');
  if (CONTROL.test(name)) invalidName(name, 'it contains NUL or control characters');
  if (name.includes('/') || name.includes('\\')) invalidName(name, 'it contains a path separator');
  if (name === '.' || name === '..' || name.startsWith('.')) invalidName(name, 'it starts with a dot');
  if (/[:*?"<>|]/.test(name)) invalidName(name, 'it contains a character Windows does not allow');
  if (WINDOWS_RESERVED.test(name)) invalidName(name, 'it is a reserved device name on Windows');
  if (name !== name.trim() || name.endsWith('.')) invalidName(name, 'it ends with a space or a dot');
  if (!name.toLowerCase().endsWith('.gguf')) invalidName(name, 'only .gguf files are downloaded');
  return name;
}

/** A path inside a repository (`file.gguf` or `Q4_K_M/file.gguf`): every segment is checked, the last is the file name. */
export function validateRepoFilePath(filePath: string): string {
  if (filePath.startsWith('/')) invalidName(filePath, 'it is an absolute path');
  const segments = filePath.split('/');
  const fileName = segments.pop() ?? '';
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || segment.startsWith('.')) {
      invalidName(filePath, 'it has an empty, hidden or ".." folder');
    }
    if (CONTROL.test(segment) || segment.includes('\\') || segment.includes(':')) {
      invalidName(filePath, 'it contains a control character, a backslash or a colon');
    }
  }
  validateFileName(fileName);
  return filePath;
}

export function validateRepo(repo: string): string {
  const parts = repo.split('/');
  if (parts.length !== 2 || !parts.every((part) => REPO_PART.test(part) && !part.includes('..'))) {
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `"${repo}" is not a Hugging Face repository name (owner/name: letters, digits, ".", "_", "-").`,
    );
  }
  return repo;
}

export function validateRevision(revision: string): string {
  if (revision.length > 200 || !REVISION.test(revision) || revision.split('/').some((p) => p === '..')) {
    throw new ServiceError('INVALID_ARGUMENT', `"${revision}" is not a branch, tag or commit name.`);
  }
  return revision;
}

export function validateSource(source: HfSource): HfSource {
  return {
    repo: validateRepo(source.repo),
    revision: validateRevision(source.revision),
    file: validateRepoFilePath(source.file),
  };
}

/** The file's name on disk: the last segment of its repository path. */
export function localFileName(source: HfSource): string {
  return validateFileName(source.file.split('/').pop() ?? '');
}

/** `<endpoint>/<owner>/<name>/resolve/<revision>/<path>`, every part percent-encoded. */
export function resolveUrl(endpoint: string, source: HfSource): URL {
  const file = source.file.split('/').map(encodeURIComponent).join('/');
  const [owner = '', name = ''] = source.repo.split('/');
  return new URL(
    `${endpoint}/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/resolve/${encodeURIComponent(source.revision)}/${file}`,
  );
}

function decodeSegments(segments: string[], input: string): string[] {
  try {
    return segments.map((segment) => decodeURIComponent(segment));
  } catch {
    throw new ServiceError('INVALID_ARGUMENT', `"${input}" is not a valid address.`);
  }
}

/**
 * Accepts `hf:owner/repo/path/file.gguf` (optionally `#revision`, as node-llama-cpp writes it; `hf://`
 * works too) or a `…/owner/repo/resolve|blob/<revision>/<path>` URL on Hugging Face or the configured endpoint.
 */
export function parseHfInput(input: string, endpoint: string): HfSource {
  const text = input.trim();
  const uri = /^(?:hf|huggingface):(?:\/\/)?(.+)$/i.exec(text);
  if (uri) {
    const [pathPart = '', revision = DEFAULT_REVISION] = (uri[1] ?? '').split('#');
    const segments = pathPart.split('/');
    if (segments.length < 3) {
      throw new ServiceError('INVALID_ARGUMENT', `"${input}" should look like hf:owner/repo/file.gguf.`);
    }
    const [owner = '', name = '', ...file] = segments;
    return validateSource({ repo: `${owner}/${name}`, revision, file: file.join('/') });
  }

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `"${input}" is neither an hf: link nor a Hugging Face address (…/owner/repo/resolve/main/file.gguf).`,
    );
  }
  const base = new URL(endpoint);
  const onEndpoint = url.host.toLowerCase() === base.host.toLowerCase();
  const onHub = ['huggingface.co', 'hf.co', 'www.huggingface.co'].includes(url.hostname.toLowerCase());
  if (!onEndpoint && !onHub) {
    throw new ServiceError(
      'HOST_NOT_ALLOWED',
      `${url.host} is neither huggingface.co nor the configured endpoint (${base.host}).`,
    );
  }
  let pathname = url.pathname;
  const prefix = base.pathname.replace(/\/$/, '');
  if (onEndpoint && prefix && pathname.startsWith(`${prefix}/`)) pathname = pathname.slice(prefix.length);
  const rawSegments = pathname.split('/').slice(1);
  const [owner = '', name = '', kind = '', revision = '', ...file] = decodeSegments(rawSegments, input);
  if ((kind !== 'resolve' && kind !== 'blob') || !revision || file.length === 0) {
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `"${input}" does not point at a file: expected …/owner/repo/resolve/<revision>/<file>.gguf.`,
    );
  }
  return validateSource({ repo: `${owner}/${name}`, revision, file: file.join('/') });
}
