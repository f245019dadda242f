import path from 'node:path';
import { ChatService } from './services/chat/chatService';
import { ConversationStore } from './services/conversations/conversationStore';
import type { SpawnEngine } from './services/engine/engineProcess';
import { EngineSupervisor } from './services/engine/supervisor';
import { EventHub } from './services/events';
import { HardwareService } from './services/hardware/hardwareService';
import type { SpawnProbe } from './services/hardware/probeRunner';
import { loadCatalog } from './services/catalog/catalog';
import { LibraryService } from './services/library/libraryService';
import { HfClient } from './services/hf/hfClient';
import { HfSettingsStore } from './services/hf/hfSettings';
import { DownloadManager } from './services/downloads/downloadManager';
import { createRouter, type HandlerTable, type Router } from './ipc/router';

export interface AppServicesOptions {
  mode: 'electron' | 'serve';
  version: string;
  modelsDirs: string[];
  /** Root of the app's saved state (conversations/, settings files); null keeps everything in memory (tests). */
  dataDir: string | null;
  spawnEngine: SpawnEngine;
  /** Starts hardware self-test processes; without it GPU backends are reported as not probed. */
  spawnProbe?: SpawnProbe;
  threads?: number;
  contextSize?: number;
  log?: (message: string) => void;
}

export interface AppServices {
  router: Router;
  events: EventHub;
  engine: EngineSupervisor;
  chat: ChatService;
  /** A window or connection went away: abort its streams and stop sending it events. */
  senderGone(senderId: string): void;
  dispose(): Promise<void>;
}

/**
 * Builds every main-process service and the handler table over them. The Electron shell and serve mode both
 * call this; neither adds behaviour of its own beyond transport and security checks.
 */
export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const events = new EventHub();
  const dataPath = (...parts: string[]) => (options.dataDir ? path.join(options.dataDir, ...parts) : null);
  const library = new LibraryService({
    modelsDirs: options.modelsDirs,
    stateFile: dataPath('library.json'),
    onChanged: (reason) => events.broadcast('models:changed', { reason }),
    log,
  });
  await library.open();
  // Hugging Face and downloads (issue 4). The library announces `models:changed` from onFileReady.
  const hfSettings = new HfSettingsStore(dataPath('hf.json'));
  await hfSettings.load();
  const hf = new HfClient({ settings: hfSettings });
  const downloads = new DownloadManager({
    hf,
    getDownloadTarget: () => library.getDownloadTarget(),
    onFileReady: (file) => library.onFileReady(file),
    emit: (event) => events.broadcast('downloads:event', event),
    stateFile: dataPath('downloads.json'),
    log,
  });
  await downloads.init();
  const store = new ConversationStore(dataPath('conversations'), (error) =>
    log(`Could not save a conversation: ${String(error)}`),
  );
  const { skipped } = await store.open();
  if (skipped.length > 0)
    log(`Skipped unreadable conversation files (renamed *.unreadable): ${skipped.join(', ')}`);

  const engine = new EngineSupervisor({
    spawn: options.spawnEngine,
    // The engine host starts on the backend the hardware self-tests chose (or the person's override).
    spawnEnv: (): Record<string, string> => hardware.engineEnv(),
    onStatus: (status) => {
      hardware.engineStatus(status);
      events.broadcast('engine:status', status);
    },
    onLoadStep: (modelId, step) => events.broadcast('hardware:loadStep', { modelId, ...step }),
    threads: options.threads,
    contextSize: options.contextSize,
  });
  const hardware: HardwareService = new HardwareService({
    spawnProbe: options.spawnProbe ?? null,
    stateFile: dataPath('hardware.json'),
    engine,
    resolveModel: (modelId) => library.resolve(modelId),
    remoteHeaders: (url): Record<string, string> => {
      const token = hfSettings.token();
      // The hub token goes only to the configured hub, never to another host.
      return token && new URL(url).origin === new URL(hfSettings.endpoint()).origin
        ? { Authorization: `Bearer ${token}` }
        : {};
    },
    threads: options.threads,
    contextSize: options.contextSize,
    onChange: (profile) => events.broadcast('hardware:changed', profile),
    log,
  });
  const chat = new ChatService({
    store,
    engine,
    emit: (senderId, event) => events.emitTo(senderId, 'chat:stream', event),
  });
  void hardware
    .start()
    .catch((error: unknown) => log(`The hardware self-tests failed: ${String(error)}`))
    .then(() => engine.start())
    .catch((error: unknown) => log(`The engine did not start: ${String(error)}`));

  const handlers: HandlerTable = {
    'app:info': () => ({
      version: options.version,
      mode: options.mode,
      platform: process.platform,
      modelsDirs: library.dirs,
    }),
    'models:list': async () => ({ models: await library.list() }),
    'engine:status': () => engine.status,
    'engine:load': async ({ modelId }) => {
      // Through the hardware service: remembered configuration, calibrated threads, the loading ladder.
      const result = await hardware.load(modelId);
      return { status: engine.status, loadMs: result.loadMs };
    },
    'engine:unload': async () => {
      await engine.unload();
      return engine.status;
    },
    'conversations:list': () => store.list(),
    'conversations:create': () => store.create(),
    'conversations:get': ({ conversationId }) => store.get(conversationId),
    'conversations:delete': async ({ conversationId }) => {
      chat.abortConversation(conversationId);
      engine.forget(conversationId);
      return { deleted: await store.delete(conversationId) };
    },
    'chat:send': (args, { senderId }) => chat.send(args, senderId),
    'chat:abort': ({ requestId }) => chat.abort(requestId),
    // Hardware (issue 3)
    'hardware:fit': ({ target, contextSize }) => hardware.fit(target, contextSize),
    'hardware:profile': () => hardware.profile(),
    'hardware:reprobe': () => hardware.reprobe(),
    'hardware:setBackend': ({ backend }) => hardware.setBackend(backend),
    'hardware:calibrate': () => hardware.calibrate(),
    // Library and catalog (issue 4)
    'library:folders': () => library.folders(),
    'library:addFolder': ({ path: dir, readOnly }) => library.addFolder(dir, readOnly),
    'library:removeFolder': ({ folderId }) => library.removeFolder(folderId),
    'library:import': ({ path: source }) => library.import(source),
    'library:delete': async ({ modelId }) => {
      // Windows cannot delete a file llama.cpp has mapped, and a loaded model that vanished confuses everyone.
      if (engine.status.modelId === modelId) await engine.unload();
      return library.delete(modelId);
    },
    'catalog:list': () => loadCatalog(),
    // Hugging Face and downloads (issue 4)
    'hf:search': (args) => hf.search(args),
    'hf:files': (args) => hf.files(args),
    'hf:resolve': ({ input }) => hf.resolveInput(input),
    'hf:getSettings': () => hfSettings.get(),
    'hf:setSettings': (args) => hfSettings.set(args),
    'downloads:list': () => downloads.list(),
    'downloads:start': (args) => downloads.start(args),
    'downloads:pause': ({ downloadId }) => downloads.pause(downloadId),
    'downloads:resume': ({ downloadId }) => downloads.resume(downloadId),
    'downloads:cancel': ({ downloadId }) => downloads.cancel(downloadId),
    'downloads:dismiss': ({ downloadId }) => downloads.dismiss(downloadId),
  };
  const router = createRouter(handlers, (error) => log(`Unexpected error in a handler: ${String(error)}`));

  return {
    router,
    events,
    engine,
    chat,
    senderGone: (senderId) => chat.abortAllFor(senderId),
    dispose: async () => {
      await downloads.dispose();
      await hf.close();
      await engine.stop();
      await store.flush();
    },
  };
}
