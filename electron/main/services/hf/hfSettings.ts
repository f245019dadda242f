import { z } from 'zod';
import type { HfSetSettingsArgs, HfSettings } from '../../../shared/contract';
import { ServiceError } from '../errors';
import { readJson, writeJsonAtomic } from '../storage/jsonFile';
import { endpointProblem } from './hostPolicy';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

const fileSchema = z.object({
  endpoint: z.string().nullable().optional(),
  token: z.string().nullable().optional(),
});
type SettingsFile = z.infer<typeof fileSchema>;

/** An endpoint as typed or set in the environment → `https://host[:port][/prefix]`, or the reason it is refused. */
export function normalizeEndpoint(value: string): { endpoint: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { problem: `"${value}" is not a URL` };
  }
  const problem = endpointProblem(url);
  if (problem) return { problem: `"${value}" cannot be the Hugging Face endpoint: ${problem}` };
  if (url.search || url.hash) return { problem: `"${value}" must not have a query or fragment` };
  return { endpoint: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

const TOKEN = /^[\x21-\x7e]{1,512}$/;

/**
 * Where Edgewise talks to Hugging Face and with which token. Precedence: the app's settings, then the
 * `HF_ENDPOINT` / `HF_TOKEN` environment variables (which huggingface_hub and node-llama-cpp also read),
 * then https://huggingface.co and no token. Saved in `hf.json` in the data folder, token in plain text
 * (the folder is the user's own; encryption at rest through the OS keychain is a follow-up).
 */
export class HfSettingsStore {
  readonly #file: string | null;
  readonly #env: NodeJS.ProcessEnv;
  #saved: SettingsFile = {};

  constructor(file: string | null, env: NodeJS.ProcessEnv = process.env) {
    this.#file = file;
    this.#env = env;
  }

  async load(): Promise<void> {
    if (!this.#file) return;
    // An unreadable file (a directory, no permission) means defaults, not an app that cannot start.
    const result = await readJson(this.#file, fileSchema).catch(() => null);
    if (result?.status === 'ok') this.#saved = result.value;
  }

  get(): HfSettings {
    const { endpoint, source } = this.#resolveEndpoint();
    return { endpoint, endpointSource: source, hasToken: this.token() !== null };
  }

  endpoint(): string {
    return this.#resolveEndpoint().endpoint;
  }

  token(): string | null {
    const token = this.#saved.token ?? this.#env.HF_TOKEN?.trim() ?? null;
    return token && TOKEN.test(token) ? token : null;
  }

  async set(args: HfSetSettingsArgs): Promise<HfSettings> {
    const next: SettingsFile = { ...this.#saved };
    if (args.endpoint !== undefined) {
      if (args.endpoint === null || args.endpoint.trim() === '') next.endpoint = null;
      else {
        const normalized = normalizeEndpoint(args.endpoint);
        if ('problem' in normalized) throw new ServiceError('INVALID_ARGUMENT', `${normalized.problem}.`);
        next.endpoint = normalized.endpoint;
      }
    }
    if (args.token !== undefined) {
      const token = args.token?.trim() ?? '';
      if (token && !TOKEN.test(token)) {
        throw new ServiceError(
          'INVALID_ARGUMENT',
          'An access token is 1–512 printable characters, no spaces.',
        );
      }
      next.token = token || null;
    }
    if (this.#file) await writeJsonAtomic(this.#file, next);
    this.#saved = next;
    return this.get();
  }

  #resolveEndpoint(): { endpoint: string; source: HfSettings['endpointSource'] } {
    if (this.#saved.endpoint) return { endpoint: this.#saved.endpoint, source: 'settings' };
    const env = this.#env.HF_ENDPOINT?.trim();
    if (env) {
      const normalized = normalizeEndpoint(env);
      // An unusable HF_ENDPOINT is still reported as the endpoint, so requests fail naming it rather than
      // silently going to huggingface.co behind the back of whoever set it.
      return { endpoint: 'endpoint' in normalized ? normalized.endpoint : env, source: 'env' };
    }
    return { endpoint: DEFAULT_ENDPOINT, source: 'default' };
  }
}
