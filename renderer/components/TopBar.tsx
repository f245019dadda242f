import type { ReactNode } from 'react';

export function TopBar({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="flex h-14 shrink-0 items-center gap-3 border-b border-zinc-800 bg-zinc-950/80 px-5 backdrop-blur">
      <h1 className="mr-auto truncate text-sm font-medium text-zinc-300">{title}</h1>
      {children}
    </header>
  );
}
