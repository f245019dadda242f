import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelsFolder } from '../../../shared/contract';

export type FolderKind = ModelsFolder['kind'];

/** A model file found in a folder: `relative` becomes the id's path part, `name` what the person sees. */
export interface FoundModel {
  file: string;
  relative: string;
  name: string;
}

const MAX_DEPTH = 4;
/** Where a download in progress or a file that failed verification lives; never a model. */
const QUARANTINE_DIR = '.quarantine';
const OLLAMA_MODEL_LAYER = 'application/vnd.ollama.image.model';

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => null))?.isDirectory() ?? false;
}

/**
 * The folder a person pointed at may be an app's root rather than its models folder: `~/.ollama` holds
 * `models/`, and so does `~/.lmstudio`.
 */
export async function normalizeFolder(dir: string): Promise<string> {
  const base = path.basename(dir);
  if (
    (base === '.ollama' || base === '.lmstudio' || base === 'lm-studio') &&
    (await isDirectory(path.join(dir, 'models')))
  ) {
    return path.join(dir, 'models');
  }
  return dir;
}

/**
 * Ollama: `manifests/` and `blobs/` side by side. LM Studio: its known models folders, laid out as
 * `publisher/repo/file.gguf`. Anything else is a plain folder of GGUF files.
 */
export async function detectKind(dir: string): Promise<Exclude<FolderKind, 'edgewise'>> {
  if ((await isDirectory(path.join(dir, 'manifests'))) && (await isDirectory(path.join(dir, 'blobs'))))
    return 'ollama';
  const normalized = dir.split(path.sep).join('/');
  if (/\/(\.lmstudio|\.cache\/lm-studio)\/models\/?$/.test(normalized)) return 'lmstudio';
  return 'folder';
}

export async function scanFolder(dir: string, kind: FolderKind): Promise<FoundModel[]> {
  if (kind === 'ollama') return scanOllama(dir);
  const files = await findGguf(dir, MAX_DEPTH);
  return files.map((file) => ({
    file,
    relative: path.relative(dir, file).split(path.sep).join('/'),
    name: path.basename(file),
  }));
}

async function findGguf(dir: string, depth: number): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    // Hidden entries include `.quarantine/`; `.part` files never end in `.gguf`, but say so anyway.
    if (entry.name.startsWith('.') || entry.name === QUARANTINE_DIR || entry.name.endsWith('.part')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && depth > 0) found.push(...(await findGguf(full, depth - 1)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.toLowerCase().endsWith('.gguf'))
      found.push(full);
  }
  return found;
}

/**
 * Ollama keeps weights as content-addressed blobs without a `.gguf` extension; its manifests
 * (`manifests/<registry>/<namespace>/<model>/<tag>`) name the blob whose layer is the model.
 */
async function scanOllama(dir: string): Promise<FoundModel[]> {
  const manifests = path.join(dir, 'manifests');
  const found: FoundModel[] = [];
  for (const registry of await subdirs(manifests)) {
    for (const namespace of await subdirs(path.join(manifests, registry))) {
      for (const model of await subdirs(path.join(manifests, registry, namespace))) {
        const tagsDir = path.join(manifests, registry, namespace, model);
        const tags = await readdir(tagsDir, { withFileTypes: true }).catch(() => []);
        for (const tag of tags) {
          if (!tag.isFile() || tag.name.startsWith('.')) continue;
          const blob = await modelBlob(path.join(tagsDir, tag.name));
          if (!blob) continue;
          const file = path.join(dir, 'blobs', blob);
          if (!(await stat(file).catch(() => null))?.isFile()) continue;
          const short = registry === 'registry.ollama.ai' && namespace === 'library';
          const name = `${short ? '' : `${namespace}/`}${model}:${tag.name}`;
          const relative = `${registry === 'registry.ollama.ai' ? '' : `${registry}/`}${namespace}/${model}:${tag.name}`;
          found.push({ file, relative, name });
        }
      }
    }
  }
  return found;
}

async function subdirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
}

/** The model layer's blob file name, `sha256-<hex>`; null for a manifest that is unreadable or has none. */
async function modelBlob(manifestFile: string): Promise<string | null> {
  try {
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as {
      layers?: Array<{ mediaType?: unknown; digest?: unknown }>;
    };
    const layer = manifest.layers?.find((l) => l.mediaType === OLLAMA_MODEL_LAYER);
    const digest = typeof layer?.digest === 'string' ? layer.digest : '';
    // The digest becomes a path: accept only the exact shape, nothing that could leave `blobs/`.
    const match = /^sha256[:-]([0-9a-f]{64})$/.exec(digest);
    return match ? `sha256-${match[1]}` : null;
  } catch {
    return null;
  }
}
