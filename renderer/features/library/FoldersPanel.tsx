import { useState } from 'react';
import type { ModelsFolder } from '../../../electron/shared/contract';
import { Icon } from '../../components/Icon';
import { useModelsStore } from '../../stores/modelsStore';

const kindLabels: Record<ModelsFolder['kind'], string> = {
  edgewise: 'Edgewise',
  folder: 'Folder',
  lmstudio: 'LM Studio',
  ollama: 'Ollama',
};

/** The models folders, and the two ways in: add a folder, or import a file or another app's folder. */
export function FoldersPanel() {
  const folders = useModelsStore((s) => s.folders);
  const busy = useModelsStore((s) => s.libraryBusy);
  const addFolder = useModelsStore((s) => s.addFolder);
  const removeFolder = useModelsStore((s) => s.removeFolder);
  const importPath = useModelsStore((s) => s.importPath);
  const [folderPath, setFolderPath] = useState('');
  const [readOnly, setReadOnly] = useState(false);
  const [importSource, setImportSource] = useState('');

  const input =
    'h-8 min-w-0 flex-1 rounded-lg border border-zinc-800 bg-zinc-900 px-3 text-sm text-zinc-100 placeholder:text-zinc-500 focus:border-indigo-500 focus:outline-none';
  const button =
    'h-8 rounded-lg bg-zinc-800 px-3 text-sm text-zinc-100 ring-1 ring-zinc-700 hover:bg-zinc-700 disabled:opacity-50';

  return (
    <section className="space-y-3">
      <h2 className="text-sm font-semibold text-zinc-200">Folders</h2>
      <ul className="divide-y divide-zinc-800 rounded-xl border border-zinc-800">
        {folders.map((folder) => (
          <li
            key={folder.folderId}
            data-testid="folder-item"
            data-folder-id={folder.folderId}
            data-read-only={folder.readOnly}
            className="flex items-center gap-3 px-4 py-2.5"
          >
            <Icon name="folder" className="size-4 shrink-0 text-zinc-500" />
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm text-zinc-100" title={folder.path}>
                {folder.path}
              </p>
              <p className="text-[11px] text-zinc-500">
                {[
                  kindLabels[folder.kind],
                  folder.readOnly ? 'read-only' : null,
                  folder.isDownloadTarget ? 'downloads go here' : null,
                  folder.available ? null : 'unavailable',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
            </div>
            {!folder.available && <span className="text-[11px] text-amber-300">not found</span>}
            {!folder.isDownloadTarget && (
              <button
                type="button"
                data-testid="folder-remove"
                disabled={busy}
                onClick={() => void removeFolder(folder.folderId)}
                className="text-xs text-zinc-400 hover:text-zinc-200"
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void addFolder(folderPath.trim(), readOnly).then((ok) => ok && setFolderPath(''));
        }}
      >
        <input
          data-testid="folder-path-input"
          value={folderPath}
          onChange={(e) => setFolderPath(e.target.value)}
          placeholder="Add a folder: /path/to/models, ~/.lmstudio/models, ~/.ollama/models"
          className={input}
        />
        <label className="flex items-center gap-1.5 text-xs text-zinc-400">
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />
          Read-only
        </label>
        <button
          type="submit"
          data-testid="folder-add"
          disabled={busy || folderPath.trim() === ''}
          className={button}
        >
          Add folder
        </button>
      </form>
      <form
        className="flex items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void importPath(importSource.trim()).then((ok) => ok && setImportSource(''));
        }}
      >
        <input
          data-testid="import-path-input"
          value={importSource}
          onChange={(e) => setImportSource(e.target.value)}
          placeholder="Import a .gguf file (copied into the download folder) or a folder"
          className={input}
        />
        <button
          type="submit"
          data-testid="import-button"
          disabled={busy || importSource.trim() === ''}
          className={button}
        >
          Import
        </button>
      </form>
    </section>
  );
}
