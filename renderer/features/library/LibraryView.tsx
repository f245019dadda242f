import { useCallback, useEffect, useState } from 'react';
import type { ModelFile } from '../../../electron/shared/contract';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Icon } from '../../components/Icon';
import { useModelsStore } from '../../stores/modelsStore';
import { ConfirmDeleteDialog } from './ConfirmDeleteDialog';
import { DownloadsList } from './DownloadsList';
import { FoldersPanel } from './FoldersPanel';
import { LibraryItem } from './LibraryItem';

export function LibraryView() {
  const modelIds = useModelsStore((s) => s.modelIds);
  const models = useModelsStore((s) => s.models);
  const listState = useModelsStore((s) => s.listState);
  const folders = useModelsStore((s) => s.folders);
  const libraryError = useModelsStore((s) => s.libraryError);
  const busy = useModelsStore((s) => s.libraryBusy);
  const refreshFolders = useModelsStore((s) => s.refreshFolders);
  const deleteModel = useModelsStore((s) => s.deleteModel);
  const dismissLibraryError = useModelsStore((s) => s.dismissLibraryError);
  const [confirming, setConfirming] = useState<ModelFile | null>(null);
  const cancel = useCallback(() => setConfirming(null), []);

  useEffect(() => {
    void refreshFolders();
  }, [refreshFolders]);

  return (
    <div className="h-full overflow-y-auto" data-testid="library-view">
      <div className="mx-auto max-w-5xl space-y-8 p-6">
        {libraryError && (
          <ErrorAlert testId="library-error" error={libraryError} onDismiss={dismissLibraryError} />
        )}
        <DownloadsList />
        <section className="space-y-3">
          <h2 className="text-sm font-semibold text-zinc-200">Installed models</h2>
          {listState === 'loaded' && modelIds.length === 0 ? (
            <div className="h-48 rounded-xl border border-dashed border-zinc-800">
              <EmptyState icon={<Icon name="library" className="size-5" />} title="No models yet">
                Download one from Discover, or import a .gguf file or another app’s models folder below.
              </EmptyState>
            </div>
          ) : (
            <ul className="space-y-2">
              {modelIds.map((id) => {
                const model = models[id];
                if (!model) return null;
                return (
                  <LibraryItem
                    key={id}
                    model={model}
                    folder={folders.find((f) => f.folderId === model.folderId)}
                    onDelete={setConfirming}
                  />
                );
              })}
            </ul>
          )}
        </section>
        <FoldersPanel />
      </div>
      {confirming && (
        <ConfirmDeleteDialog
          model={confirming}
          busy={busy}
          onCancel={cancel}
          onConfirm={() => {
            void deleteModel(confirming.modelId).then(() => setConfirming(null));
          }}
        />
      )}
    </div>
  );
}
