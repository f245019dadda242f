import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type {
  HfFile,
  HfFilesArgs,
  HfFilesResult,
  HfRepoSummary,
  HfSearchArgs,
  HfSource,
} from '../../../shared/contract';
import { ServiceError } from '../errors';
import type { HfSettingsStore } from './hfSettings';
import { normalizeEndpoint } from './hfSettings';
import {
  DEFAULT_REVISION,
  parseHfInput,
  resolveUrl,
  validateRepo,
  validateRepoFilePath,
  validateRevision,
} from './hfSource';
import {
  asServiceError,
  defaultDispatcher,
  header,
  hubRequest,
  statusError,
  unquoteEtag,
  type HubContext,
  type HubResponse,
} from './http';
import { quantFromFileName } from './quant';

const SHA256 = /^[0-9a-f]{64}$/;
const MAX_TREE_PAGES = 20;
const MAX_JSON_BYTES = 16 * 1024 * 1024;

const searchSchema = z.array(
  z.looseObject({
    id: z.string(),
    downloads: z.number().nullish(),
    likes: z.number().nullish(),
    lastModified: z.string().nullish(),
    gated: z.union([z.boolean(), z.string()]).nullish(),
  }),
);

const treeSchema = z.array(
  z.looseObject({
    type: z.string(),
    path: z.string(),
    size: z.number().nullish(),
    lfs: z.looseObject({ oid: z.string(), size: z.number().nullish() }).nullish(),
  }),
);

/** What a HEAD of the resolve URL tells before downloading. */
export interface HubFileInfo {
  /** From `X-Linked-Etag` (LFS files); null when the server did not announce one. */
  sha256: string | null;
  size: number | null;
  commit: string | null;
}

export interface HfClientOptions {
  settings: HfSettingsStore;
  dispatcher?: Dispatcher;
}

/**
 * Talks to the Hugging Face hub (or a mirror): search GGUF repositories, list a repository's GGUF files,
 * read a file's size and sha256 before a download. Request shapes follow huggingface_hub and huggingface.js.
 */
export class HfClient {
  readonly #settings: HfSettingsStore;
  readonly #dispatcher: Dispatcher;

  constructor(options: HfClientOptions) {
    this.#settings = options.settings;
    this.#dispatcher = options.dispatcher ?? defaultDispatcher();
  }

