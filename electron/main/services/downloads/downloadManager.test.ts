import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadEvent } from '../../../shared/contract';
import { ServiceError } from '../errors';
import { parseContentRange } from './downloadManager';
import {
  allFiles,
  createHarness,
  sha256File,
  streamOf,
  visibleModels,
  type Harness,
  type HarnessOptions,
} from './testHarness';

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function open(options: HarnessOptions = {}): Promise<Harness> {
  harness = await createHarness(options);
  return harness;
}

const FOLDER = 'edgewise/test-models-GGUF';

/** The download ended with a verified file under its name and nothing else visible in the library. */
async function expectVerified(h: Harness, file: string, event: DownloadEvent): Promise<void> {
  expect(event.type, JSON.stringify(event)).toBe('done');
  const final = path.join(h.target, FOLDER, file);
  expect(await sha256File(final)).toBe(await h.fake.sha256(file));
  expect(event.item).toMatchObject({ state: 'done', modelId: `default:${FOLDER}/${file}`, error: null });
  expect(event.item.expectedSha256).toBe(await h.fake.sha256(file));
  expect(await allFiles(h.target)).toEqual([`${FOLDER}/${file}`]);
}

/** The download ended with an error and the library shows no file, whole or half. */
async function expectFailedClean(h: Harness, event: DownloadEvent, code: string): Promise<void> {
  expect(event.type, JSON.stringify(event)).toBe('error');
  if (event.type === 'error') expect(event.error.code).toBe(code);
  expect(await visibleModels(h.target)).toEqual([]);
}

const contentGets = (h: Harness) =>
  h.fake.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/cdn/'));

