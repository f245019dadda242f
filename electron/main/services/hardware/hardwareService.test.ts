import { existsSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadStepEvent } from '../../../shared/contract';
import { testModelPath } from '../../../../native/test/models';
import { forkSpawner } from '../engine/engineProcess';
import { EngineSupervisor, type StreamHandlers } from '../engine/supervisor';
import { HardwareService, type ResolvedModel } from './hardwareService';
import { forkProbeSpawner, runProbe } from './probeRunner';

const out = fileURLToPath(new URL('../../../../out/native/', import.meta.url));
const hostEntry = path.join(out, 'host.js');
const probeEntry = path.join(out, 'probe.js');
const MODELS: Record<string, string> = {
  tiny: testModelPath('tiny', 'Q8_0'),
  bench: testModelPath('bench60m', 'Q8_0'),
};
const resolveModel = async (modelId: string): Promise<ResolvedModel> => {
  const file = MODELS[modelId];
  if (!file) throw new Error(`no model ${modelId}`);
  return { path: file, sizeBytes: (await stat(file)).size };
};
// Without GGML_VK_VISIBLE_DEVICES, llama.cpp ignores lavapipe (a CPU Vulkan device): set it for the probes and
// the engine so the Vulkan path really offloads layers on this GPU-less machine.
const vulkanEnv: NodeJS.ProcessEnv = { ...process.env, GGML_VK_VISIBLE_DEVICES: '0' };
delete vulkanEnv['EDGEWISE_GPU'];
const vulkanLoader = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
].some((file) => existsSync(file));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edgewise-hw-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function chatOnce(engine: EngineSupervisor, conversationId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const handlers: StreamHandlers = {
      onToken: (t) => (text += t),
      onEnd: () => resolve(text),
      onFail: (error) => reject(new Error(`${error.code}: ${error.message}`)),
    };
    engine.chat(
      {
        requestId: `r-${conversationId}`,
        conversationId,
        history: [],
        prompt: 'Tell me about llamas.',
        maxTokens: 24,
        sampling: { temperature: 0 },
      },
      handlers,
    );
  });
}

describe('probe processes', () => {
  it('reports a probe that segfaults as crashed, without taking main down', async () => {
    const spawn = forkProbeSpawner(probeEntry, { ...process.env, EDGEWISE_PROBE_CRASH: 'cpu' });
    const outcome = await runProbe(spawn, ['backend', 'cpu'], 20_000);
    expect(outcome).toMatchObject({ kind: 'crashed', info: { signal: 'SIGSEGV' } });
  });

  it('stops a probe that hangs', async () => {
    const outcome = await runProbe(forkProbeSpawner(probeEntry), ['backend', 'cpu'], 1);
    expect(outcome.kind).toBe('timeout');
  });

  it('reports a probe that cannot even be spawned, and never rejects', async () => {
    const outcome = await runProbe(
      () => {
        throw new Error('EMFILE');
      },
      ['backend', 'cpu'],
      1000,
    );
    expect(outcome).toMatchObject({ kind: 'crashed' });
  });
});

