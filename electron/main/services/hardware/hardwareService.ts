import { z } from 'zod';
import type {
  BackendId,
  BackendPreference,
  BackendReport,
  FitEstimate,
  FitTarget,
  HardwareProfile,
  MemoryBandwidth,
  ThreadChoice,
} from '../../../shared/contract';
import { threadCandidates } from '../../../../native/hardware/calibrate';
import { estimateNeeds, judgeFit } from '../../../../native/hardware/fit';
import { machineFromProfile, offeredBackends } from '../../../../native/hardware/machine';
import { modelShape } from '../../../../native/hardware/shape';
import { readSystemFacts, type SystemFacts } from '../../../../native/hardware/system';
import { classifyTier } from '../../../../native/hardware/tiers';
import type { LoadResult } from '../../../../native/protocol';
import { defaultThreads } from '../../../../native/runtime/threads';
import type { EngineSupervisor } from '../engine/supervisor';
import { ServiceError } from '../errors';
import { readJson, writeJsonAtomic } from '../storage/jsonFile';
import { runProbe, type SpawnProbe } from './probeRunner';

const BACKEND_IDS = ['metal', 'cuda', 'vulkan', 'cpu'] as const;
const LABELS: Record<BackendId, string> = { metal: 'Metal', cuda: 'CUDA', vulkan: 'Vulkan', cpu: 'CPU' };

const stateSchema = z.object({
  version: z.literal(1),
  preference: z.enum(['auto', ...BACKEND_IDS]).default('auto'),
  /** `<machine>|<model shape>` → the calibration measured there. */
  calibrations: z
    .record(
      z.string(),
      z.object({
        // The same bounds the engine host accepts: a value it refuses would leave a load unanswered.
        threads: z.number().int().min(1).max(256),
        measurements: z.array(z.object({ threads: z.number(), tokensPerSecond: z.number() })),
        measuredAt: z.number(),
      }),
    )
    .default({}),
  /** `<machine>|<backend>|<model path>|<size>` → the configuration the loading ladder ended on. */
  loads: z
    .record(
      z.string(),
      z.object({
        contextSize: z
          .number()
          .int()
          .min(64)
          .max(1 << 20),
        gpuLayers: z.number().int().min(0).max(10_000).nullable(),
      }),
    )
    .default({}),
});
type State = z.infer<typeof stateSchema>;

export interface ResolvedModel {
  path: string;
  sizeBytes: number;
}

export interface HardwareServiceOptions {
  /** Starts probe processes; null disables the self-tests (every GPU backend is then reported unprobed). */
  spawnProbe: SpawnProbe | null;
  /** `hardware.json`; null keeps the preference and calibrations in memory only. */
  stateFile: string | null;
  engine: EngineSupervisor;
  resolveModel(modelId: string): Promise<ResolvedModel>;
  /** Headers for reading a remote GGUF header (the hub token for the configured hub endpoint). */
  remoteHeaders?(url: string): Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** `--threads`: wins over calibration. */
  threads?: number;
  contextSize?: number;
  onChange?(profile: HardwareProfile): void;
  probeTimeoutMs?: number;
  log?(message: string): void;
}

interface CurrentModel {
  modelId: string;
  shape: string;
  result: LoadResult;
}

/**
 * Knows the machine: runs each backend's self-test in its own process, measures memory bandwidth, chooses the
 * backend the engine starts with (the person's saved override, falling back with a reason), classifies the
 * tier, calibrates threads, judges fits, and loads models with what worked before on this machine.
 */
export class HardwareService {
  readonly #options: HardwareServiceOptions;
  readonly #env: NodeJS.ProcessEnv;
  #system: SystemFacts | null = null;
  #state: State = stateSchema.parse({ version: 1 });
  #backends: BackendReport[] = [];
  #bandwidth: MemoryBandwidth | null = null;
  #bandwidthError: string | null = null;
  #probing = false;
  #current: CurrentModel | null = null;
  #probeRun: Promise<void> | null = null;
  #backendsReady: Promise<void> = Promise.resolve();

