import { act, render, type RenderResult } from '@testing-library/react';
import { bindEvents } from '../api/bindEvents';
import { App } from '../App';
import { useAppStore } from '../stores/appStore';
import { useCatalogStore } from '../stores/catalogStore';
import { useChatStore } from '../stores/chatStore';
import { useConnectionStore } from '../stores/connectionStore';
import { useDownloadsStore } from '../stores/downloadsStore';
import { useEngineStore } from '../stores/engineStore';
import { resetFitRequests, useFitStore } from '../stores/fitStore';
import { useHardwareStore } from '../stores/hardwareStore';
import { useHubStore } from '../stores/hubStore';
import { useModelsStore } from '../stores/modelsStore';
import { useNavStore } from '../stores/navStore';
import { createFakeApi, type FakeApi, type FakeApiOptions } from './fakeApi';

let unbind: (() => void) | null = null;

export function resetStores(): void {
  useAppStore.setState(useAppStore.getInitialState(), true);
  useChatStore.setState(useChatStore.getInitialState(), true);
  useConnectionStore.setState(useConnectionStore.getInitialState(), true);
  useEngineStore.setState(useEngineStore.getInitialState(), true);
  useModelsStore.setState(useModelsStore.getInitialState(), true);
  useNavStore.setState(useNavStore.getInitialState(), true);
  useCatalogStore.setState(useCatalogStore.getInitialState(), true);
  useDownloadsStore.setState(useDownloadsStore.getInitialState(), true);
  useFitStore.setState(useFitStore.getInitialState(), true);
  useHardwareStore.setState(useHardwareStore.getInitialState(), true);
  useHubStore.setState(useHubStore.getInitialState(), true);
  resetFitRequests();
}

/** Lets pending promise callbacks (call results, store updates) run. */
export async function flush(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

/** Fresh stores, a fake `window.api`, events bound and hydrated. */
export async function installFakeApi(options?: FakeApiOptions): Promise<FakeApi> {
  teardown();
  resetStores();
  const fake = createFakeApi(options);
  window.api = fake.api;
  unbind = bindEvents();
  await flush();
  return fake;
}

export async function renderApp(options?: FakeApiOptions): Promise<{ fake: FakeApi; view: RenderResult }> {
  const fake = await installFakeApi(options);
  const view = render(<App />);
  await flush();
  return { fake, view };
}

export function teardown(): void {
  unbind?.();
  unbind = null;
  delete window.api;
}
