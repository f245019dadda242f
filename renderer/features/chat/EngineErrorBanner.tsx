import { Icon } from '../../components/Icon';
import { useChatStore } from '../../stores/chatStore';
import { useEngineStore, visibleEngineError } from '../../stores/engineStore';
import { useModelsStore } from '../../stores/modelsStore';

/**
 * The latest failure of a stream, a send, a model load, or the engine itself. One banner: a crash mid-answer
 * reports the same failure through the stream and the engine status, and one dismissal clears both.
 */
export function EngineErrorBanner() {
  const chatError = useChatStore((s) => s.error);
  const modelsError = useModelsStore((s) => s.error);
  const status = useEngineStore((s) => s.status);
  const dismissedKey = useEngineStore((s) => s.dismissedErrorKey);
  const engineError = visibleEngineError(status, dismissedKey);

  const shown = chatError
    ? { title: 'The answer could not be completed', error: chatError.error }
    : modelsError
      ? { title: 'The model could not be loaded', error: modelsError }
      : engineError
        ? { title: 'The engine reported a problem', error: engineError }
        : null;
  if (!shown) return null;

  const dismiss = (): void => {
    useChatStore.getState().dismissError();
    useModelsStore.getState().dismissError();
    useEngineStore.getState().dismissError();
  };

  return (
    <div
      role="alert"
      data-testid="engine-error"
      data-code={shown.error.code}
      className="mx-5 mt-4 flex items-start gap-3 rounded-xl border border-red-500/30 bg-red-500/10 px-4 py-3 text-sm"
    >
      <Icon name="alert" className="mt-0.5 size-4 shrink-0 text-red-400" />
      <div className="min-w-0 flex-1">
        <p className="font-medium text-red-200">{shown.title}</p>
        <p className="mt-0.5 text-red-200/80">
          {shown.error.message}{' '}
          <code className="ml-1 rounded bg-red-500/15 px-1.5 py-0.5 font-mono text-[11px] text-red-300">
            {shown.error.code}
          </code>
        </p>
      </div>
      <button
        type="button"
        data-testid="engine-error-dismiss"
        aria-label="Dismiss"
        onClick={dismiss}
        className="-m-1 rounded-md p-1 text-red-300/70 hover:bg-red-500/15 hover:text-red-200"
      >
        <Icon name="close" />
      </button>
    </div>
  );
}
