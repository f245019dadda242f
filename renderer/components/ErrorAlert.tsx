import type { ReactNode } from 'react';
import type { AppError } from '../../electron/shared/contract';
import { Icon } from './Icon';

/** A dismissible error line: what failed, in words, with the code kept on the element for tests and support. */
export function ErrorAlert({
  testId,
  error,
  onDismiss,
  children,
}: {
  testId: string;
  error: AppError;
  onDismiss: () => void;
  children?: ReactNode;
}) {
  return (
    <div
      role="alert"
      data-testid={testId}
      data-code={error.code}
      className="flex items-start gap-3 rounded-xl border border-red-500/30 bg-red-500/10 px-4 py-3 text-sm text-red-200"
    >
      <Icon name="alert" className="mt-0.5 size-4 shrink-0 text-red-400" />
      <p className="flex-1">{children ?? error.message}</p>
      <button
        type="button"
        aria-label="Dismiss"
        onClick={onDismiss}
        className="text-red-300/70 hover:text-red-200"
      >
        <Icon name="close" />
      </button>
    </div>
  );
}
