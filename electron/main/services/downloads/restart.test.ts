import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDownloadChild, type DownloadChild } from './childProcess';
import { createHarness, sha256File, visibleModels, type Harness } from './testHarness';

const FOLDER = 'edgewise/test-models-GGUF';
let harness: Harness | null = null;
let child: DownloadChild | null = null;

afterEach(async () => {
  child?.process.kill('SIGKILL');
  child = null;
  await harness?.close();
  harness = null;
});

describe('the app killed mid-download and restarted', () => {
  it('resumes from the .part file with Range + If-Range and verifies the whole file', async () => {
    harness = await createHarness({ faults: { dripBytes: 16_384, dripIntervalMs: 40 } });
    const h = harness;
    child = await startDownloadChild(
      {
        stateFile: h.stateFile,
        target: h.target,
        start: { downloadId: 'd1', source: h.source('tiny.F16.gguf') },
      },
      { ...process.env, HF_ENDPOINT: h.fake.url, HTTP_PROXY: '', http_proxy: '' },
    );
    await child.until((event) => event.type === 'progress' && event.item.receivedBytes >= 64_000);
    // A hard kill: no dispose, no final save, as when the app crashes or the machine loses power.
    child.process.kill('SIGKILL');
    await child.exited;

    const part = path.join(h.target, FOLDER, 'tiny.F16.gguf.part');
    const kept = (await stat(part)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(240_064);
    expect(await visibleModels(h.target)).toEqual([]);
    const saved = JSON.parse(await readFile(h.stateFile, 'utf8')) as {
      downloads: { item: { state: string }; validator: string | null }[];
    };
    expect(saved.downloads[0]?.item.state).toBe('downloading');
    const firstGet = h.fake.requests.find((r) => r.method === 'GET' && r.path.startsWith('/cdn/'));
    expect(firstGet?.range).toBeNull();

    h.fake.clearRequests();
    h.fake.setFaults({ dripBytes: 16_384 });
    const terminal = h.terminal('d1');
    const manager = await h.restart();
    const done = await terminal;
    expect(done.type, JSON.stringify(done)).toBe('done');
    expect(await sha256File(path.join(h.target, FOLDER, 'tiny.F16.gguf'))).toBe(
      await h.fake.sha256('tiny.F16.gguf'),
    );
    expect(await visibleModels(h.target)).toEqual([`${FOLDER}/tiny.F16.gguf`]);

    const resumed = h.fake.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/cdn/'));
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({
      range: `bytes=${kept}-`,
      ifRange: saved.downloads[0]?.validator,
      status: 206,
    });
    expect(manager.list()[0]).toMatchObject({ state: 'done', receivedBytes: 240_064 });
  });
});
