import { createHash, randomUUID } from 'node:crypto';
import { copyFile, link, mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { LibraryImportResult, ModelFile, ModelsFolder } from '../../../shared/contract';
import { ServiceError } from '../errors';
import { readJson, writeJsonAtomic } from '../storage/jsonFile';
import { GgufCache, hasGgufMagic } from './gguf';
import { detectKind, normalizeFolder, scanFolder, type FolderKind } from './layouts';

export const DEFAULT_FOLDER_ID = 'default';

interface Folder {
  folderId: string;
  path: string;
  readOnly: boolean;
  kind: FolderKind;
  /** `default` and `launch` folders come from the options each start; `added` ones from library.json. */
  origin: 'default' | 'launch' | 'added';
}

const stateSchema = z.object({
  version: z.literal(1),
  folders: z.array(
    z.object({
      folderId: z.string().regex(/^[\w-]{1,100}$/),
      path: z.string().min(1),
      readOnly: z.boolean(),
      kind: z.enum(['folder', 'lmstudio', 'ollama']),
    }),
  ),
});

export interface LibraryServiceOptions {
  /** The first is the default folder (where downloads and imported files go); the rest are extra folders. */
  modelsDirs: readonly string[];
  /** `library.json`; null keeps added folders in memory only (tests). */
  stateFile: string | null;
  /** The library changed: the app broadcasts `models:changed`. */
  onChanged?: (reason: string) => void;
  log?: (message: string) => void;
}

/**
 * The models folders and the GGUF files in them. A model's id is `<folderId>:<path inside the folder>`, so
 * ids are stable across restarts and never carry an absolute path the renderer could tamper with: every id is
 * resolved against a fresh scan, never joined onto a path.
 */
export class LibraryService {
  readonly #options: LibraryServiceOptions;
  readonly #gguf = new GgufCache();
  #folders: Folder[] = [];

  constructor(options: LibraryServiceOptions) {
    this.#options = options;
    const [first, ...rest] = options.modelsDirs.map((dir) => path.resolve(dir));
    if (!first) throw new Error('LibraryService needs at least one models folder');
    this.#folders.push({
      folderId: DEFAULT_FOLDER_ID,
      path: first,
      readOnly: false,
      kind: 'edgewise',
      origin: 'default',
    });
    for (const dir of rest) {
      if (this.#folders.some((f) => f.path === dir)) continue;
      this.#folders.push({
        folderId: folderIdFor(dir),
        path: dir,
        readOnly: false,
        kind: 'folder',
        origin: 'launch',
      });
    }
  }

  /** Reads library.json and detects the launch folders' layouts. Never throws for a bad state file. */
  async open(): Promise<void> {
    for (const folder of this.#folders) {
      if (folder.origin === 'launch') {
        folder.kind = await detectKind(folder.path);
        folder.readOnly = folder.kind === 'ollama';
      }
    }
    await mkdir(this.defaultFolder.path, { recursive: true }).catch(() => undefined);
    if (!this.#options.stateFile) return;
    const state = await readJson(this.#options.stateFile, stateSchema).catch((error: unknown) => {
      this.#options.log?.(`Could not read the library settings: ${String(error)}`);
      return null;
    });
    if (state?.status === 'unreadable') {
      this.#options.log?.(`The library settings were unreadable (kept as ${state.movedTo}): ${state.reason}`);
    }
    if (state?.status !== 'ok') return;
    for (const saved of state.value.folders) {
      const resolved = path.resolve(saved.path);
      if (this.#folders.some((f) => f.path === resolved || f.folderId === saved.folderId)) continue;
      this.#folders.push({ ...saved, path: resolved, origin: 'added' });
    }
  }

  get defaultFolder(): Folder {
    return this.#folders[0]!;
  }

  /** Every folder's path, in order (what `app:info` reports). */
  get dirs(): string[] {
    return this.#folders.map((f) => f.path);
  }

  async folders(): Promise<ModelsFolder[]> {
    return Promise.all(
      this.#folders.map(async (folder) => ({
        folderId: folder.folderId,
        path: folder.path,
        readOnly: folder.readOnly,
        kind: folder.kind,
        available: (await stat(folder.path).catch(() => null))?.isDirectory() ?? false,
        isDownloadTarget: folder.origin === 'default',
      })),
    );
  }

  async list(): Promise<ModelFile[]> {
    const models: ModelFile[] = [];
    for (const folder of this.#folders) {
      for (const found of await scanFolder(folder.path, folder.kind)) {
        const info = await stat(found.file).catch(() => null);
        if (!info?.isFile()) continue;
        const { gguf, ggufError } = await this.#gguf.get(found.file, info);
        models.push({
          modelId: `${folder.folderId}:${found.relative}`,
          fileName: found.name,
          path: found.file,
          sizeBytes: info.size,
          modifiedAt: info.mtimeMs,
          folderId: folder.folderId,
          readOnly: folder.readOnly,
          gguf,
          ...(ggufError ? { ggufError } : {}),
        });
      }
    }
    return models.sort((a, b) => a.fileName.localeCompare(b.fileName) || a.modelId.localeCompare(b.modelId));
  }

  /** Resolves an id to a model found by scanning; anything else is MODEL_NOT_FOUND. */
  async resolve(modelId: string): Promise<ModelFile> {
    const model = (await this.list()).find((item) => item.modelId === modelId);
    if (!model) throw new ServiceError('MODEL_NOT_FOUND', `No model "${modelId}" in the models folders.`);
    return model;
  }

  async addFolder(dir: string, readOnly?: boolean): Promise<ModelsFolder[]> {
    const resolved = await normalizeFolder(resolvePath(dir));
    if (!(await stat(resolved).catch(() => null))?.isDirectory()) {
      throw new ServiceError('FOLDER_NOT_FOUND', `There is no folder at ${resolved}.`);
    }
    if (this.#folders.some((f) => f.path === resolved)) return this.folders();
    const overlapping = this.#folders.find((f) => isInside(resolved, f.path) || isInside(f.path, resolved));
    if (overlapping) {
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `${resolved} overlaps the models folder ${overlapping.path}; its models would be listed twice.`,
      );
    }
    const kind = await detectKind(resolved);
    // Another app's folders are read-only unless the person says otherwise; Ollama's blobs always are.
    const folderReadOnly = kind === 'ollama' ? true : (readOnly ?? kind === 'lmstudio');
    this.#folders.push({
      folderId: folderIdFor(resolved),
      path: resolved,
      readOnly: folderReadOnly,
      kind,
      origin: 'added',
    });
    await this.#save();
    this.#options.onChanged?.('folder-added');
    return this.folders();
  }

  async removeFolder(folderId: string): Promise<ModelsFolder[]> {
    const folder = this.#folders.find((f) => f.folderId === folderId);
    if (!folder) throw new ServiceError('FOLDER_NOT_FOUND', `No models folder "${folderId}".`);
    if (folder.origin === 'default') {
      throw new ServiceError('INVALID_ARGUMENT', 'The default models folder cannot be removed.');
    }
    if (folder.origin === 'launch') {
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `${folder.path} was given when Edgewise started (--models); start without it to remove it.`,
      );
    }
    this.#folders = this.#folders.filter((f) => f !== folder);
    await this.#save();
    this.#options.onChanged?.('folder-removed');
    return this.folders();
  }

  /** A .gguf file is copied into the download folder; a folder is added as a models folder. */
  async import(source: string): Promise<LibraryImportResult> {
    const resolved = resolvePath(source);
    const info = await stat(resolved).catch(() => null);
    if (!info) throw new ServiceError('FOLDER_NOT_FOUND', `There is no file or folder at ${resolved}.`);
    if (info.isDirectory()) {
      const folders = await this.addFolder(resolved);
      return { folders, models: await this.list() };
    }
    const fileName = path.basename(resolved);
    if (!fileName.toLowerCase().endsWith('.gguf') || !(await hasGgufMagic(resolved).catch(() => false))) {
      throw new ServiceError('NOT_GGUF', `${fileName} is not a GGUF model file.`);
    }
    const target = await this.getDownloadTarget();
    const destination = path.join(target.path, fileName);
    if (await exists(destination)) {
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `A model named ${fileName} is already in ${target.path}. Rename one of the two files, then import again.`,
      );
    }
    await copyAtomically(resolved, destination);
    this.#options.onChanged?.('imported');
    return { folders: await this.folders(), models: await this.list() };
  }

  async delete(modelId: string): Promise<{ deleted: boolean }> {
    const model = await this.resolve(modelId);
    if (model.readOnly) {
      throw new ServiceError(
        'READ_ONLY',
        `${model.fileName} is in a read-only models folder; Edgewise leaves it alone.`,
      );
    }
    await rm(model.path);
    this.#gguf.forget(model.path);
    this.#options.onChanged?.('deleted');
    return { deleted: true };
  }

  /** Where downloads go: the default folder, created if missing. Never a read-only folder. */
  async getDownloadTarget(): Promise<{ folderId: string; path: string }> {
    const folder = this.defaultFolder;
    await mkdir(folder.path, { recursive: true });
    return { folderId: folder.folderId, path: folder.path };
  }

  /** A verified download was renamed into place: returns its model id and tells the app the library changed. */
  async onFileReady(absolutePath: string): Promise<string> {
    const resolved = path.resolve(absolutePath);
    const folder = this.#folders.find((f) => f.kind !== 'ollama' && isInside(resolved, f.path));
    if (!folder) throw new ServiceError('INTERNAL', `${resolved} is not inside a models folder.`);
    this.#gguf.forget(resolved);
    const modelId = `${folder.folderId}:${path.relative(folder.path, resolved).split(path.sep).join('/')}`;
    this.#options.onChanged?.('downloaded');
    return modelId;
  }

  async #save(): Promise<void> {
    if (!this.#options.stateFile) return;
    const folders = this.#folders
      .filter((f) => f.origin === 'added')
      .map(({ folderId, path: dir, readOnly, kind }) => ({ folderId, path: dir, readOnly, kind }));
    await writeJsonAtomic(this.#options.stateFile, { version: 1, folders });
  }
}

