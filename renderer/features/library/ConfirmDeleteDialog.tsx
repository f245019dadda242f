import { useEffect, useRef } from 'react';
import type { ModelFile } from '../../../electron/shared/contract';
import { formatBytes } from '../../lib/format';

/** Asks before a model file is deleted from disk; Escape or Cancel keeps it. */
export function ConfirmDeleteDialog({
  model,
  busy,
  onConfirm,
  onCancel,
}: {
  model: ModelFile;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);

  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/60 p-4">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-delete-title"
        data-testid="confirm-delete"
        className="w-full max-w-md rounded-xl border border-zinc-700 bg-zinc-900 p-5 shadow-xl"
      >
        <h2 id="confirm-delete-title" className="text-sm font-semibold text-zinc-100">
          Delete {model.fileName}?
        </h2>
        <p className="mt-2 text-sm text-zinc-400">
          The file ({formatBytes(model.sizeBytes)}) is removed from{' '}
          <span className="break-all text-zinc-300">{model.path}</span>. This cannot be undone; you can
          download it again later.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <button
            ref={cancelRef}
            type="button"
            data-testid="confirm-delete-cancel"
            onClick={onCancel}
            className="rounded-lg px-3 py-1.5 text-sm text-zinc-300 ring-1 ring-zinc-700 hover:bg-zinc-800"
          >
            Cancel
          </button>
          <button
            type="button"
            data-testid="confirm-delete-button"
            disabled={busy}
            onClick={onConfirm}
            className="rounded-lg bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-500 disabled:opacity-60"
          >
            Delete
          </button>
        </div>
      </div>
    </div>
  );
}