describe('downloads against the fake hub', () => {
  it('downloads, verifies and publishes a file, with throttled progress then one done event', async () => {
    const h = await open({ faults: { dripBytes: 16_384, dripIntervalMs: 25 } });
    const started = h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    expect(started).toMatchObject({ state: 'downloading', fileName: 'tiny.F16.gguf' });
    const done = await h.terminal('d1');
    await expectVerified(h, 'tiny.F16.gguf', done);

    const stream = streamOf(h.events, 'd1');
    const progress = stream.filter((e) => e.type === 'progress').map((e) => e.item);
    expect(progress.map((item) => item.state)).toContain('downloading');
    expect(progress.map((item) => item.state)).toContain('verifying');
    expect(progress.some((item) => item.bytesPerSecond > 0 && item.etaSeconds !== null)).toBe(true);
    // 15 chunks 25 ms apart with a 50 ms throttle: a handful of events, not one per chunk.
    expect(progress.filter((item) => item.state === 'downloading').length).toBeLessThan(12);

    const head = h.fake.requests.find((r) => r.method === 'HEAD');
    expect(head?.path).toBe(`/${FOLDER}/resolve/main/tiny.F16.gguf`);
    expect(contentGets(h)).toHaveLength(1);
    expect(h.manager.list()).toEqual([done.item]);
    const saved = JSON.parse(await readFile(h.stateFile, 'utf8')) as {
      downloads: { item: { state: string } }[];
    };
    expect(saved.downloads.map((d) => d.item.state)).toEqual(['done']);
  });

  it('resumes a dropped connection with Range and If-Range, and verifies', async () => {
    const h = await open({ faults: { dropAtByte: 100_000, dripBytes: 16_384 } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    const done = await h.terminal('d1');
    await expectVerified(h, 'tiny.F16.gguf', done);
    const [first, second] = contentGets(h);
    expect(first?.range).toBeNull();
    expect(second?.range).toMatch(/^bytes=\d+-$/);
    expect(Number(second?.range?.slice(6, -1))).toBeGreaterThan(0);
    expect(second?.ifRange).toMatch(/^"[0-9a-f]{16}-v1"$/);
    expect(second?.status).toBe(206);
    expect(done.item.attempts).toBe(2);
  });

  it('starts over, never appends, when the server ignores the range (200 to a ranged request)', async () => {
    const h = await open({ faults: { dropAtByte: 100_000, dripBytes: 16_384, ignoreRange: true } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    await expectVerified(h, 'tiny.F16.gguf', await h.terminal('d1'));
    const [, second] = contentGets(h);
    expect(second?.range).toMatch(/^bytes=/);
    expect(second?.status).toBe(200);
  });

  it('starts over when the ETag changed and the server honours If-Range (200)', async () => {
    const h = await open({ faults: { dropAtByte: 100_000, dripBytes: 16_384, changeEtagAfter: 1 } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    await expectVerified(h, 'tiny.F16.gguf', await h.terminal('d1'));
    const [, second] = contentGets(h);
    expect(second).toMatchObject({ status: 200 });
    expect(second?.ifRange).toMatch(/-v1"$/);
  });

  it('starts over when a broken server answers 206 from a changed file (new ETag)', async () => {
    const h = await open({
      faults: { dropAtByte: 100_000, dripBytes: 16_384, changeEtagAfter: 1, ignoreIfRange: true },
    });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    await expectVerified(h, 'tiny.F16.gguf', await h.terminal('d1'));
    const gets = contentGets(h);
    expect(gets[1]).toMatchObject({ status: 206 });
    // The 206 was refused; the next request asked for the whole file again.
    expect(gets[2]).toMatchObject({ range: null, status: 200 });
  });

  it('quarantines wrong bytes with CHECKSUM_MISMATCH and leaves nothing in the library', async () => {
    const h = await open({ faults: { corruptAt: 1234 } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
    const event = await h.terminal('d1');
    await expectFailedClean(h, event, 'CHECKSUM_MISMATCH');
    const files = await allFiles(h.target);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\.quarantine\/tiny\.Q4_0\.gguf\.\d+\.quarantined$/);
    if (event.type === 'error') expect(event.error.message).toContain('.quarantine');
  });

  it('quarantines a file whose announced sha256 is wrong', async () => {
    const h = await open({ faults: { wrongSha256: true } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
    await expectFailedClean(h, await h.terminal('d1'), 'CHECKSUM_MISMATCH');
    expect((await allFiles(h.target))[0]).toMatch(/^\.quarantine\//);
  });

  it('falls back to the tree listing for the sha256 when X-Linked-Etag is missing', async () => {
    const h = await open({ faults: { omitLinkedEtag: true } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
    await expectVerified(h, 'tiny.Q4_0.gguf', await h.terminal('d1'));
    expect(h.fake.requests.some((r) => r.path.startsWith(`/api/models/${FOLDER}/tree/main`))).toBe(true);
  });

  it('retries a stall (no bytes for the stall timeout) and resumes', async () => {
    const h = await open({
      faults: { stallAtByte: 50_000, dripBytes: 16_384 },
      manager: { stallTimeoutMs: 300 },
    });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    await expectVerified(h, 'tiny.F16.gguf', await h.terminal('d1'));
    expect(contentGets(h)[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
  });

  it('retries 5xx answers with backoff, then succeeds', async () => {
    const h = await open({ faults: { serverErrors: 3 } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
    const done = await h.terminal('d1');
    await expectVerified(h, 'tiny.Q4_0.gguf', done);
    expect(h.fake.requests.filter((r) => r.status === 503)).toHaveLength(3);
    expect(done.item.attempts).toBe(4);
  });

  it('gives up after a bounded number of retries with NETWORK', async () => {
    const h = await open({
      faults: { serverErrors: 1000 },
      manager: { retry: { retries: 2, baseDelayMs: 1 } },
    });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
    const event = await h.terminal('d1');
    await expectFailedClean(h, event, 'NETWORK');
    expect(h.fake.requests.filter((r) => r.status === 503)).toHaveLength(3);
    if (event.type === 'error') expect(event.error.message).toMatch(/after 3 attempts/);
  });

  it('follows a redirect to a CDN on another port of an allowed host', async () => {
    const h = await open({ faults: { redirect: 'cdn-port' } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
    await expectVerified(h, 'tiny.Q4_0.gguf', await h.terminal('d1'));
    expect(h.fake.requests.some((r) => r.server === 'cdn')).toBe(true);
  });

  it('refuses a redirect to a host outside the allowed hosts, before connecting to it', async () => {
    const h = await open({ faults: { redirect: 'foreign-host' } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
    const event = await h.terminal('d1');
    await expectFailedClean(h, event, 'HOST_NOT_ALLOWED');
    expect(h.fake.requests.filter((r) => r.server === 'cdn')).toEqual([]);
    expect(await allFiles(h.target)).toEqual([]);
  });

  it('needs a token for a gated repository, and sends it to the hub only, never to the CDN', async () => {
    const h = await open({ faults: { redirect: 'cdn-port' } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf', h.fake.gatedRepo) });
    await expectFailedClean(h, await h.terminal('d1'), 'HF_UNAUTHORIZED');
    await h.close();

    harness = await createHarness({ faults: { redirect: 'cdn-port' }, env: { HF_TOKEN: 'hf_fake_token' } });
    harness.manager.start({
      downloadId: 'd2',
      source: harness.source('tiny.Q4_0.gguf', harness.fake.gatedRepo),
    });
    const done = await harness.terminal('d2');
    expect(done.type).toBe('done');
    expect(harness.fake.requests.filter((r) => r.server === 'hub').every((r) => r.authorization)).toBe(true);
    expect(harness.fake.requests.filter((r) => r.server === 'cdn').map((r) => r.authorization)).toEqual([
      false,
    ]);
  });

  it('reports a file the repository does not have as HF_NOT_FOUND', async () => {
    const h = await open();
    h.manager.start({ downloadId: 'd1', source: h.source('missing.Q4_K_M.gguf') });
    await expectFailedClean(h, await h.terminal('d1'), 'HF_NOT_FOUND');
  });

  it('refuses malicious file names before any request, writing nothing', async () => {
    const h = await open();
    const names = [
      '../x.gguf',
      'a/../../x.gguf',
      '/etc/x.gguf',
      'x\0.gguf',
      '..\\x.gguf',
      'C:x.gguf',
      'x.bin',
      '.x.gguf',
    ];
    for (const file of names) {
      let error: unknown = null;
      try {
        h.manager.start({ downloadId: 'bad', source: h.source(file) });
      } catch (caught) {
        error = caught;
      }
      expect(error, file).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).code, file).toBe('INVALID_FILE_NAME');
    }
    expect(() => h.manager.start({ downloadId: 'bad', source: h.source('x.gguf', '../evil') })).toThrow(
      /repository name/,
    );
    expect(h.fake.requests).toEqual([]);
    expect(h.manager.list()).toEqual([]);
    expect(await allFiles(h.root + '/models')).toEqual([]);
  });

  it('drops saved downloads whose source or folder was tampered with', async () => {
    const h = await open();
    const item = (file: string, downloadId: string) => ({
      item: {
        downloadId,
        source: { repo: FOLDER, revision: 'main', file },
        fileName: path.basename(file),
        state: 'queued',
        receivedBytes: 0,
        totalBytes: null,
        bytesPerSecond: 0,
        etaSeconds: null,
        expectedSha256: null,
        attempts: 0,
        error: null,
        modelId: null,
        createdAt: 1,
      },
      folderId: 'default',
      targetDir: h.target,
      validator: null,
    });
    const tampered = [
      item('../../evil.gguf', 'a'),
      { ...item('tiny.Q4_0.gguf', 'b'), targetDir: 'relative' },
    ];
    await mkdir(path.dirname(h.stateFile), { recursive: true });
    await writeFile(h.stateFile, JSON.stringify({ version: 1, downloads: [...tampered, { junk: true }] }));
    const manager = await h.restart();
    expect(manager.list()).toEqual([]);
    expect(h.fake.requests).toEqual([]);
  });

  it('runs at most `parallel` downloads at once and queues the rest', async () => {
    const h = await open({ faults: { dripBytes: 8192, dripIntervalMs: 10 }, manager: { parallel: 2 } });
    const active = new Set<string>();
    let peak = 0;
    const files = ['tiny.Q4_0.gguf', 'tiny.Q8_0.gguf', 'tiny.F16.gguf'] as const;
    const terminals = files.map((_, index) => h.terminal(`d${index}`));
    const unsubscribe = setInterval(() => {
      for (const item of h.manager.list()) {
        if (item.state === 'downloading' || item.state === 'verifying') active.add(item.downloadId);
        else active.delete(item.downloadId);
      }
      peak = Math.max(peak, active.size);
    }, 2);
    files.forEach((file, index) => h.manager.start({ downloadId: `d${index}`, source: h.source(file) }));
    expect(h.manager.list().map((item) => item.state)).toEqual(['downloading', 'downloading', 'queued']);
    const results = await Promise.all(terminals);
    clearInterval(unsubscribe);
    expect(results.map((event) => event.type)).toEqual(['done', 'done', 'done']);
    expect(peak).toBe(2);
    expect((await visibleModels(h.target)).length).toBe(3);
  });

  it('pauses (keeping the .part) and resumes with a Range request', async () => {
    const h = await open({ faults: { dripBytes: 8192, dripIntervalMs: 10 } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    await h.progress('d1', (item) => item.receivedBytes >= 40_000);
    const paused = await h.manager.pause('d1');
    expect(paused.state).toBe('paused');
    const part = path.join(h.target, FOLDER, 'tiny.F16.gguf.part');
    const kept = (await stat(part)).size;
    expect(kept).toBeGreaterThan(0);
    expect(await visibleModels(h.target)).toEqual([]);

    const terminal = h.terminal('d1');
    expect(h.manager.resume('d1').state).toBe('downloading');
    await expectVerified(h, 'tiny.F16.gguf', await terminal);
    expect(contentGets(h).at(-1)?.range).toBe(`bytes=${kept}-`);
    streamOf(h.events, 'd1');
  });

  it('cancels: the stream ends with aborted and the .part file is removed', async () => {
    const h = await open({ faults: { dripBytes: 8192, dripIntervalMs: 10 } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    await h.progress('d1', (item) => item.receivedBytes > 0);
    const terminal = h.terminal('d1');
    expect((await h.manager.cancel('d1')).state).toBe('cancelled');
    expect((await terminal).type).toBe('aborted');
    streamOf(h.events, 'd1');
    expect(await allFiles(h.target)).toEqual([]);
    expect(await h.manager.dismiss('d1')).toEqual({ dismissed: true });
    expect(h.manager.list()).toEqual([]);
  });

  it('a cancel clicked twice, or racing a queued start, ends the stream exactly once', async () => {
    const h = await open({ faults: { dripBytes: 8192, dripIntervalMs: 10 }, manager: { parallel: 1 } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    h.manager.start({ downloadId: 'd2', source: h.source('tiny.Q8_0.gguf') });
    await h.progress('d1', (item) => item.receivedBytes > 0);
    // A person clicking Cancel again and again while the first one is still cleaning up.
    let first = false;
    const cancelled = h.manager.cancel('d1').then(() => (first = true));
    while (!first) {
      await new Promise((resolve) => setImmediate(resolve));
      void h.manager.cancel('d1');
    }
    await cancelled;
    await Promise.all([h.manager.cancel('d2'), h.manager.cancel('d2')]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const id of ['d1', 'd2']) {
      const ends = h.events.filter((e) => e.downloadId === id && e.type !== 'progress');
      expect(
        ends.map((e) => e.type),
        id,
      ).toEqual(['aborted']);
    }
    expect(await allFiles(h.target)).toEqual([]);
  });

  it('keeps one entry per file: a failed one is resumed, not duplicated, so no two write one .part', async () => {
    const h = await open({
      faults: { serverErrors: 1000 },
      manager: { retry: { retries: 0, baseDelayMs: 1 } },
    });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
    expect((await h.terminal('d1')).type).toBe('error');
    expect(() => h.manager.start({ downloadId: 'd2', source: h.source('tiny.Q4_0.gguf') })).toThrow(
      /already in the download list \(failed\): resume that one/,
    );
    h.fake.setFaults({});
    const done = h.terminal('d1');
    h.manager.resume('d1');
    await expectVerified(h, 'tiny.Q4_0.gguf', await done);
    // Once it is done the same file may be downloaded again.
    expect(h.manager.start({ downloadId: 'd3', source: h.source('tiny.Q4_0.gguf') }).state).not.toBe(
      'failed',
    );
    await h.terminal('d3');
  });

  it('refuses a second download of the same file and unknown ids', async () => {
    const h = await open({ faults: { dripBytes: 8192, dripIntervalMs: 10 } });
    h.manager.start({ downloadId: 'd1', source: h.source('tiny.F16.gguf') });
    expect(() => h.manager.start({ downloadId: 'd2', source: h.source('tiny.F16.gguf') })).toThrow(/already/);
    await expect(h.manager.pause('nope')).rejects.toMatchObject({ code: 'DOWNLOAD_NOT_FOUND' });
    await h.manager.cancel('d1');
  });
});

describe('parseContentRange', () => {
  it('reads start, end and total', () => {
    expect(parseContentRange('bytes 10-19/100')).toEqual({ start: 10, end: 19, total: 100 });
    expect(parseContentRange('bytes 10-19/*')).toEqual({ start: 10, end: 19, total: null });
    expect(parseContentRange('items 1-2/3')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
  });
});