  constructor(options: HardwareServiceOptions) {
    this.#options = options;
    this.#env = options.env ?? process.env;
  }

  /** Reads saved state and starts the self-tests; resolves once every backend has an answer. */
  async start(): Promise<void> {
    this.#system = await readSystemFacts();
    if (this.#options.stateFile) {
      // A file that cannot even be opened (a directory, no permission) costs the saved choices, not the probes.
      const read = await readJson(this.#options.stateFile, stateSchema).catch((error: unknown) => {
        this.#log(`hardware.json could not be read (${String(error)}); using defaults`);
        return null;
      });
      if (read?.status === 'ok') this.#state = read.value;
      if (read?.status === 'unreadable') this.#log(`hardware.json was unreadable (kept as ${read.movedTo})`);
    }
    this.#startProbes();
    await this.#backendsReady;
  }

  /** Resolves when every backend self-test has finished (the bandwidth benchmark may still run). */
  get backendsReady(): Promise<void> {
    return this.#backendsReady;
  }

  /** Waits for the self-tests and the benchmark. */
  async idle(): Promise<void> {
    await this.#probeRun;
  }

  async reprobe(): Promise<HardwareProfile> {
    await this.#probeRun;
    const before = this.#decide().backend;
    this.#startProbes();
    await this.#probeRun;
    await this.#respawnIfChanged(before);
    return this.profile();
  }

  /** The environment the engine host is started with: the chosen backend. */
  engineEnv(): Record<string, string> {
    return { EDGEWISE_GPU: this.#decide().backend };
  }

  async setBackend(preference: BackendPreference): Promise<HardwareProfile> {
    await this.#backendsReady;
    const before = this.#decide().backend;
    this.#state = { ...this.#state, preference };
    await this.#save();
    await this.#respawnIfChanged(before);
    this.#changed();
    return this.profile();
  }

  profile(): HardwareProfile {
    const system = this.#system ?? fallbackSystem();
    const { backend, preference, source, fallbackReason } = this.#decide();
    const base: HardwareProfile = {
      ...system,
      bandwidth: this.#bandwidth,
      bandwidthError: this.#bandwidthError,
      backends: this.#backends.map((b) => ({ ...b, deviceNames: [...b.deviceNames] })),
      probing: this.#probing,
      preference,
      preferenceSource: source,
      activeBackend: backend,
      fallbackReason,
      whyCpu: null,
      tier: null,
      threads: this.#threadChoice(this.#current?.shape ?? null),
    };
    base.whyCpu = this.#whyCpu(base);
    base.tier = classifyTier(machineFromProfile(base));
    return base;
  }

  /** Loads a model through the engine with the remembered configuration and thread calibration. */
  async load(modelId: string): Promise<LoadResult> {
    const model = await this.#options.resolveModel(modelId);
    await this.#backendsReady;
    const shape = await shapeOf(model.path);
    const remembered = this.#state.loads[this.#loadKey(model)];
    const choice = this.#threadChoice(shape);
    // Nothing measured for this machine and model shape, nothing forced: the load calibrates (briefly).
    const calibrate = choice.source === 'default';
    const system = this.#system ?? fallbackSystem();
    const result = await this.#options.engine.load(modelId, {
      modelPath: model.path,
      ...(calibrate
        ? { calibrateThreads: threadCandidates(system.physicalCores, system.logicalCores) }
        : { threads: choice.threads }),
      contextSize: remembered?.contextSize ?? this.#options.contextSize,
      gpuLayers: remembered?.gpuLayers ?? undefined,
    });
    if (result.calibration) {
      this.#state.calibrations[this.#calibrationKey(result.modelShape)] = {
        threads: result.threads,
        measurements: result.calibration,
        measuredAt: Date.now(),
      };
      await this.#save();
    }
    this.#current = { modelId, shape: shape ?? result.modelShape, result };
    if (result.attempts > 1) {
      // What worked after running out of memory is where the next load of this model starts.
      this.#state.loads[this.#loadKey(model)] = {
        contextSize: result.contextSize,
        gpuLayers: result.gpuLayers,
      };
      await this.#save();
    }
    this.#changed();
    return result;
  }

  /** The engine unloaded or lost its model: what was loaded no longer explains anything. */
  engineStatus(status: { modelId: string | null }): void {
    if (this.#current && status.modelId !== this.#current.modelId) this.#current = null;
  }

  /**
   * Measures generation speed at 1, 2, 4 and the core counts on the loaded model, remembers the fastest for this
   * machine and model shape, and reloads the model with it.
   */
  async calibrate(): Promise<ThreadChoice> {
    const engine = this.#options.engine;
    const loaded = engine.loaded;
    if (!loaded)
      throw new ServiceError('NO_MODEL_LOADED', 'Load a model first: threads are calibrated on it.');
    const system = this.#system ?? fallbackSystem();
    const result = await engine.calibrate(threadCandidates(system.physicalCores, system.logicalCores));
    this.#state.calibrations[this.#calibrationKey(result.modelShape)] = {
      threads: result.threads,
      measurements: result.measurements,
      measuredAt: Date.now(),
    };
    await this.#save();
    const choice = this.#threadChoice(result.modelShape);
    // Only if that model is still the loaded one: a model picked during the measurement stays picked.
    if (engine.loaded?.modelId === loaded.modelId && loaded.options.threads !== choice.threads) {
      await engine.load(loaded.modelId, { ...loaded.options, threads: choice.threads });
    }
    this.#changed();
    return choice;
  }

  async fit(target: FitTarget, contextSize?: number): Promise<FitEstimate> {
    await this.#backendsReady;
    const machine = machineFromProfile(this.profile());
    if (target.kind === 'estimate') {
      const context = contextSize ?? Math.min(target.contextLength ?? 4096, 4096);
      return judgeFit(
        estimateNeeds({
          fileSizeBytes: target.fileSizeBytes,
          parameters: target.parameters,
          activeParameters: target.activeParameters,
          contextSize: context,
        }),
        machine,
      );
    }
    const source =
      target.kind === 'local'
        ? { location: (await this.#options.resolveModel(target.modelId)).path }
        : { location: target.url, headers: this.#options.remoteHeaders?.(target.url) };
    const needs = await this.#options.engine.fitNeeds(source, contextSize);
    return judgeFit(needs, machine);
  }

  #startProbes(): void {
    const spawn = this.#options.spawnProbe;
    const system = this.#system ?? fallbackSystem();
    const offered = offeredBackends();
    this.#probing = true;
    this.#backends = offered.map((backend) => pendingReport(backend));
    if (!spawn) {
      this.#backends = offered.map((backend) =>
        backend === 'cpu'
          ? { ...pendingReport('cpu'), status: 'ok' as const }
          : {
              ...pendingReport(backend),
              status: 'unavailable',
              reason: 'Backend self-tests are off in this run.',
            },
      );
      this.#probing = false;
      this.#bandwidthError = 'Not measured in this run.';
      this.#backendsReady = Promise.resolve();
      this.#probeRun = Promise.resolve();
      return;
    }
    const timeout = this.#options.probeTimeoutMs ?? 30_000;
    const backends = Promise.all(
      offered.map(async (backend) => {
        const outcome = await runProbe(spawn, ['backend', backend], timeout);
        this.#setReport(toReport(backend, outcome));
      }),
    ).then(() => undefined);
    this.#backendsReady = backends;
    this.#probeRun = backends
      .then(async () => {
        // After the backends: on a small machine, parallel probes would disturb the measurement.
        const outcome = await runProbe(
          spawn,
          ['bandwidth', String(Math.min(system.physicalCores, 8))],
          timeout,
        );
        if (outcome.kind === 'message' && outcome.message.type === 'bandwidth') {
          this.#bandwidth = outcome.message.result;
          this.#bandwidthError = null;
        } else {
          this.#bandwidthError = describeFailure('The bandwidth benchmark', outcome);
        }
      })
      .catch((error: unknown) => this.#log(`Backend self-tests failed: ${String(error)}`))
      .finally(() => {
        this.#probing = false;
        this.#changed();
      });
  }

  #setReport(report: BackendReport): void {
    this.#backends = this.#backends.map((b) => (b.backend === report.backend ? report : b));
    this.#changed();
  }

  /** The backend the engine runs with: the preference if its self-test passed, else the best that did. */
  #decide(): {
    backend: BackendId;
    preference: BackendPreference;
    source: HardwareProfile['preferenceSource'];
    fallbackReason: string | null;
  } {
    const fromEnv = parseEnvGpu(this.#env['EDGEWISE_GPU']);
    const preference: BackendPreference = fromEnv ?? this.#state.preference;
    const source = fromEnv ? 'env' : this.#state.preference !== 'auto' ? 'user' : 'default';
    const ok = (b: BackendReport) => b.status === 'ok';
    // Software "GPUs" (lavapipe) are the CPU under another API: chosen only when asked for by name.
    const best =
      this.#backends.find((b) => b.backend !== 'cpu' && ok(b) && !b.softwareDevice)?.backend ??
      ('cpu' as const);
    if (preference === 'auto') return { backend: best, preference, source, fallbackReason: null };
    const report = this.#backends.find((b) => b.backend === preference);
    if (report?.status === 'pending' || (report && ok(report)) || preference === 'cpu') {
      return { backend: preference, preference, source, fallbackReason: null };
    }
    const why = report?.reason ?? `${LABELS[preference]} is not offered on this platform.`;
    return {
      backend: best,
      preference,
      source,
      fallbackReason: `${LABELS[preference]} was chosen but ${report ? `its self-test ${report.status === 'ok' ? 'passed' : 'failed'}: ${why}` : why} Using ${LABELS[best]} instead.`,
    };
  }

  #whyCpu(profile: HardwareProfile): string | null {
    const current = this.#current?.result;
    if (profile.activeBackend !== 'cpu') {
      if (current && current.gpuLayers === 0 && current.backend !== 'cpu') {
        return `The ${LABELS[profile.activeBackend]} backend is active, but the loaded model has no layers on the GPU: it did not fit in GPU memory, so the loading ladder fell back to the CPU.`;
      }
      const report = profile.backends.find((b) => b.backend === profile.activeBackend);
      if (report?.softwareDevice) {
        return `The ${LABELS[profile.activeBackend]} device (${report.deviceNames.join(', ')}) is a software renderer running on the CPU.`;
      }
      return null;
    }
    if (profile.preference === 'cpu') {
      return profile.preferenceSource === 'env'
        ? 'The CPU backend was forced by the EDGEWISE_GPU environment variable.'
        : 'You chose the CPU backend in Hardware settings.';
    }
    if (profile.probing && profile.backends.some((b) => b.status === 'pending')) {
      return 'The GPU self-tests are still running.';
    }
    const gpus = profile.backends.filter((b) => b.backend !== 'cpu');
    if (gpus.length === 0) return 'This build of Edgewise offers no GPU backend for this platform.';
    const lines = gpus.map((b) =>
      b.status === 'ok' && b.softwareDevice
        ? `${LABELS[b.backend]}: its only device (${b.deviceNames.join(', ')}) is a software renderer on the CPU, no faster than the CPU backend.`
        : `${LABELS[b.backend]}: ${b.reason ?? b.status}`,
    );
    return `No GPU backend passed its self-test, so Edgewise runs on the CPU. ${lines.join(' ')}`;
  }

  #threadChoice(shape: string | null): ThreadChoice {
    const fromEnv = Number.parseInt(this.#env['EDGEWISE_THREADS'] ?? '', 10);
    // Clamped to what the engine host accepts (1..256).
    const forced = this.#options.threads ?? (fromEnv > 0 ? Math.min(fromEnv, 256) : undefined);
    if (forced !== undefined) {
      return { threads: forced, source: 'env', modelShape: null, measurements: [], measuredAt: null };
    }
    const calibration = shape ? this.#state.calibrations[this.#calibrationKey(shape)] : undefined;
    if (calibration && shape) {
      return {
        threads: calibration.threads,
        source: 'calibrated',
        modelShape: shape,
        measurements: calibration.measurements,
        measuredAt: calibration.measuredAt,
      };
    }
    const system = this.#system ?? fallbackSystem();
    return {
      threads: defaultThreads(system.logicalCores, {}),
      source: 'default',
      modelShape: null,
      measurements: [],
      measuredAt: null,
    };
  }

  #machineKey(): string {
    const system = this.#system ?? fallbackSystem();
    return `${system.cpuModel}|${system.logicalCores}|${Math.round(system.ramTotalBytes / 2 ** 30)}G`;
  }

  #calibrationKey(shape: string): string {
    return `${this.#machineKey()}|${shape}`;
  }

  #loadKey(model: ResolvedModel): string {
    return `${this.#machineKey()}|${this.#decide().backend}|${model.path}|${model.sizeBytes}`;
  }

  async #respawnIfChanged(before: BackendId): Promise<void> {
    if (this.#decide().backend === before) return;
    await this.#options.engine.respawn().catch((error: unknown) => {
      this.#log(`Restarting the engine on the new backend failed: ${String(error)}`);
    });
  }

  async #save(): Promise<void> {
    if (!this.#options.stateFile) return;
    await writeJsonAtomic(this.#options.stateFile, this.#state).catch((error: unknown) =>
      this.#log(`Could not save hardware.json: ${String(error)}`),
    );
  }

  #changed(): void {
    this.#options.onChange?.(this.profile());
  }

  #log(message: string): void {
    (this.#options.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(message);
  }
}

