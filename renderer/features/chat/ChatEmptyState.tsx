import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { useAppStore } from '../../stores/appStore';
import { useEngineStore } from '../../stores/engineStore';
import { useModelsStore } from '../../stores/modelsStore';
import { useNavStore } from '../../stores/navStore';
import { useReadiness } from './useReadiness';

/** What an empty conversation shows: the next thing the user has to do, or what the engine is doing. */
export function ChatEmptyState() {
  const r = useReadiness();
  const modelsDirs = useAppStore((s) => s.info?.modelsDirs);
  const rescan = useModelsStore((s) => s.refresh);
  const modelName = useModelsStore((s) => {
    const id = s.selectedModelId;
    return (id && s.models[id]?.fileName) || null;
  });
  const restarts = useEngineStore((s) => s.status?.restarts ?? 0);
  const go = useNavStore((s) => s.go);

  switch (r) {
    case 'connecting':
      return <EmptyState testId="chat-empty" icon={<Spinner className="size-5" />} title="Connecting…" />;
    case 'no-models':
      return (
        <EmptyState
          testId="chat-empty"
          icon={<Icon name="folder" className="size-5" />}
          title="No models found"
        >
          <button
            type="button"
            data-testid="go-discover"
            onClick={() => go('discover')}
            className="mb-4 inline-flex items-center gap-1.5 rounded-lg bg-indigo-500 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-400"
          >
            <Icon name="download" />
            Get a model in Discover
          </button>
          <p>
            Or put .gguf files in {modelsDirs && modelsDirs.length === 1 ? 'this folder' : 'these folders'}:
          </p>
          <ul className="mt-3 space-y-1">
            {(modelsDirs ?? []).map((dir) => (
              <li key={dir}>
                <code className="rounded-md bg-zinc-900 px-2 py-1 font-mono text-xs break-all text-zinc-300 ring-1 ring-zinc-800">
                  {dir}
                </code>
              </li>
            ))}
          </ul>
          <button
            type="button"
            onClick={() => void rescan()}
            className="mt-4 inline-flex items-center gap-1.5 rounded-lg border border-zinc-700 px-3 py-1.5 text-sm text-zinc-200 hover:bg-zinc-800"
          >
            <Icon name="refresh" />
            Scan again
          </button>
        </EmptyState>
      );
    case 'no-model':
      return (
        <EmptyState
          testId="chat-empty"
          icon={<Icon name="chip" className="size-5" />}
          title="Pick a model to start"
        >
          Choose a model from the menu at the top. It runs entirely on this machine.
        </EmptyState>
      );
    case 'loading':
      return (
        <EmptyState
          testId="chat-empty"
          icon={<Spinner className="size-5 text-indigo-300" />}
          title="Loading model…"
        >
          {modelName && <span className="font-mono text-xs">{modelName}</span>}
        </EmptyState>
      );
    case 'starting':
      return (
        <EmptyState testId="chat-empty" icon={<Spinner className="size-5" />} title="Starting the engine…" />
      );
    case 'restarting':
      return (
        <EmptyState
          testId="chat-empty"
          icon={<Spinner className="size-5 text-amber-300" />}
          title="Restarting the engine…"
        >
          The engine stopped unexpectedly{restarts > 1 ? ` (${restarts} times so far)` : ''}. Your
          conversations are safe; pick the model again once it is back.
        </EmptyState>
      );
    case 'stopped':
      return (
        <EmptyState
          testId="chat-empty"
          icon={<Icon name="chip" className="size-5" />}
          title="The engine is stopped"
        />
      );
    case 'ready':
      return (
        <EmptyState
          testId="chat-empty"
          icon={<Icon name="sparkle" className="size-5" />}
          title="What can I help with?"
        >
          {modelName ? (
            <>
              Chatting with <span className="font-mono text-xs text-zinc-300">{modelName}</span>, offline.
            </>
          ) : (
            'Everything runs on this machine.'
          )}
        </EmptyState>
      );
    default:
      return r satisfies never;
  }
}
