import { copyFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModel } from '../../scripts/test-models/spec.ts';
import { writeGguf } from '../../scripts/test-models/ggufWriter.ts';
import { testModelPath } from '../test/models';
import { Engine } from './engine';
import { EngineError } from './errors';

let tmp: string;
const engine = new Engine({ gpu: false, sequences: 2 });

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'edgewise-engine-'));
});
afterAll(async () => {
  await engine.dispose();
  await rm(tmp, { recursive: true, force: true });
});

async function expectCode(promise: Promise<unknown>, code: string): Promise<EngineError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe(code);
  return error as EngineError;
}

describe('Engine.load', () => {
  it('loads a model with the deliberate thread count and reports the backend', async () => {
    const result = await engine.load({
      modelPath: testModelPath('tiny', 'Q8_0'),
      threads: 1,
      contextSize: 512,
    });
    expect(result.backend).toBe('cpu');
    expect(result.threads).toBe(1);
    expect(result.contextSize).toBeGreaterThanOrEqual(512);
    expect(engine.loadedModelPath).toBe(testModelPath('tiny', 'Q8_0'));
  });

  it('reports a missing file as MODEL_NOT_FOUND', async () => {
    await expectCode(engine.load({ modelPath: path.join(tmp, 'nope.gguf') }), 'MODEL_NOT_FOUND');
  });

  it('reports a file that is not GGUF as NOT_GGUF', async () => {
    const file = path.join(tmp, 'notes.gguf');
    await writeFile(file, 'these are not weights');
    const error = await expectCode(engine.load({ modelPath: file }), 'NOT_GGUF');
    expect(error.message).toContain('notes.gguf');
  });

  it('reports an unknown architecture as UNSUPPORTED_ARCHITECTURE', async () => {
    const model = buildTestModel('tiny', 'Q8_0');
    const file = path.join(tmp, 'alien.gguf');
    await writeGguf(file, {
      ...model,
      metadata: { ...model.metadata, 'general.architecture': { type: 'string', value: 'edgewise-alien' } },
    });
    const error = await expectCode(engine.load({ modelPath: file, threads: 1 }), 'UNSUPPORTED_ARCHITECTURE');
    expect(error.message).toContain('edgewise-alien');
  });

  it('reports a truncated file as MODEL_CORRUPT', async () => {
    const file = path.join(tmp, 'truncated.gguf');
    await copyFile(testModelPath('tiny', 'Q8_0'), file);
    const handle = await open(file, 'r+');
    await handle.truncate(Math.floor((await handle.stat()).size / 2));
    await handle.close();
    await expectCode(engine.load({ modelPath: file, threads: 1 }), 'MODEL_CORRUPT');
  });
});

describe('Engine.chat', () => {
  beforeAll(async () => {
    await engine.load({ modelPath: testModelPath('tiny', 'Q8_0'), threads: 1, contextSize: 512 });
  });

  it('streams text deltas and stops at maxTokens', async () => {
    const chunks: string[] = [];
    const stats = await engine.chat(
      { conversationId: 'a', history: [], prompt: 'Hello there', maxTokens: 24 },
      (text) => chunks.push(text),
      new AbortController().signal,
    );
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('').length).toBeGreaterThan(0);
    // The generated model never emits end-of-sequence, so it always runs to the limit.
    expect(stats.tokens).toBe(24);
    expect(stats.tokensPerSecond).toBeGreaterThan(0);
    expect(stats.timeToFirstTokenMs).not.toBeNull();
  });

  it('keeps a session per conversation and follows the history main sends', async () => {
    const first = await engine.chat(
      {
        conversationId: 'b',
        history: [
          { role: 'user', text: 'earlier' },
          { role: 'assistant', text: 'reply' },
        ],
        prompt: 'next',
        maxTokens: 4,
      },
      () => undefined,
      new AbortController().signal,
    );
    expect(first.tokens).toBe(4);
    // A third conversation with only two sequences evicts the least recently used idle one.
    const third = await engine.chat(
      { conversationId: 'c', history: [], prompt: 'hi', maxTokens: 4 },
      () => undefined,
      new AbortController().signal,
    );
    expect(third.tokens).toBe(4);
  });

  it('refuses a second concurrent answer in the same conversation', async () => {
    const controller = new AbortController();
    const running = engine.chat(
      { conversationId: 'd', history: [], prompt: 'x', maxTokens: 200 },
      () => undefined,
      controller.signal,
    );
    await expectCode(
      engine.chat(
        { conversationId: 'd', history: [], prompt: 'y', maxTokens: 4 },
        () => undefined,
        new AbortController().signal,
      ),
      'BUSY',
    );
    controller.abort();
    await running;
  });

  it('stops within 200 ms of an abort and keeps what was generated', async () => {
    await engine.load({ modelPath: testModelPath('bench60m', 'Q4_0'), threads: 1, contextSize: 512 });
    const controller = new AbortController();
    let text = '';
    let abortedAt = 0;
    const done = engine.chat(
      { conversationId: 'e', history: [], prompt: 'Tell me a long story', maxTokens: 4000 },
      (chunk) => {
        text += chunk;
        if (text.length > 10 && abortedAt === 0) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
      controller.signal,
    );
    const stats = await done;
    const latency = performance.now() - abortedAt;
    expect(abortedAt).toBeGreaterThan(0);
    expect(latency).toBeLessThan(200);
    expect(stats.tokens).toBeLessThan(4000);
    expect(text.length).toBeGreaterThan(10);
  });

  it('refuses to answer while it measures thread speeds, so the measurement stays honest', async () => {
    await engine.load({ modelPath: testModelPath('bench60m', 'Q4_0'), threads: 1, contextSize: 512 });
    const calibration = engine.calibrate([1, 2]);
    while (!engine.calibrating) await new Promise((resolve) => setImmediate(resolve));
    await expectCode(
      engine.chat(
        { conversationId: 'cal', history: [], prompt: 'x', maxTokens: 2 },
        () => undefined,
        new AbortController().signal,
      ),
      'BUSY',
    );
    expect((await calibration).measurements.map((m) => m.threads)).toEqual([1, 2]);
  });

  it('reports chat without a model as NO_MODEL_LOADED', async () => {
    const empty = new Engine({ gpu: false });
    await expectCode(
      empty.chat(
        { conversationId: 'z', history: [], prompt: 'x', maxTokens: 1 },
        () => undefined,
        new AbortController().signal,
      ),
      'NO_MODEL_LOADED',
    );
  });
});
