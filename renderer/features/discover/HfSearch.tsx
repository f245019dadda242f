import { useState } from 'react';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { formatBytes } from '../../lib/format';
import { useCatalogStore } from '../../stores/catalogStore';
import { DownloadAction } from './DownloadAction';

/** Search Hugging Face for GGUF repositories, or paste an `hf:` URI or a download URL to get one file. */
export function HfSearch() {
  const [input, setInput] = useState('');
  const search = useCatalogStore((s) => s.search);
  const submit = useCatalogStore((s) => s.submitSearch);
  const openRepo = useCatalogStore((s) => s.openRepo);
  const clear = useCatalogStore((s) => s.clearSearch);

  return (
    <section className="space-y-3">
      <form
        role="search"
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(input);
        }}
      >
        <label className="relative flex-1">
          <span className="sr-only">Search Hugging Face, or paste an hf: link</span>
          <Icon
            name="search"
            className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-500"
          />
          <input
            data-testid="hf-search-input"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            onPaste={(e) => {
              const pasted = e.clipboardData.getData('text').trim();
              if (/^(hf:|https?:\/\/)/i.test(pasted)) {
                e.preventDefault();
                setInput(pasted);
                void submit(pasted);
              }
            }}
            placeholder="Search Hugging Face for GGUF models, or paste hf:owner/repo/file.gguf"
            className="h-10 w-full rounded-lg border border-zinc-800 bg-zinc-900 pr-3 pl-9 text-sm text-zinc-100 placeholder:text-zinc-500 focus:border-indigo-500 focus:outline-none"
          />
        </label>
        <button
          type="submit"
          data-testid="hf-search-button"
          className="rounded-lg bg-zinc-800 px-4 text-sm text-zinc-100 ring-1 ring-zinc-700 hover:bg-zinc-700"
        >
          Search
        </button>
      </form>

      {search.kind === 'busy' && (
        <p className="flex items-center gap-2 text-xs text-zinc-400">
          <Spinner /> Asking Hugging Face…
        </p>
      )}
      {search.kind === 'error' && (
        <p
          role="alert"
          data-testid="hf-search-error"
          data-code={search.error.code}
          className="text-xs text-red-300"
        >
          {search.error.message}
        </p>
      )}
      {search.kind === 'resolved' && (
        <div
          data-testid="hf-resolved"
          className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-zinc-800 bg-zinc-900/60 p-4"
        >
          <div className="min-w-0">
            <p className="truncate text-sm font-medium text-zinc-100">{search.source.file}</p>
            <p className="truncate text-xs text-zinc-500">
              {search.source.repo} · {search.source.revision}
            </p>
          </div>
          <div className="min-w-64">
            <DownloadAction source={search.source} />
          </div>
        </div>
      )}
      {search.kind === 'repos' && (
        <ul className="divide-y divide-zinc-800 rounded-xl border border-zinc-800" data-testid="hf-repos">
          {search.repos.length === 0 && (
            <li className="p-4 text-xs text-zinc-400">No GGUF repositories match “{search.query}”.</li>
          )}
          {search.repos.map((repo) => (
            <li key={repo.repo}>
              <button
                type="button"
                data-testid="hf-repo-item"
                onClick={() => void openRepo(repo.repo)}
                className="flex w-full items-center justify-between gap-3 px-4 py-2.5 text-left text-sm hover:bg-zinc-900"
              >
                <span className="truncate text-zinc-100">{repo.repo}</span>
                <span className="shrink-0 text-xs text-zinc-500">
                  {repo.gated && <span className="mr-2 text-amber-300">gated</span>}
                  {repo.downloads !== null && `${repo.downloads.toLocaleString()} downloads`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {search.kind === 'files' && (
        <div className="rounded-xl border border-zinc-800" data-testid="hf-files">
          <div className="flex items-center justify-between border-b border-zinc-800 px-4 py-2.5">
            <p className="truncate text-sm font-medium text-zinc-100">{search.repo}</p>
            <button
              type="button"
              onClick={() => (search.fromQuery ? void submit(search.fromQuery) : clear())}
              className="text-xs text-zinc-400 hover:text-zinc-200"
            >
              Back
            </button>
          </div>
          <ul className="divide-y divide-zinc-800">
            {search.files.length === 0 && (
              <li className="p-4 text-xs text-zinc-400">This repository has no GGUF files.</li>
            )}
            {search.files.map((file) => (
              <li
                key={file.path}
                data-testid="hf-file-item"
                className="flex items-center justify-between gap-3 px-4 py-2.5"
              >
                <div className="min-w-0">
                  <p className="truncate text-sm text-zinc-100">{file.path}</p>
                  <p className="text-xs text-zinc-500">
                    {file.quant ?? 'unknown quantization'}
                    {file.sizeBytes !== null && ` · ${formatBytes(file.sizeBytes)}`}
                  </p>
                </div>
                <div className="min-w-56 text-right">
                  <DownloadAction
                    source={{ repo: search.repo, revision: search.revision, file: file.path }}
                  />
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
