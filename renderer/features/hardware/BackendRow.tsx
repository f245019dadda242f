import type { BackendReport, BackendStatus } from '../../../electron/shared/contract';
import { formatBytes } from '../../lib/format';
import { backendLabel } from './labels';

const statusStyles: Record<BackendStatus, { text: string; className: string }> = {
  ok: { text: 'Works', className: 'bg-emerald-500/15 text-emerald-300' },
  unavailable: { text: 'Unavailable', className: 'bg-zinc-700/60 text-zinc-300' },
  crashed: { text: 'Crashed', className: 'bg-red-500/15 text-red-300' },
  timeout: { text: 'Timed out', className: 'bg-amber-500/15 text-amber-300' },
  pending: { text: 'Testing…', className: 'bg-amber-500/15 text-amber-300' },
};

export function BackendRow({ report, active }: { report: BackendReport; active: boolean }) {
  const style = statusStyles[report.status];
  const vram =
    report.vramTotalBytes !== null && report.vramTotalBytes > 0
      ? `${formatBytes(report.vramTotalBytes)} VRAM${report.unifiedMemoryBytes ? ' (unified)' : ''}`
      : null;
  return (
    <li
      data-testid="backend-row"
      data-backend={report.backend}
      data-status={report.status}
      className="flex flex-col gap-1 rounded-lg border border-zinc-800 bg-zinc-900/60 px-4 py-3"
    >
      <div className="flex items-center gap-3">
        <span className="font-medium text-zinc-100">{backendLabel(report.backend)}</span>
        <span className={`rounded-full px-2 py-0.5 text-xs ${style.className}`}>{style.text}</span>
        {report.softwareDevice && (
          <span className="rounded-full bg-zinc-700/60 px-2 py-0.5 text-xs text-zinc-300">
            software device
          </span>
        )}
        {active && (
          <span
            className="rounded-full bg-sky-500/15 px-2 py-0.5 text-xs text-sky-300"
            data-testid="backend-active"
          >
            In use
          </span>
        )}
        {report.probeMs !== null && (
          <span className="ml-auto text-xs text-zinc-500">{report.probeMs} ms</span>
        )}
      </div>
      {(report.deviceNames.length > 0 || vram) && (
        <div className="text-sm text-zinc-300">
          {[report.deviceNames.join(', '), vram].filter(Boolean).join(' · ')}
        </div>
      )}
      {report.reason && <div className="text-sm text-zinc-400">{report.reason}</div>}
    </li>
  );
}
