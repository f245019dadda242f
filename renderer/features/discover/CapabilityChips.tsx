import type { CatalogModel } from '../../../electron/shared/contract';

const chips: Array<{ key: keyof CatalogModel['capabilities']; label: string }> = [
  { key: 'thinking', label: 'Thinking' },
  { key: 'tools', label: 'Tools' },
  { key: 'multilingual', label: 'Multilingual' },
];

export function CapabilityChips({ capabilities }: { capabilities: CatalogModel['capabilities'] }) {
  return (
    <span className="flex flex-wrap gap-1">
      {chips
        .filter((chip) => capabilities[chip.key])
        .map((chip) => (
          <span
            key={chip.key}
            data-testid={`capability-${chip.key}`}
            className="rounded-md bg-zinc-800 px-1.5 py-0.5 text-[11px] text-zinc-300 ring-1 ring-zinc-700/60"
          >
            {chip.label}
          </span>
        ))}
    </span>
  );
}
