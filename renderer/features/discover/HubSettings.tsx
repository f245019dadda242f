import { useEffect, useState } from 'react';
import { useHubStore } from '../../stores/hubStore';

const SOURCE_LABEL = { env: 'from HF_ENDPOINT', settings: 'set here', default: 'default' } as const;

/** Where downloads come from: a mirror for offline networks, and a token for gated repositories. */
export function HubSettings() {
  const settings = useHubStore((s) => s.settings);
  const saving = useHubStore((s) => s.saving);
  const error = useHubStore((s) => s.error);
  const notice = useHubStore((s) => s.notice);
  const load = useHubStore((s) => s.load);
  const save = useHubStore((s) => s.save);
  const [endpoint, setEndpoint] = useState('');
  const [token, setToken] = useState('');

  useEffect(() => {
    void load();
  }, [load]);

  const submit = async () => {
    const saved = await save({
      ...(endpoint.trim() ? { endpoint: endpoint.trim() } : {}),
      ...(token.trim() ? { token: token.trim() } : {}),
    });
    if (saved) {
      setEndpoint('');
      setToken('');
    }
  };

  return (
    <details
      data-testid="hub-settings"
      className="rounded-xl border border-zinc-800 bg-zinc-900/60 px-4 py-3"
    >
      <summary className="cursor-pointer text-sm text-zinc-300">
        Hugging Face connection
        {settings && (
          <span className="ml-2 text-xs text-zinc-500" data-testid="hub-summary">
            {settings.endpoint} ({SOURCE_LABEL[settings.endpointSource]}) · token{' '}
            {settings.hasToken ? 'set' : 'not set'}
          </span>
        )}
      </summary>
      <form
        className="mt-3 grid gap-3 text-sm md:grid-cols-[1fr_1fr_auto]"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label className="flex flex-col gap-1 text-xs text-zinc-400">
          Endpoint (a mirror of huggingface.co)
          <input
            data-testid="hub-endpoint-input"
            value={endpoint}
            onChange={(event) => setEndpoint(event.target.value)}
            placeholder={settings?.endpoint ?? 'https://huggingface.co'}
            className="h-9 rounded-lg border border-zinc-800 bg-zinc-950 px-3 text-sm text-zinc-100 focus:border-indigo-500 focus:outline-none"
          />
        </label>
        <label className="flex flex-col gap-1 text-xs text-zinc-400">
          Access token (for gated repositories)
          <input
            data-testid="hub-token-input"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            placeholder={settings?.hasToken ? '•••••••• (set)' : 'hf_…'}
            className="h-9 rounded-lg border border-zinc-800 bg-zinc-950 px-3 text-sm text-zinc-100 focus:border-indigo-500 focus:outline-none"
          />
        </label>
        <div className="flex items-end gap-2">
          <button
            type="submit"
            data-testid="hub-save"
            disabled={saving || (!endpoint.trim() && !token.trim())}
            className="h-9 rounded-lg bg-indigo-500 px-3 text-sm font-medium text-white hover:bg-indigo-400 disabled:opacity-50"
          >
            Save
          </button>
          {settings?.endpointSource === 'settings' && (
            <button
              type="button"
              onClick={() => void save({ endpoint: null })}
              className="h-9 rounded-lg border border-zinc-700 px-3 text-xs text-zinc-300 hover:border-zinc-500"
            >
              Reset endpoint
            </button>
          )}
          {settings?.hasToken && (
            <button
              type="button"
              data-testid="hub-remove-token"
              onClick={() => void save({ token: null })}
              className="h-9 rounded-lg border border-zinc-700 px-3 text-xs text-zinc-300 hover:border-zinc-500"
            >
              Remove token
            </button>
          )}
        </div>
      </form>
      {error && (
        <p role="alert" data-testid="hub-error" className="mt-2 text-xs text-red-300">
          {error.message}
        </p>
      )}
      {notice && !error && <p className="mt-2 text-xs text-emerald-300">{notice}</p>}
      <p className="mt-2 text-[11px] text-zinc-500">
        The token is kept by Edgewise&apos;s main process and sent only to this endpoint, never to a download
        CDN.
      </p>
    </details>
  );
}
