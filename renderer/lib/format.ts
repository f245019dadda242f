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

/** "8.2B", "600M", "96K" parameters. */
export function formatParameters(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(count >= 1e11 ? 0 : 1).replace(/\.0$/, '')}B`;
  if (count >= 1e6) return `${Math.round(count / 1e6)}M`;
  return `${Math.max(1, Math.round(count / 1e3))}K`;
}

/** "32K", "128K" tokens of context. */
export function formatContext(tokens: number): string {
  return tokens >= 1024 ? `${Math.round(tokens / 1024)}K` : String(tokens);
}

/** "4 s", "3 min", "1 h 20 min" — an ETA, so rounded generously. */
export function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}