function pendingReport(backend: BackendId): BackendReport {
  return {
    backend,
    status: 'pending',
    reason: null,
    deviceNames: [],
    vramTotalBytes: null,
    vramFreeBytes: null,
    unifiedMemoryBytes: null,
    softwareDevice: false,
    probeMs: null,
  };
}

function toReport(backend: BackendId, outcome: Awaited<ReturnType<typeof runProbe>>): BackendReport {
  if (outcome.kind === 'message' && outcome.message.type === 'backend') {
    return { ...outcome.message.report, probeMs: outcome.ms };
  }
  const status = outcome.kind === 'timeout' ? 'timeout' : 'crashed';
  return {
    ...pendingReport(backend),
    status,
    reason: describeFailure(`The ${LABELS[backend]} self-test`, outcome),
    probeMs: outcome.ms,
  };
}

function describeFailure(what: string, outcome: Awaited<ReturnType<typeof runProbe>>): string {
  switch (outcome.kind) {
    case 'timeout':
      return `${what} did not answer within ${Math.round(outcome.ms / 1000)} s (a hung driver?) and was stopped.`;
    case 'crashed': {
      const how = outcome.info.signal ?? `exit code ${outcome.info.code ?? 'unknown'}`;
      return `${what} crashed (${how}): the binary or the driver is broken on this machine. Edgewise kept running.`;
    }
    case 'message':
      return outcome.message.type === 'error'
        ? `${what} failed: ${outcome.message.message}`
        : `${what} failed.`;
    default:
      return outcome satisfies never;
  }
}

function parseEnvGpu(value: string | undefined): BackendPreference | null {
  switch (value) {
    case undefined:
    case '':
    case 'auto':
      return null;
    case 'false':
    case 'cpu':
      return 'cpu';
    case 'metal':
    case 'cuda':
    case 'vulkan':
      return value;
    default:
      return null;
  }
}

async function shapeOf(modelPath: string): Promise<string | null> {
  try {
    const { readGgufFileInfo } = await import('node-llama-cpp');
    return modelShape(await readGgufFileInfo(modelPath, { logWarnings: false }));
  } catch {
    return null;
  }
}

function fallbackSystem(): SystemFacts {
  return {
    cpuModel: 'unknown',
    physicalCores: 1,
    logicalCores: 1,
    ramTotalBytes: 0,
    ramFreeBytes: 0,
    os: 'unknown',
  };
}
