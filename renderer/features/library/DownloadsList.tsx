import { DownloadProgress } from '../../components/DownloadProgress';
import { useDownloadsStore } from '../../stores/downloadsStore';

export function DownloadsList() {
  const order = useDownloadsStore((s) => s.order);
  const items = useDownloadsStore((s) => s.items);
  if (order.length === 0) return null;
  return (
    <section className="space-y-3">
      <h2 className="text-sm font-semibold text-zinc-200">Downloads</h2>
      <ul className="space-y-2" data-testid="downloads-list">
        {order.map((id) => {
          const item = items[id];
          if (!item) return null;
          return (
            <li key={id} className="rounded-xl border border-zinc-800 bg-zinc-900/60 px-4 py-3">
              <DownloadProgress item={item} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