/** What a person typed: `~/models` means their home's. */
function resolvePath(input: string): string {
  if (input === '~' || input.startsWith('~/') || input.startsWith('~\\'))
    return path.join(os.homedir(), input.slice(1));
  return path.resolve(input);
}

/** Stable across restarts and machines' path spellings of the same folder. */
function folderIdFor(dir: string): string {
  return `f-${createHash('sha256').update(dir).digest('hex').slice(0, 10)}`;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null)) !== null;
}

/**
 * Copies through `<name>.part` so a crash or a full disk never leaves a half file that looks like a model,
 * then links it into place, which fails rather than overwrite a file that appeared meanwhile.
 */
async function copyAtomically(source: string, destination: string): Promise<void> {
  // Unique per import: two imports of the same name must not share (and mix) one temporary file.
  const part = `${destination}.${randomUUID()}.part`;
  try {
    await copyFile(source, part);
    try {
      await link(part, destination);
      await unlink(part);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        throw new ServiceError(
          'INVALID_ARGUMENT',
          `A model named ${path.basename(destination)} appeared meanwhile.`,
        );
      }
      // Filesystems without hard links (FAT, some network shares): a plain rename, checked just before.
      if (await exists(destination)) throw error;
      await rename(part, destination);
    }
  } finally {
    await rm(part, { force: true }).catch(() => undefined);
  }
}
