import { formatBytes } from '../../lib/format';
import { useModelsStore } from '../../stores/modelsStore';

export function ModelPicker() {
  const modelIds = useModelsStore((s) => s.modelIds);
  const models = useModelsStore((s) => s.models);
  const listState = useModelsStore((s) => s.listState);
  const selected = useModelsStore((s) => s.selectedModelId);
  const select = useModelsStore((s) => s.select);
  const empty = listState === 'loaded' && modelIds.length === 0;
  // The same file in two folders (a download and an imported copy) needs its folder to tell them apart.
  const nameCounts = new Map<string, number>();
  for (const id of modelIds) {
    const name = models[id]?.fileName;
    if (name) nameCounts.set(name, (nameCounts.get(name) ?? 0) + 1);
  }

  return (
    <label className="relative flex items-center">
      <span className="sr-only">Model</span>
      <select
        data-testid="model-picker"
        value={selected ?? ''}
        disabled={listState !== 'loaded' || empty}
        onChange={(e) => {
          if (e.target.value) void select(e.target.value);
        }}
        className="h-8 max-w-72 appearance-none truncate rounded-lg border border-zinc-800 bg-zinc-900 pr-8 pl-3 text-sm text-zinc-100 transition-colors hover:border-zinc-700 focus:border-indigo-500 focus:outline-none disabled:text-zinc-500"
      >
        <option value="" disabled>
          {listState !== 'loaded' ? 'Scanning models…' : empty ? 'No models available' : 'Select a model…'}
        </option>
        {modelIds.map((id) => {
          const model = models[id];
          if (!model) return null;
          return (
            <option key={id} value={id} title={model.path}>
              {model.fileName}
              {(nameCounts.get(model.fileName) ?? 0) > 1 ? ` (${folderHint(model.path)})` : ''} ·{' '}
              {formatBytes(model.sizeBytes)}
            </option>
          );
        })}
      </select>
      <svg
        viewBox="0 0 20 20"
        fill="currentColor"
        aria-hidden="true"
        className="pointer-events-none absolute right-2.5 size-4 text-zinc-500"
      >
        <path d="M5.5 7.5 10 12l4.5-4.5" stroke="currentColor" strokeWidth="1.6" fill="none" />
      </svg>
    </label>
  );
}

/** The folder a file sits in, shortened to its last two parts: enough to tell two copies apart. */
export function folderHint(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.slice(-3, -1).join('/') || path;
}
