import { useEffect } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Spinner } from '../../components/Spinner';
import { useCatalogStore } from '../../stores/catalogStore';
import { useDownloadsStore } from '../../stores/downloadsStore';
import { CatalogCard } from './CatalogCard';
import { HfSearch } from './HfSearch';
import { HubSettings } from './HubSettings';
import { RecommendedPick } from './RecommendedPick';

export function DiscoverView() {
  const models = useCatalogStore((s) => s.models);
  const state = useCatalogStore((s) => s.state);
  const error = useCatalogStore((s) => s.error);
  const version = useCatalogStore((s) => s.version);
  const load = useCatalogStore((s) => s.load);
  const downloadError = useDownloadsStore((s) => s.error);
  const dismissDownloadError = useDownloadsStore((s) => s.dismissError);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="h-full overflow-y-auto" data-testid="discover-view">
      <div className="mx-auto max-w-6xl space-y-6 p-6">
        <HfSearch />
        {downloadError && (
          <ErrorAlert testId="download-start-error" error={downloadError} onDismiss={dismissDownloadError}>
            The download could not start: {downloadError.message}
          </ErrorAlert>
        )}
        {state === 'loaded' && <RecommendedPick models={models} />}
        <section>
          <div className="mb-3 flex items-baseline justify-between">
            <h2 className="text-sm font-semibold text-zinc-200">Curated models</h2>
            {version && (
              <span className="text-[11px] text-zinc-500">catalog {version} · sizes approximate</span>
            )}
          </div>
          {state === 'loading' && (
            <p className="flex items-center gap-2 text-xs text-zinc-400">
              <Spinner /> Loading the catalog…
            </p>
          )}
          {state === 'error' && error && (
            <p role="alert" className="text-xs text-red-300">
              {error.message}
            </p>
          )}
          <ul className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
            {models.map((model) => (
              <CatalogCard key={model.catalogId} model={model} />
            ))}
          </ul>
        </section>
        <HubSettings />
      </div>
    </div>
  );
}
