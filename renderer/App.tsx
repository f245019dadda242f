import { ConnectionBanner } from './components/ConnectionBanner';
import { Sidebar } from './components/Sidebar';
import { TopBar } from './components/TopBar';
import { EngineErrorBanner } from './features/chat/EngineErrorBanner';
import { EngineStatusBadge } from './features/chat/EngineStatusBadge';
import { ModelPicker } from './features/chat/ModelPicker';
import { useNavStore } from './stores/navStore';
import { viewById } from './views';

export function App() {
  const view = viewById(useNavStore((s) => s.view));
  const View = view.View;
  return (
    <div className="flex h-full bg-zinc-950 text-zinc-100">
      <Sidebar />
      <main className="flex min-w-0 flex-1 flex-col">
        <ConnectionBanner />
        <TopBar title={view.label}>
          <ModelPicker />
          <EngineStatusBadge />
        </TopBar>
        <EngineErrorBanner />
        <div className="min-h-0 flex-1">
          <View />
        </div>
      </main>
    </div>
  );
}
