import { useAppStore } from '../stores/appStore';
import { useChatStore } from '../stores/chatStore';
import { useConnectionStore } from '../stores/connectionStore';
import { useDownloadsStore } from '../stores/downloadsStore';
import { useEngineStore } from '../stores/engineStore';
import { useFitStore } from '../stores/fitStore';
import { useHardwareStore } from '../stores/hardwareStore';
import { useModelsStore } from '../stores/modelsStore';
import { api, getConnection } from './api';

let unbind: (() => void) | null = null;

/** Loads main's current state into the stores. */
export async function hydrate(): Promise<void> {
  await Promise.all([
    useAppStore.getState().hydrate(),
    useEngineStore.getState().refresh(),
    useModelsStore.getState().refresh(),
    useChatStore.getState().hydrate(),
    useModelsStore.getState().refreshFolders(),
    useDownloadsStore.getState().hydrate(),
    useHardwareStore.getState().refresh(),
  ]);
  // A window opened while a model is loaded shows that model as picked, not "Select a model…".
  const status = useEngineStore.getState().status;
  if (status) useModelsStore.getState().syncFromEngine(status);
}

/**
 * The one place pushed events reach the stores: subscribes once, outside React, then hydrates. Subscribing
 * first means nothing that happens during hydration is missed; the stores reconcile the overlap.
 * Returns an unbind function (tests bind and unbind around each case).
 */
export function bindEvents(): () => void {
  if (unbind) return unbind;

  const offs = [
    api.onChatStream((event) => useChatStore.getState().applyStreamEvent(event)),
    api.onEngineStatus((status) => {
      useEngineStore.getState().applyStatus(status);
      useModelsStore.getState().syncFromEngine(status);
    }),
    api.onDownloadsEvent((event) => useDownloadsStore.getState().apply(event)),
    api.onHardwareChanged((profile) => useHardwareStore.getState().applyProfile(profile)),
    api.onHardwareLoadStep((step) => useHardwareStore.getState().applyLoadStep(step)),
    api.onModelsChanged(() => {
      useFitStore.getState().forgetLocal();
      void useModelsStore.getState().refresh();
      void useModelsStore.getState().refreshFolders();
    }),
  ];

  const connection = getConnection();
  let last = connection.getState();
  useConnectionStore.getState().setState(last);
  offs.push(
    connection.subscribe((state) => {
      useConnectionStore.getState().setState(state);
      if (state !== 'open' && last === 'open') useChatStore.getState().markDisconnected();
      // Events were lost while the socket was down: main owns the truth, so ask again.
      if (state === 'open' && last === 'reconnecting') void hydrate();
      last = state;
    }),
  );

  void hydrate();

  const off = (): void => {
    for (const f of offs) f();
    if (unbind === off) unbind = null;
  };
  unbind = off;
  return off;
}
