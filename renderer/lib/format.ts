import type { EngineState, EngineStatus, GenerationStats } from '../../electron/shared/contract';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "42.1 tok/s · 128 tokens · 0.31 s to first token" */
export function formatStats(stats: GenerationStats): string {
  const parts = [`${stats.tokensPerSecond.toFixed(1)} tok/s`, plural(stats.tokens, 'token')];
  if (stats.timeToFirstTokenMs !== null) {
    parts.push(`${(stats.timeToFirstTokenMs / 1000).toFixed(2)} s to first token`);
  }
  return parts.join(' · ');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const stateLabels: Record<EngineState, string> = {
  starting: 'Starting',
  idle: 'No model',
  loading: 'Loading',
  ready: 'Ready',
  crashed: 'Crashed',
  stopped: 'Stopped',
};

/** "Ready · cpu · 1 thread" */
export function formatEngineStatus(status: EngineStatus | null): string {
  if (!status) return 'Connecting';
  const restarting = status.state === 'crashed' || (status.state === 'starting' && status.restarts > 0);
  const parts = [restarting ? 'Restarting' : stateLabels[status.state]];
  if (status.backend) parts.push(status.backend);
  if (status.threads !== null) parts.push(plural(status.threads, 'thread'));
  return parts.join(' · ');
}
