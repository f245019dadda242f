import type { CatalogModel, CatalogQuant, FitTarget } from '../../../electron/shared/contract';
import { FitBadge } from '../../components/FitBadge';
import { formatBytes, formatContext, formatParameters } from '../../lib/format';
import { defaultQuant, useCatalogStore } from '../../stores/catalogStore';
import { CapabilityChips } from './CapabilityChips';
import { DownloadAction } from './DownloadAction';

export function estimateTarget(model: CatalogModel, quant: CatalogQuant): FitTarget {
  return {
    kind: 'estimate',
    fileSizeBytes: quant.approxSizeBytes,
    parameters: model.parameters,
    activeParameters: model.activeParameters,
    contextLength: model.contextLength,
  };
}

export function CatalogCard({ model }: { model: CatalogModel }) {
  const selected = useCatalogStore((s) => s.selectedQuant[model.catalogId]) ?? defaultQuant(model);
  const selectQuant = useCatalogStore((s) => s.selectQuant);
  const quant = model.quants.find((q) => q.quant === selected) ?? model.quants[0];
  if (!quant) return null;

  return (
    <li
      data-testid="catalog-item"
      data-catalog-id={model.catalogId}
      className="flex flex-col gap-3 rounded-xl border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase">{model.family}</p>
          <h3 className="truncate text-sm font-semibold text-zinc-100">{model.name}</h3>
        </div>
        <FitBadge target={estimateTarget(model, quant)} />
      </div>
      <p className="text-xs leading-relaxed text-zinc-400">{model.description}</p>
      <dl className="grid grid-cols-3 gap-2 text-[11px]">
        <div>
          <dt className="text-zinc-500">Parameters</dt>
          <dd className="text-zinc-200">
            {formatParameters(model.parameters)}
            {model.activeParameters !== undefined && (
              <span className="text-zinc-400"> ({formatParameters(model.activeParameters)} active)</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-zinc-500">Context</dt>
          <dd className="text-zinc-200">{formatContext(model.contextLength)}</dd>
        </div>
        <div>
          <dt className="text-zinc-500">License</dt>
          <dd className="truncate text-zinc-200">{model.license}</dd>
        </div>
      </dl>
      <CapabilityChips capabilities={model.capabilities} />
      <div className="mt-auto flex items-center justify-between gap-3 border-t border-zinc-800/80 pt-3">
        <label className="flex items-center gap-2 text-xs text-zinc-400">
          <span className="sr-only">Quantization</span>
          <select
            data-testid="quant-picker"
            value={quant.quant}
            onChange={(e) => selectQuant(model.catalogId, e.target.value)}
            className="h-7 rounded-md border border-zinc-700 bg-zinc-900 px-2 text-xs text-zinc-100 focus:border-indigo-500 focus:outline-none"
          >
            {model.quants.map((q) => (
              <option key={q.quant} value={q.quant}>
                {q.quant} · ~{formatBytes(q.approxSizeBytes)}
              </option>
            ))}
          </select>
        </label>
        <div className="min-w-0 flex-1 text-right">
          <DownloadAction source={{ repo: model.repo, revision: 'main', file: quant.file }} />
        </div>
      </div>
    </li>
  );
}
