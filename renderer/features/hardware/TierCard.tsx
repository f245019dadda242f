import type { HardwareTier } from '../../../electron/shared/contract';
import { formatBytes } from '../../lib/format';
import { formatBandwidth } from './labels';

export function TierCard({ tier }: { tier: HardwareTier }) {
  const largest = tier.largestAtReadingSpeed;
  return (
    <section
      data-testid="hardware-tier"
      data-tier={tier.id}
      className="rounded-lg border border-zinc-800 bg-zinc-900/60 px-4 py-3"
    >
      <div className="flex items-baseline gap-3">
        <h2 className="text-base font-semibold text-zinc-100">{tier.name}</h2>
        <span className="text-sm text-zinc-400">typically {tier.typicalModels} models</span>
      </div>
      <p className="mt-1 text-sm text-zinc-300">{tier.explanation}</p>
      <dl className="mt-3 grid grid-cols-3 gap-3 text-sm">
        <div>
          <dt className="text-zinc-500">Bandwidth</dt>
          <dd className="text-zinc-200">
            {tier.bandwidthBytesPerSecond === null ? '—' : formatBandwidth(tier.bandwidthBytesPerSecond)}
          </dd>
        </div>
        <div>
          <dt className="text-zinc-500">Memory for models</dt>
          <dd className="text-zinc-200">{formatBytes(tier.memoryBytes)}</dd>
        </div>
        <div>
          <dt className="text-zinc-500">Largest at {tier.readingSpeedTokensPerSecond} tokens/s</dt>
          <dd className="text-zinc-200" data-testid="tier-largest">
            {largest ? `${largest.label} (≈ ${largest.expectedTokensPerSecond} tok/s)` : 'none'}
          </dd>
        </div>
      </dl>
    </section>
  );
}
