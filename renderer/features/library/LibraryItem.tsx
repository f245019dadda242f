import type { ModelFile, ModelsFolder } from '../../../electron/shared/contract';
import { FitBadge } from '../../components/FitBadge';
import { Icon } from '../../components/Icon';
import { formatBytes, formatContext, formatParameters } from '../../lib/format';

export function LibraryItem({
  model,
  folder,
  onDelete,
}: {
  model: ModelFile;
  folder: ModelsFolder | undefined;
  onDelete: (model: ModelFile) => void;
}) {
  const gguf = model.gguf;
  const facts = gguf
    ? [
        gguf.architecture,
        gguf.parameters !== null ? `${formatParameters(gguf.parameters)} params` : null,
        gguf.quantization,
        gguf.contextLength !== null ? `${formatContext(gguf.contextLength)} context` : null,
      ].filter((fact): fact is string => fact !== null)
    : [];

  return (
    <li
      data-testid="library-item"
      data-model-id={model.modelId}
      className="flex items-start gap-4 rounded-xl border border-zinc-800 bg-zinc-900/60 px-4 py-3"
    >
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <p className="truncate text-sm font-medium text-zinc-100">{model.fileName}</p>
          {gguf && <FitBadge target={{ kind: 'local', modelId: model.modelId }} />}
          {gguf?.hasChatTemplate && <Chip>Chat template</Chip>}
          {gguf?.thinking && <Chip>Thinking</Chip>}
          {model.readOnly && <Chip>Read-only</Chip>}
        </div>
        {gguf?.name && gguf.name !== model.fileName && (
          <p className="truncate text-xs text-zinc-400">{gguf.name}</p>
        )}
        <p className="mt-0.5 text-xs text-zinc-500" data-testid="library-item-facts">
          {[...facts, formatBytes(model.sizeBytes)].join(' · ')}
        </p>
        {model.ggufError && (
          <p
            className="mt-1 text-xs text-amber-300"
            data-testid="library-item-error"
            data-code={model.ggufError.code}
          >
            {model.ggufError.message}
          </p>
        )}
        <p
          className="mt-0.5 truncate text-[11px] text-zinc-600"
          title={folder ? `In ${folder.path}` : undefined}
        >
          {model.path}
        </p>
      </div>
      <button
        type="button"
        data-testid="library-item-delete"
        disabled={model.readOnly}
        title={
          model.readOnly ? 'This folder is read-only: Edgewise does not delete from it.' : 'Delete this file'
        }
        onClick={() => onDelete(model)}
        className="rounded-md p-1.5 text-zinc-500 hover:bg-zinc-800 hover:text-red-300 disabled:cursor-not-allowed disabled:opacity-40 disabled:hover:bg-transparent disabled:hover:text-zinc-500"
        aria-label={`Delete ${model.fileName}`}
      >
        <Icon name="trash" />
      </button>
    </li>
  );
}

function Chip({ children }: { children: string }) {
  return (
    <span className="rounded-md bg-zinc-800 px-1.5 py-0.5 text-[11px] text-zinc-300 ring-1 ring-zinc-700/60">
      {children}
    </span>
  );
}
