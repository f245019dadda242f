import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelFile } from '../../../shared/contract';
import { ServiceError } from '../errors';

const MAX_DEPTH = 4;

/**
 * The GGUF files in the models folders. A model's id is `<folder index>:<relative path>`, so ids are stable
 * across restarts and never carry an absolute path the renderer could tamper with.
 */
export class ModelsService {
  readonly #dirs: readonly string[];

  constructor(dirs: readonly string[]) {
    this.#dirs = dirs.map((dir) => path.resolve(dir));
  }

  get dirs(): string[] {
    return [...this.#dirs];
  }

  async list(): Promise<ModelFile[]> {
    const models: ModelFile[] = [];
    for (const [index, dir] of this.#dirs.entries()) {
      for (const file of await findGguf(dir, MAX_DEPTH)) {
        const info = await stat(file).catch(() => null);
        if (!info?.isFile()) continue;
        const relative = path.relative(dir, file).split(path.sep).join('/');
        models.push({
          modelId: `${index}:${relative}`,
          fileName: path.basename(file),
          path: file,
          sizeBytes: info.size,
          modifiedAt: info.mtimeMs,
        });
      }
    }
    return models.sort((a, b) => a.fileName.localeCompare(b.fileName));
  }

  /** Resolves an id to a path inside its folder; anything else is MODEL_NOT_FOUND. */
  async resolve(modelId: string): Promise<ModelFile> {
    const model = (await this.list()).find((item) => item.modelId === modelId);
    if (!model) throw new ServiceError('MODEL_NOT_FOUND', `No model "${modelId}" in the models folders.`);
    return model;
  }
}

async function findGguf(dir: string, depth: number): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && depth > 0) found.push(...(await findGguf(full, depth - 1)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.toLowerCase().endsWith('.gguf'))
      found.push(full);
  }
  return found;
}