  /** The endpoint, token and dispatcher requests use right now; refuses an unusable endpoint. */
  context(): HubContext {
    const configured = this.#settings.endpoint();
    const normalized = normalizeEndpoint(configured);
    if ('problem' in normalized) {
      throw new ServiceError(
        'HOST_NOT_ALLOWED',
        `${normalized.problem} (from ${this.#settings.get().endpointSource}).`,
      );
    }
    return { dispatcher: this.#dispatcher, endpoint: normalized.endpoint, token: this.#settings.token() };
  }

  /** Closes idle connections (the app is quitting). */
  async close(): Promise<void> {
    await this.#dispatcher.close();
  }

  resolveInput(input: string): HfSource {
    return parseHfInput(input, this.context().endpoint);
  }

  resolveUrl(source: HfSource): URL {
    return resolveUrl(this.context().endpoint, source);
  }

  async search(args: HfSearchArgs, signal?: AbortSignal): Promise<HfRepoSummary[]> {
    const ctx = this.context();
    return this.#search(ctx, args, signal).catch((error: unknown) => {
      throw asServiceError(error, ctx.endpoint);
    });
  }

  /** The repository's GGUF files. Entries whose path could not be a safe file name are left out. */
  async files(args: HfFilesArgs, signal?: AbortSignal): Promise<HfFilesResult> {
    const ctx = this.context();
    return this.#files(ctx, args, signal).catch((error: unknown) => {
      throw asServiceError(error, ctx.endpoint);
    });
  }

  async #search(ctx: HubContext, { query, limit = 30 }: HfSearchArgs, signal?: AbortSignal) {
    const url = new URL(`${ctx.endpoint}/api/models`);
    url.searchParams.set('search', query.trim());
    url.searchParams.set('filter', 'gguf');
    url.searchParams.set('sort', 'downloads');
    url.searchParams.set('direction', '-1');
    url.searchParams.set('limit', String(Math.min(Math.max(limit, 1), 100)));
    for (const field of ['downloads', 'likes', 'lastModified', 'gated'])
      url.searchParams.append('expand[]', field);
    const response = await hubRequest(ctx, url, { signal });
    const rows = await readJsonBody(response, searchSchema, 'the search');
    return rows.map((row) => ({
      repo: row.id,
      downloads: row.downloads ?? null,
      likes: row.likes ?? null,
      updatedAt: row.lastModified ?? null,
      gated: row.gated !== undefined && row.gated !== null && row.gated !== false,
    }));
  }

  async #files(
    ctx: HubContext,
    { repo, revision = DEFAULT_REVISION }: HfFilesArgs,
    signal?: AbortSignal,
  ): Promise<HfFilesResult> {
    validateRepo(repo);
    validateRevision(revision);
    const [owner = '', name = ''] = repo.split('/');
    let url: URL | null = new URL(
      `${ctx.endpoint}/api/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/tree/${encodeURIComponent(revision)}`,
    );
    url.searchParams.set('recursive', 'true');
    const files: HfFile[] = [];
    for (let page = 0; url && page < MAX_TREE_PAGES; page++) {
      const response = await hubRequest(ctx, url, { signal });
      const entries = await readJsonBody(response, treeSchema, `the repository ${repo}`);
      for (const entry of entries) {
        if (entry.type !== 'file' || !entry.path.toLowerCase().endsWith('.gguf')) continue;
        if (!isSafeRepoPath(entry.path)) continue;
        const sha = entry.lfs?.oid.toLowerCase() ?? null;
        files.push({
          path: entry.path,
          sizeBytes: entry.lfs?.size ?? entry.size ?? null,
          sha256: sha && SHA256.test(sha) ? sha : null,
          quant: quantFromFileName(entry.path.split('/').pop() ?? ''),
        });
      }
      url = nextPage(header(response.headers, 'link'), url);
    }
    return { repo, revision, files: files.sort((a, b) => a.path.localeCompare(b.path)) };
  }

  /**
   * HEAD of the resolve URL, as huggingface_hub does: the hub's own answer (a redirect to the CDN for LFS
   * files) carries `X-Linked-Etag` (the sha256) and `X-Linked-Size`; redirects to other hosts are not followed.
   */
  async fileInfo(source: HfSource, signal?: AbortSignal): Promise<HubFileInfo> {
    const ctx = this.context();
    const response = await hubRequest(ctx, resolveUrl(ctx.endpoint, source), {
      method: 'HEAD',
      signal,
      redirects: 'relative',
    });
    await response.body.dump();
    if (response.statusCode >= 400) throw statusError(response, `${source.repo}/${source.file}`);
    const linked = unquoteEtag(header(response.headers, 'x-linked-etag'))?.toLowerCase() ?? null;
    // A redirect's Content-Length is its own body's; only a direct answer's tells the file size.
    const direct = response.statusCode < 300 ? header(response.headers, 'content-length') : null;
    const size = Number(header(response.headers, 'x-linked-size') ?? direct);
    return {
      sha256: linked && SHA256.test(linked) ? linked : null,
      size: Number.isSafeInteger(size) && size > 0 ? size : null,
      commit: header(response.headers, 'x-repo-commit'),
    };
  }
}

function isSafeRepoPath(filePath: string): boolean {
  try {
    validateRepoFilePath(filePath);
    return true;
  } catch {
    return false;
  }
}

async function readJsonBody<S extends z.ZodType>(
  response: HubResponse,
  schema: S,
  what: string,
): Promise<z.infer<S>> {
  if (response.statusCode >= 300) {
    await response.body.dump();
    throw statusError(response, what);
  }
  const length = Number(header(response.headers, 'content-length'));
  if (length > MAX_JSON_BYTES) {
    await response.body.dump();
    throw new ServiceError('NETWORK', `${response.url.host} sent an oversized answer for ${what}.`);
  }
  // Counted as it arrives: a chunked answer has no Content-Length to check up front.
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of response.body) {
    received += (chunk as Buffer).length;
    if (received > MAX_JSON_BYTES) {
      response.body.destroy();
      throw new ServiceError('NETWORK', `${response.url.host} sent an oversized answer for ${what}.`);
    }
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ServiceError('NETWORK', `${response.url.host} sent an answer for ${what} that is not JSON.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ServiceError('NETWORK', `${response.url.host} sent an unexpected answer for ${what}.`);
  }
  return parsed.data;
}

/** The hub paginates trees with `Link: <…>; rel="next"`; the next page must stay on the same origin. */
function nextPage(link: string | null, current: URL): URL | null {
  if (!link) return null;
  const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  if (!match?.[1]) return null;
  const next = new URL(match[1], current);
  return next.origin === current.origin ? next : null;
}
