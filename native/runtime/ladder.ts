import type { LoadStepAction } from '../protocol';

/**
 * The safe loading ladder: after an out-of-memory failure, try a smaller context, then fewer GPU layers, then
 * CPU only. Pure, so the order is tested without running out of memory.
 */
export interface Attempt {
  action: LoadStepAction;
  contextSize: number;
  /** 'max' = all layers. */
  gpuLayers: number | 'max';
}

/** Smallest context the ladder goes down to: enough for a short exchange. */
export const MIN_LADDER_CONTEXT = 512;
const MAX_CONTEXT_HALVINGS = 3;
const MAX_LAYER_HALVINGS = 2;

export interface LadderState {
  totalLayers: number;
  /** The failure happened loading the weights (not creating the context): a smaller context cannot help. */
  failedAt: 'model' | 'context';
  contextHalvings: number;
  layerHalvings: number;
}

export function nextAttempt(previous: Attempt, state: LadderState): Attempt | null {
  if (
    state.failedAt === 'context' &&
    state.contextHalvings < MAX_CONTEXT_HALVINGS &&
    previous.contextSize > MIN_LADDER_CONTEXT &&
    (previous.action === 'initial' || previous.action === 'smaller-context')
  ) {
    return {
      action: 'smaller-context',
      contextSize: Math.max(MIN_LADDER_CONTEXT, Math.floor(previous.contextSize / 2)),
      gpuLayers: previous.gpuLayers,
    };
  }
  const layers = previous.gpuLayers === 'max' ? state.totalLayers : previous.gpuLayers;
  if (layers <= 0) return null;
  const fewer = Math.floor(layers / 2);
  if (state.layerHalvings < MAX_LAYER_HALVINGS && fewer >= 1) {
    return { action: 'fewer-gpu-layers', contextSize: previous.contextSize, gpuLayers: fewer };
  }
  return { action: 'cpu-only', contextSize: previous.contextSize, gpuLayers: 0 };
}
