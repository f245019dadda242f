import { useEffect } from 'react';
import type { BackendPreference } from '../../../electron/shared/contract';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { formatBytes } from '../../lib/format';
import { useEngineStore } from '../../stores/engineStore';
import { useHardwareStore } from '../../stores/hardwareStore';
import { BackendRow } from './BackendRow';
import { backendLabel, formatBandwidth } from './labels';
import { LoadSteps } from './LoadSteps';
import { ThreadsCard } from './ThreadsCard';
import { TierCard } from './TierCard';

const PREFERENCES: BackendPreference[] = ['auto', 'metal', 'cuda', 'vulkan', 'cpu'];

export function HardwareView() {
  const profile = useHardwareStore((s) => s.profile);
  const busy = useHardwareStore((s) => s.busy);
  const error = useHardwareStore((s) => s.error);
  const loadSteps = useHardwareStore((s) => s.loadSteps);
  const modelLoaded = useEngineStore((s) => s.status?.state === 'ready');

  useEffect(() => {
    void useHardwareStore.getState().refresh();
  }, []);

  if (!profile) {
    return (
      <div data-testid="hardware-view" className="flex h-full items-center justify-center text-zinc-400">
        <Spinner className="size-5" />
      </div>
    );
  }

  const offered = new Set(profile.backends.map((b) => b.backend));
  const store = useHardwareStore.getState();
  return (
    <div data-testid="hardware-view" className="h-full overflow-y-auto">
      <div className="mx-auto flex max-w-3xl flex-col gap-4 px-6 py-6">
        {profile.whyCpu && (
          <section
            data-testid="why-cpu"
            className="rounded-lg border border-sky-900/60 bg-sky-950/30 px-4 py-3"
          >
            <h2 className="text-base font-semibold text-sky-200">Why am I on the CPU?</h2>
            <p className="mt-1 text-sm text-zinc-200">{profile.whyCpu}</p>
          </section>
        )}
        {profile.fallbackReason && (
          <div
            data-testid="backend-fallback"
            className="flex gap-2 rounded-lg border border-amber-900/60 bg-amber-950/30 px-4 py-3 text-sm text-amber-200"
          >
            <Icon name="alert" className="mt-0.5 size-4 shrink-0" />
            {profile.fallbackReason}
          </div>
        )}
        {error && (
          <div
            role="alert"
            className="flex gap-2 rounded-lg border border-red-900/60 bg-red-950/30 px-4 py-3 text-sm text-red-200"
          >
            <span className="flex-1">{error.message}</span>
            <button type="button" onClick={store.dismissError} aria-label="Dismiss">
              <Icon name="close" />
            </button>
          </div>
        )}
        <LoadSteps steps={loadSteps} />
        {profile.tier && <TierCard tier={profile.tier} />}

        <section className="flex flex-col gap-2">
          <div className="flex items-center gap-3">
            <h2 className="text-base font-semibold text-zinc-100">Backends</h2>
            {profile.probing && <Spinner className="size-3 text-amber-400" />}
            <label className="ml-auto flex items-center gap-2 text-sm text-zinc-400">
              Use
              <select
                data-testid="backend-select"
                value={profile.preference}
                disabled={busy !== null || profile.preferenceSource === 'env'}
                title={
                  profile.preferenceSource === 'env'
                    ? 'Set by the EDGEWISE_GPU environment variable'
                    : undefined
                }
                onChange={(e) => void store.setBackend(e.target.value as BackendPreference)}
                className="rounded-md border border-zinc-700 bg-zinc-900 px-2 py-1 text-zinc-100"
              >
                {PREFERENCES.filter((p) => p === 'auto' || offered.has(p)).map((p) => (
                  <option key={p} value={p}>
                    {backendLabel(p)}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              data-testid="reprobe-button"
              disabled={busy !== null || profile.probing}
              onClick={() => void store.reprobe()}
              className="flex items-center gap-1 rounded-md border border-zinc-700 px-2 py-1 text-sm text-zinc-200 hover:bg-zinc-800 disabled:opacity-50"
            >
              <Icon name="refresh" className="size-3.5" /> Test again
            </button>
          </div>
          <ul className="flex flex-col gap-2">
            {profile.backends.map((report) => (
              <BackendRow
                key={report.backend}
                report={report}
                active={report.backend === profile.activeBackend}
              />
            ))}
          </ul>
        </section>

        <ThreadsCard
          threads={profile.threads}
          canCalibrate={modelLoaded}
          calibrating={busy === 'calibrate'}
          onCalibrate={() => void store.calibrate()}
        />

        <section
          data-testid="hardware-profile"
          className="rounded-lg border border-zinc-800 bg-zinc-900/60 px-4 py-3"
        >
          <h2 className="text-base font-semibold text-zinc-100">This machine</h2>
          <dl className="mt-2 grid grid-cols-2 gap-x-6 gap-y-2 text-sm">
            <Fact label="CPU" value={profile.cpuModel} />
            <Fact
              label="Cores"
              value={`${profile.physicalCores} physical, ${profile.logicalCores} logical`}
            />
            <Fact
              label="RAM"
              value={`${formatBytes(profile.ramTotalBytes)} (${formatBytes(profile.ramFreeBytes)} free)`}
            />
            <Fact label="OS" value={profile.os} />
            <Fact
              label="Memory bandwidth"
              value={
                profile.bandwidth
                  ? formatBandwidth(profile.bandwidth.bytesPerSecond)
                  : (profile.bandwidthError ?? 'measuring…')
              }
              title={profile.bandwidth?.method}
              testId="hardware-bandwidth"
            />
          </dl>
        </section>
      </div>
    </div>
  );
}

function Fact(props: { label: string; value: string; title?: string; testId?: string }) {
  return (
    <div>
      <dt className="text-zinc-500">{props.label}</dt>
      <dd className="text-zinc-200" title={props.title} data-testid={props.testId}>
        {props.value}
      </dd>
    </div>
  );
}
