import { chmod, copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testModelPath } from '../../../../native/test/models';
import { writeGguf } from '../../../../scripts/test-models/ggufWriter.ts';
import { buildTestModel } from '../../../../scripts/test-models/spec.ts';
import { readGgufSummary } from './gguf';
import { DEFAULT_FOLDER_ID, LibraryService } from './libraryService';

let dir: string;
let changes: string[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edgewise-library-'));
  changes = [];
});

afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function library(modelsDirs: string[], stateFile: string | null = null): Promise<LibraryService> {
  const service = new LibraryService({ modelsDirs, stateFile, onChanged: (reason) => changes.push(reason) });
  await service.open();
  return service;
}

const tiny = (quant: 'Q8_0' | 'Q4_0' | 'F16' = 'Q8_0') => testModelPath('tiny', quant);

describe('scanning', () => {
  it('lists GGUF files with header facts, ignoring .part files and the quarantine', async () => {
    const models = path.join(dir, 'models');
    await mkdir(path.join(models, '.quarantine'), { recursive: true });
    await copyFile(tiny(), path.join(models, 'tiny.Q8_0.gguf'));
    await copyFile(tiny(), path.join(models, 'half.gguf.part'));
    await copyFile(tiny(), path.join(models, '.quarantine', 'bad.gguf'));
    const service = await library([models]);

    const list = await service.list();
    expect(list.map((m) => m.modelId)).toEqual([`${DEFAULT_FOLDER_ID}:tiny.Q8_0.gguf`]);
    expect(list[0]).toMatchObject({
      folderId: 'default',
      readOnly: false,
      gguf: {
        architecture: 'llama',
        name: 'Edgewise Test Tiny',
        quantization: 'Q8_0',
        hasChatTemplate: true,
        thinking: false,
      },
    });
    expect(list[0]?.gguf?.parameters).toBeGreaterThan(1000);
    expect(list[0]?.gguf?.contextLength).toBeGreaterThan(0);
  });

  it('turns a truncated header into ggufError, and a non-GGUF file into NOT_GGUF, without failing the scan', async () => {
    const models = path.join(dir, 'models');
    await mkdir(models);
    const bytes = await readFile(tiny());
    await writeFile(path.join(models, 'truncated.gguf'), bytes.subarray(0, 300));
    await writeFile(path.join(models, 'half.gguf'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await writeFile(path.join(models, 'text.gguf'), 'not a model at all');
    await copyFile(tiny('Q4_0'), path.join(models, 'good.gguf'));

    const list = await (await library([models])).list();
    const byName = Object.fromEntries(list.map((m) => [m.fileName, m]));
    expect(byName['truncated.gguf']).toMatchObject({ gguf: null, ggufError: { code: 'MODEL_CORRUPT' } });
    expect(byName['half.gguf']).toMatchObject({ gguf: null, ggufError: { code: 'MODEL_CORRUPT' } });
    expect(byName['text.gguf']).toMatchObject({ gguf: null, ggufError: { code: 'NOT_GGUF' } });
    expect(byName['good.gguf']?.gguf?.quantization).toBe('Q4_0');
  });

  it('says a template can think when it emits <think>', async () => {
    const model = buildTestModel('tiny', 'Q4_0');
    const file = path.join(dir, 'thinker.gguf');
    await writeGguf(file, {
      ...model,
      metadata: {
        ...model.metadata,
        'tokenizer.chat_template': {
          type: 'string',
          value:
            '{% for m in messages %}{{ m.content }}{% endfor %}{% if enable_thinking %}<think>{% endif %}',
        },
      },
    });
    expect((await readGgufSummary(file)).gguf).toMatchObject({ thinking: true, hasChatTemplate: true });
  });

  it('marks a folder that disappeared unavailable and still lists the others', async () => {
    const models = path.join(dir, 'models');
    const usb = path.join(dir, 'usb');
    await mkdir(usb, { recursive: true });
    await copyFile(tiny(), path.join(usb, 'tiny.gguf'));
    const service = await library([models]);
    await service.addFolder(usb);
    expect((await service.list()).map((m) => m.fileName)).toEqual(['tiny.gguf']);

    await rm(usb, { recursive: true });
    const folders = await service.folders();
    expect(folders.find((f) => f.path === usb)).toMatchObject({ available: false });
    expect(folders.find((f) => f.folderId === 'default')).toMatchObject({
      available: true,
      isDownloadTarget: true,
    });
    expect(await service.list()).toEqual([]);
  });
});

describe('other apps’ folders', () => {
  it('reads an LM Studio folder (publisher/repo/file.gguf) read-only', async () => {
    const lmstudio = path.join(dir, 'home', '.lmstudio', 'models');
    await mkdir(path.join(lmstudio, 'edgewise', 'test-models-GGUF'), { recursive: true });
    await copyFile(tiny(), path.join(lmstudio, 'edgewise', 'test-models-GGUF', 'tiny.Q8_0.gguf'));
    const service = await library([path.join(dir, 'models')]);

    // Pointing at ~/.lmstudio finds its models folder.
    const { folders, models } = await service.import(path.join(dir, 'home', '.lmstudio'));
    const folder = folders.find((f) => f.kind === 'lmstudio');
    expect(folder).toMatchObject({
      path: lmstudio,
      readOnly: true,
      available: true,
      isDownloadTarget: false,
    });
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({
      modelId: `${folder!.folderId}:edgewise/test-models-GGUF/tiny.Q8_0.gguf`,
      readOnly: true,
      gguf: { quantization: 'Q8_0' },
    });
    await expect(service.delete(models[0]!.modelId)).rejects.toMatchObject({ code: 'READ_ONLY' });
    expect(changes).toEqual(['folder-added']);
  });

  it('lists Ollama blobs by their manifests as <model>:<tag>, read-only', async () => {
    const ollama = path.join(dir, 'home', '.ollama', 'models');
    const digest = 'a'.repeat(64);
    await mkdir(path.join(ollama, 'blobs'), { recursive: true });
    await copyFile(tiny('Q4_0'), path.join(ollama, 'blobs', `sha256-${digest}`));
    const manifestDir = path.join(ollama, 'manifests', 'registry.ollama.ai', 'library', 'tiny');
    await mkdir(manifestDir, { recursive: true });
    const layer = (mediaType: string, hex: string) => ({ mediaType, digest: `sha256:${hex}`, size: 1 });
    await writeFile(
      path.join(manifestDir, 'q4'),
      JSON.stringify({
        schemaVersion: 2,
        layers: [
          layer('application/vnd.ollama.image.template', 'b'.repeat(64)),
          layer('application/vnd.ollama.image.model', digest),
        ],
      }),
    );
    // A manifest whose digest tries to leave blobs/, and one whose blob is missing: both skipped.
    await writeFile(
      path.join(manifestDir, 'evil'),
      JSON.stringify({
        layers: [{ mediaType: 'application/vnd.ollama.image.model', digest: 'sha256:../../x' }],
      }),
    );
    await writeFile(
      path.join(manifestDir, 'gone'),
      JSON.stringify({ layers: [layer('application/vnd.ollama.image.model', 'c'.repeat(64))] }),
    );

    const service = await library([path.join(dir, 'models')]);
    const folders = await service.addFolder(path.join(dir, 'home', '.ollama'), false);
    const folder = folders.find((f) => f.kind === 'ollama');
    expect(folder).toMatchObject({ path: ollama, readOnly: true });
    const models = await service.list();
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({
      modelId: `${folder!.folderId}:library/tiny:q4`,
      fileName: 'tiny:q4',
      path: path.join(ollama, 'blobs', `sha256-${digest}`),
      readOnly: true,
      gguf: { architecture: 'llama', quantization: 'Q4_0' },
    });
    expect((await service.resolve(models[0]!.modelId)).path).toBe(models[0]!.path);
    await expect(service.delete(models[0]!.modelId)).rejects.toMatchObject({ code: 'READ_ONLY' });
  });
});

describe('folders', () => {
  it('persists added folders in library.json; the default and launch folders stay put', async () => {
    const stateFile = path.join(dir, 'data', 'library.json');
    const extra = path.join(dir, 'extra');
    const added = path.join(dir, 'added');
    await mkdir(extra);
    await mkdir(added);
    const first = await library([path.join(dir, 'models'), extra], stateFile);
    await first.addFolder(added, true);
    await expect(first.removeFolder('default')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const launch = (await first.folders()).find((f) => f.path === extra)!;
    await expect(first.removeFolder(launch.folderId)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(first.addFolder(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'FOLDER_NOT_FOUND' });
    await expect(first.addFolder(path.join(dir, 'models', 'inside'))).rejects.toMatchObject({
      code: 'FOLDER_NOT_FOUND',
    });
    await mkdir(path.join(dir, 'models', 'inside'));
    await expect(first.addFolder(path.join(dir, 'models', 'inside'))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });

    const second = await library([path.join(dir, 'models'), extra], stateFile);
    const folders = await second.folders();
    expect(folders.map((f) => [f.path, f.readOnly])).toEqual([
      [path.join(dir, 'models'), false],
      [extra, false],
      [added, true],
    ]);
    const addedId = folders[2]!.folderId;
    expect((await first.folders())[2]?.folderId).toBe(addedId);
    await second.removeFolder(addedId);
    expect(
      (await (await library([path.join(dir, 'models')], stateFile)).folders()).map((f) => f.path),
    ).toEqual([path.join(dir, 'models')]);
  });

  it('refuses to delete from a read-only folder and deletes from a writable one', async () => {
    const shared = path.join(dir, 'shared');
    await mkdir(shared);
    await copyFile(tiny(), path.join(shared, 'shared.gguf'));
    const models = path.join(dir, 'models');
    await mkdir(models);
    await copyFile(tiny(), path.join(models, 'mine.gguf'));
    const service = await library([models]);
    await service.addFolder(shared, true);
    const list = await service.list();
    const sharedModel = list.find((m) => m.fileName === 'shared.gguf')!;
    await expect(service.delete(sharedModel.modelId)).rejects.toMatchObject({ code: 'READ_ONLY' });
    expect(await readdir(shared)).toEqual(['shared.gguf']);

    expect(await service.delete('default:mine.gguf')).toEqual({ deleted: true });
    expect(await readdir(models)).toEqual([]);
    await expect(service.delete('default:mine.gguf')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    await expect(service.delete('default:../shared/shared.gguf')).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
  });
});

describe('import and downloads', () => {
  it('copies a file into the download folder and refuses a name that is taken', async () => {
    const models = path.join(dir, 'models');
    const elsewhere = path.join(dir, 'elsewhere');
    await mkdir(elsewhere);
    await copyFile(tiny(), path.join(elsewhere, 'tiny.Q8_0.gguf'));
    await writeFile(path.join(elsewhere, 'notes.gguf'), 'hello');
    const service = await library([models]);

    const { models: list } = await service.import(path.join(elsewhere, 'tiny.Q8_0.gguf'));
    expect(list.map((m) => m.modelId)).toEqual(['default:tiny.Q8_0.gguf']);
    expect(await readdir(models)).toEqual(['tiny.Q8_0.gguf']);
    expect(changes).toEqual(['imported']);

    await expect(service.import(path.join(elsewhere, 'tiny.Q8_0.gguf'))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('already in'),
    });
    await expect(service.import(path.join(elsewhere, 'notes.gguf'))).rejects.toMatchObject({
      code: 'NOT_GGUF',
    });
    await expect(service.import(path.join(dir, 'missing.gguf'))).rejects.toMatchObject({
      code: 'FOLDER_NOT_FOUND',
    });
    expect(await readdir(models)).toEqual(['tiny.Q8_0.gguf']);
  });

  it('gives the download target and turns a finished download into a model id', async () => {
    const models = path.join(dir, 'not-yet', 'models');
    const service = new LibraryService({
      modelsDirs: [models],
      stateFile: null,
      onChanged: (r) => changes.push(r),
    });
    const target = await service.getDownloadTarget();
    expect(target).toEqual({ folderId: 'default', path: models });
    await copyFile(tiny(), path.join(models, 'fresh.gguf'));
    expect(await service.onFileReady(path.join(models, 'fresh.gguf'))).toBe('default:fresh.gguf');
    expect(changes).toEqual(['downloaded']);
    expect((await service.resolve('default:fresh.gguf')).gguf?.architecture).toBe('llama');
    await expect(service.onFileReady(path.join(dir, 'outside.gguf'))).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });
});