describe('HardwareService: self-tests, override, Vulkan vs CPU', () => {
  const stateFile = () => path.join(dir, 'a', 'hardware.json');
  let engine: EngineSupervisor;
  let hardware: HardwareService;

  beforeAll(async () => {
    engine = new EngineSupervisor({
      spawn: forkSpawner(hostEntry, vulkanEnv),
      spawnEnv: () => hardware.engineEnv(),
      contextSize: 512,
    });
    hardware = new HardwareService({
      // The CUDA probe is made to segfault: one broken backend must not hide the others or stop the app.
      spawnProbe: forkProbeSpawner(probeEntry, { ...vulkanEnv, EDGEWISE_PROBE_CRASH: 'cuda' }),
      stateFile: stateFile(),
      engine,
      resolveModel,
      env: {},
      log: () => undefined,
    });
    await hardware.start();
    await hardware.idle();
  });
  afterAll(() => engine.stop());

  it('probes every offered backend, reports the crash, measures bandwidth, and explains the CPU choice', () => {
    const profile = hardware.profile();
    const by = Object.fromEntries(profile.backends.map((b) => [b.backend, b]));
    expect(by['cpu']?.status).toBe('ok');
    expect(by['cuda']).toMatchObject({ status: 'crashed' });
    expect(by['cuda']?.reason).toMatch(/crashed \(SIGSEGV\).*kept running/);
    expect(profile.probing).toBe(false);
    expect(profile.bandwidth?.bytesPerSecond).toBeGreaterThan(1e9);
    expect(profile.bandwidth?.threads).toBe(Math.min(profile.physicalCores, 8));
    expect(profile.tier?.bandwidthSource).toBe('measured-cpu');
    expect(profile.preferenceSource).toBe('default');
    // lavapipe is a software device: never chosen automatically.
    expect(profile.activeBackend).toBe('cpu');
    expect(profile.whyCpu).toMatch(/CUDA: The CUDA self-test crashed/);
    if (vulkanLoader) {
      expect(by['vulkan']).toMatchObject({ status: 'ok', softwareDevice: true });
      expect(by['vulkan']?.deviceNames[0]).toMatch(/llvmpipe/);
      expect(profile.whyCpu).toMatch(/software renderer/);
    }
  });

  it('falls back with the reason when the chosen backend failed its self-test, and saves the choice', async () => {
    const profile = await hardware.setBackend('cuda');
    expect(profile.preference).toBe('cuda');
    expect(profile.preferenceSource).toBe('user');
    expect(profile.activeBackend).toBe('cpu');
    expect(profile.fallbackReason).toMatch(
      /^CUDA was chosen but its self-test failed: .*Using CPU instead\.$/,
    );
    expect(JSON.parse(await readFile(stateFile(), 'utf8'))).toMatchObject({ preference: 'cuda' });
  });

  it.skipIf(!vulkanLoader)(
    'offloads layers to a real Vulkan device (lavapipe) and generates the same greedy tokens as the CPU',
    async () => {
      const vulkan = await hardware.setBackend('vulkan');
      expect(vulkan.activeBackend).toBe('vulkan');
      expect(hardware.engineEnv()).toEqual({ EDGEWISE_GPU: 'vulkan' });
      const onGpu = await hardware.load('tiny');
      expect(onGpu.backend).toBe('vulkan');
      expect(onGpu.gpuLayers).toBeGreaterThan(0);
      expect(onGpu.gpuLayers).toBe(onGpu.totalLayers);
      const gpuText = await chatOnce(engine, 'vk');

      const cpu = await hardware.setBackend('cpu');
      expect(cpu.activeBackend).toBe('cpu');
      expect(cpu.whyCpu).toBe('You chose the CPU backend in Hardware settings.');
      // The engine restarted on the CPU and reloaded the model by itself.
      expect(engine.status).toMatchObject({ state: 'ready', backend: 'cpu', modelId: 'tiny' });
      const cpuText = await chatOnce(engine, 'cpu');
      expect(gpuText.length).toBeGreaterThan(0);
      expect(gpuText).toBe(cpuText);
    },
    120_000,
  );

  it('reads the saved preference back', async () => {
    const again = new HardwareService({
      spawnProbe: null,
      stateFile: stateFile(),
      engine,
      resolveModel,
      env: {},
    });
    await again.start();
    expect(again.profile()).toMatchObject({ preferenceSource: 'user' });
  });
});

