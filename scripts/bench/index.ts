/**
 * `npm run bench`: what the app costs on top of llama.cpp, as ratios measured in one run on one model.
 *
 *   app tokens/s ÷ bare node-llama-cpp tokens/s      (same model, threads, prompt, token count)
 *   delta messages per second while streaming        (coalescing: about one per frame, not one per token)
 *   main event-loop delay p99, streaming ÷ idle      (streaming must not make main sluggish)
 *
 * Prints a table; never fails on a number. Uses the generated bench model (`npm run make-test-models`).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLlama, LlamaChatSession, LlamaLogLevel } from 'node-llama-cpp';
import { createAppServices } from '../../electron/main/appServices';
import { forkSpawner } from '../../electron/main/services/engine/engineProcess';
import { defaultThreads } from '../../native/runtime/threads';
import type { ChatStreamEvent, Conversation } from '../../electron/shared/contract';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const modelFile = process.env['BENCH_MODEL'] ?? 'bench60m.Q4_0.gguf';
const modelPath = path.join(root, 'test-models', modelFile);
const tokens = Number(process.env['BENCH_TOKENS'] ?? 256);
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const threads = defaultThreads();
const prompt = 'Write a long story about a laptop that learned to think.';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function bare(): Promise<number> {
  const llama = await getLlama({ build: 'never', gpu: false, logLevel: LlamaLogLevel.error });
  llama.maxThreads = threads;
  const model = await llama.loadModel({ modelPath });
  // The same context the engine host creates (4 sequences, exact size), so the comparison is like for like.
  const context = await model.createContext({
    contextSize: 2048,
    sequences: 4,
    threads: { ideal: threads, min: 1 },
  });
  const speeds: number[] = [];
  for (let run = 0; run < runs; run++) {
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    // The app mirrors main's history, which has no system prompt; the default one would lengthen the prompt.
    session.setChatHistory([]);
    let first = 0;
    let count = 0;
    await session.prompt(prompt, {
      maxTokens: tokens,
      temperature: 0.7,
      topK: 40,
      topP: 0.95,
      onToken: (generated) => {
        first ||= performance.now();
        count += generated.length;
      },
    });
    speeds.push((count - 1) / ((performance.now() - first) / 1000));
    session.dispose({ disposeSequence: true });
  }
  await context.dispose();
  await model.dispose();
  await llama.dispose();
  return median(speeds);
}

async function app(): Promise<{
  tokensPerSecond: number;
  deltasPerSecond: number;
  deltasPerToken: number;
  lagRatio: number;
  idleP99: number;
  streamingP99: number;
}> {
  const services = await createAppServices({
    mode: 'serve',
    version: 'bench',
    modelsDirs: [path.dirname(modelPath)],
    dataDir: null,
    spawnEngine: forkSpawner(path.join(root, 'out', 'native', 'host.js'), {
      ...process.env,
      EDGEWISE_GPU: 'false',
    }),
    threads,
    contextSize: 2048,
    log: () => undefined,
  });
  const call = async <T>(channel: string, args?: unknown): Promise<T> => {
    const result = await services.router.dispatch(channel, args, { senderId: 'bench' });
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value as T;
  };
  const { models } = await call<{ models: { modelId: string; fileName: string }[] }>('models:list');
  const modelId = models.find((model) => model.fileName === modelFile)?.modelId;
  if (!modelId)
    throw new Error(`${modelFile} is not in ${path.dirname(modelPath)}: run npm run make-test-models`);
  await call('engine:load', { modelId });

  const idle = monitorEventLoopDelay({ resolution: 5 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  idle.disable();

  const speeds: number[] = [];
  const deltaRates: number[] = [];
  const perToken: number[] = [];
  const streaming = monitorEventLoopDelay({ resolution: 5 });
  for (let run = 0; run < runs; run++) {
    const conversation = await call<Conversation>('conversations:create');
    const deltas: number[] = [];
    const ended = new Promise<ChatStreamEvent>((resolve) => {
      const detach = services.events.attach('bench', (channel, payload) => {
        if (channel !== 'chat:stream') return;
        const event = payload as ChatStreamEvent;
        if (event.type === 'delta') deltas.push(performance.now());
        else {
          detach();
          resolve(event);
        }
      });
    });
    streaming.enable();
    await call('chat:send', {
      requestId: `bench-${run}`,
      conversationId: conversation.conversationId,
      text: prompt,
      maxTokens: tokens,
    });
    const end = await ended;
    streaming.disable();
    if (end.type !== 'done') throw new Error(`stream ended with ${end.type}`);
    speeds.push(end.stats.tokensPerSecond);
    const seconds = ((deltas.at(-1) ?? 0) - (deltas[0] ?? 0)) / 1000;
    deltaRates.push(seconds > 0 ? (deltas.length - 1) / seconds : 0);
    perToken.push(deltas.length / end.stats.tokens);
  }
  await services.dispose();
  const idleP99 = idle.percentile(99) / 1e6;
  const streamingP99 = streaming.percentile(99) / 1e6;
  return {
    tokensPerSecond: median(speeds),
    deltasPerSecond: median(deltaRates),
    deltasPerToken: median(perToken),
    idleP99,
    streamingP99,
    lagRatio: streamingP99 / idleP99,
  };
}

async function main(): Promise<void> {
  process.stdout.write(
    `Edgewise bench · ${modelFile} · ${tokens} tokens × ${runs} runs · ${threads} thread(s) · ${os.cpus()[0]?.model ?? 'cpu'}\n\n`,
  );
  const bareSpeed = await bare();
  const measured = await app();
  const rows: [string, string, string, string][] = [
    [
      'app tok/s ÷ bare node-llama-cpp tok/s',
      `${measured.tokensPerSecond.toFixed(1)} ÷ ${bareSpeed.toFixed(1)}`,
      (measured.tokensPerSecond / bareSpeed).toFixed(3),
      '≥ 0.95',
    ],
    [
      'delta messages per second while streaming',
      measured.deltasPerSecond.toFixed(1),
      '',
      '≤ 65 (one per frame)',
    ],
    ['delta messages per generated token', measured.deltasPerToken.toFixed(3), '', '< 1 when tok/s > 60'],
    [
      'main event-loop p99 delay, streaming ÷ idle',
      `${measured.streamingP99.toFixed(2)} ms ÷ ${measured.idleP99.toFixed(2)} ms`,
      measured.lagRatio.toFixed(2),
      '≤ 1.5',
    ],
  ];
  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(...[['measure', 'values', 'ratio', 'target'], ...rows].map((row) => row[column]!.length)),
  );
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |\n`;
  process.stdout.write(line(['measure', 'values', 'ratio', 'target']));
  process.stdout.write(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) process.stdout.write(line(row));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
