import type { ReactNode } from 'react';

export function EmptyState({
  icon,
  title,
  children,
  testId,
}: {
  icon: ReactNode;
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="flex h-full items-center justify-center p-8" data-testid={testId}>
      <div className="flex max-w-md flex-col items-center text-center">
        <div className="mb-4 flex size-12 items-center justify-center rounded-2xl bg-zinc-800/80 text-zinc-300 ring-1 ring-zinc-700/60">
          {icon}
        </div>
        <h2 className="text-base font-semibold text-zinc-100">{title}</h2>
        {children && <div className="mt-2 text-sm leading-relaxed text-zinc-400">{children}</div>}
      </div>
    </div>
  );
}