describe('HardwareService: loading ladder, calibration, fit', () => {
  const stateFile = () => path.join(dir, 'b', 'hardware.json');
  const steps: LoadStepEvent[] = [];
  let engine: EngineSupervisor;
  let hardware: HardwareService;
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    engine = new EngineSupervisor({
      // A real refusal: node-llama-cpp's RAM cap makes the 4096-token context too big for bench60m.
      spawn: forkSpawner(hostEntry, { ...process.env, EDGEWISE_RAM_CAP_BYTES: '400000000' }),
      spawnEnv: () => hardware.engineEnv(),
      onLoadStep: (modelId, step) => steps.push({ modelId, ...step }),
    });
    hardware = new HardwareService({
      spawnProbe: null,
      stateFile: stateFile(),
      engine,
      resolveModel,
      env: { EDGEWISE_GPU: 'cpu' },
      contextSize: 4096,
      log: () => undefined,
    });
    await hardware.start();
    server = http.createServer((req, res) => serveWithRanges(MODELS['bench'] ?? '', req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await engine.stop();
  });

  it('walks the ladder on out of memory, reports each step, and starts from what worked next time', async () => {
    const first = await hardware.load('bench');
    expect(first.attempts).toBeGreaterThan(1);
    expect(steps[0]).toMatchObject({ modelId: 'bench', step: 0, action: 'initial', outcome: 'failed' });
    expect(steps.at(-1)).toMatchObject({ outcome: 'loaded', action: 'smaller-context' });
    expect(engine.status.contextSize).toBe(first.contextSize);
    const saved = JSON.parse(await readFile(stateFile(), 'utf8')) as { loads: Record<string, unknown> };
    expect(Object.values(saved.loads)).toEqual([{ contextSize: first.contextSize, gpuLayers: 0 }]);

    steps.length = 0;
    const second = await hardware.load('bench');
    expect(second.attempts).toBe(1);
    expect(second.contextSize).toBe(first.contextSize);
    expect(steps).toEqual([expect.objectContaining({ step: 0, outcome: 'loaded' })]);
  });

  it('calibrates threads by itself on the first load of a model shape, then reuses the result', async () => {
    const first = await hardware.load('tiny');
    expect(first.calibration?.length).toBeGreaterThanOrEqual(2);
    if (os.availableParallelism() <= 2) expect(first.threads).toBe(1);
    expect(hardware.profile().threads).toMatchObject({ source: 'calibrated', threads: first.threads });
    const saved = JSON.parse(await readFile(stateFile(), 'utf8')) as {
      calibrations: Record<string, { threads: number }>;
    };
    expect(Object.values(saved.calibrations)).toContainEqual(
      expect.objectContaining({ threads: first.threads }),
    );

    const second = await hardware.load('tiny');
    expect(second.calibration).toBeUndefined();
    expect(second.threads).toBe(first.threads);
  }, 60_000);

  it('calibrates threads on the loaded model and reloads with the fastest (1 beats 4 on a 2-core machine)', async () => {
    await hardware.load('tiny');
    const choice = await hardware.calibrate();
    const speed = (n: number) => choice.measurements.find((m) => m.threads === n)?.tokensPerSecond ?? NaN;
    expect(choice.source).toBe('calibrated');
    expect(choice.modelShape).toMatch(/^llama /);
    expect(choice.measurements.map((m) => m.threads)).toEqual(expect.arrayContaining([1, 2, 4]));
    if (os.availableParallelism() <= 2) {
      expect(choice.threads).toBe(1);
      expect(speed(1)).toBeGreaterThan(speed(4) * 2);
    }
    expect(engine.status.threads).toBe(choice.threads);
    expect(hardware.profile().threads).toMatchObject({ source: 'calibrated', threads: choice.threads });
    console.info('thread calibration:', JSON.stringify(choice.measurements));
  }, 90_000);

  it('judges a local file and a remote header (ranged requests) with GgufInsights', async () => {
    const local = await hardware.fit({ kind: 'local', modelId: 'bench' }, 1024);
    expect(local).toMatchObject({ verdict: 'cpu', gpuLayers: 0, totalLayers: 17, contextSize: 1024 });
    expect(local.ramBytes).toBeGreaterThan(60e6);
    expect(local.explanation).toMatch(/Runs on the CPU/);
    const remote = await hardware.fit({ kind: 'remote', url: `${baseUrl}/bench60m.Q8_0.gguf` }, 1024);
    expect(remote).toMatchObject({ verdict: 'cpu', totalLayers: 17, contextSize: 1024 });
    const estimate = await hardware.fit({ kind: 'estimate', fileSizeBytes: 4.9e9, parameters: 8e9 });
    expect(estimate.contextSize).toBe(4096);
    expect(['cpu', 'no']).toContain(estimate.verdict);
  });
});

function serveWithRanges(file: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  void stat(file).then(({ size }) => {
    const match = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    const end = match && match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
    res.writeHead(match ? 206 : 200, {
      'Content-Length': end - start + 1,
      'Accept-Ranges': 'bytes',
      ...(match ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file, { start, end }).pipe(res);
  });
}
