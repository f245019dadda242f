import { useAppStore } from '../stores/appStore';
import { useNavStore } from '../stores/navStore';
import { VIEWS, viewById } from '../views';
import { Icon } from './Icon';

export function Sidebar() {
  const view = useNavStore((s) => s.view);
  const go = useNavStore((s) => s.go);
  const info = useAppStore((s) => s.info);
  const Section = viewById(view).SidebarSection;

  return (
    <aside className="flex w-64 shrink-0 flex-col border-r border-zinc-800 bg-zinc-900/70">
      <div className="flex h-14 items-center gap-2.5 px-4">
        <div className="flex size-7 items-center justify-center rounded-lg bg-gradient-to-br from-indigo-400 to-violet-600 text-white shadow-sm shadow-indigo-900/50">
          <Icon name="sparkle" className="size-4" />
        </div>
        <span className="text-[15px] font-semibold tracking-tight text-zinc-50">Edgewise</span>
      </div>

      <nav className="px-2 pb-2" aria-label="Main">
        <ul className="space-y-0.5">
          {VIEWS.map((entry) => {
            const active = entry.id === view;
            return (
              <li key={entry.id}>
                <button
                  type="button"
                  data-testid={`nav-${entry.id}`}
                  aria-current={active ? 'page' : undefined}
                  onClick={() => go(entry.id)}
                  className={`flex w-full items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm transition-colors ${
                    active
                      ? 'bg-zinc-800 text-zinc-50'
                      : 'text-zinc-400 hover:bg-zinc-800/60 hover:text-zinc-200'
                  }`}
                >
                  <Icon name={entry.icon} />
                  {entry.label}
                </button>
              </li>
            );
          })}
        </ul>
      </nav>

      <div className="min-h-0 flex-1 border-t border-zinc-800/80">{Section && <Section />}</div>

      <div className="border-t border-zinc-800/80 px-4 py-2.5 text-xs text-zinc-500">
        {info ? `v${info.version} · ${info.mode === 'serve' ? 'browser' : 'desktop'}` : '\u00a0'}
      </div>
    </aside>
  );
}
