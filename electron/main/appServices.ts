import path from 'node:path';
import { ChatService } from './services/chat/chatService';
import { ConversationStore } from './services/conversations/conversationStore';
import type { SpawnEngine } from './services/engine/engineProcess';
import { EngineSupervisor } from './services/engine/supervisor';
import { EventHub } from './services/events';
import { ModelsService } from './services/models/modelsService';
import { createRouter, type HandlerTable, type Router } from './ipc/router';

export interface AppServicesOptions {
  mode: 'electron' | 'serve';
  version: string;
  modelsDirs: string[];
  /** Root of the app's saved state (conversations/, settings files); null keeps everything in memory (tests). */
  dataDir: string | null;
  spawnEngine: SpawnEngine;
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
  const models = new ModelsService(options.modelsDirs);
  const dataPath = (...parts: string[]) => (options.dataDir ? path.join(options.dataDir, ...parts) : null);
  const store = new ConversationStore(dataPath('conversations'), (error) =>
    log(`Could not save a conversation: ${String(error)}`),
  );
  const { skipped } = await store.open();
  if (skipped.length > 0)
    log(`Skipped unreadable conversation files (renamed *.unreadable): ${skipped.join(', ')}`);

  const engine = new EngineSupervisor({
    spawn: options.spawnEngine,
    onStatus: (status) => events.broadcast('engine:status', status),
    threads: options.threads,
    contextSize: options.contextSize,
  });
  const chat = new ChatService({
    store,
    engine,
    emit: (senderId, event) => events.emitTo(senderId, 'chat:stream', event),
  });
  void engine.start().catch((error: unknown) => log(`The engine did not start: ${String(error)}`));

  const handlers: HandlerTable = {
    'app:info': () => ({
      version: options.version,
      mode: options.mode,
      platform: process.platform,
      modelsDirs: models.dirs,
    }),
    'models:list': async () => ({ models: await models.list() }),
    'engine:status': () => engine.status,
    'engine:load': async ({ modelId }) => {
      const model = await models.resolve(modelId);
      const result = await engine.load(modelId, { modelPath: model.path });
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
  };
  const router = createRouter(handlers, (error) => log(`Unexpected error in a handler: ${String(error)}`));

  return {
    router,
    events,
    engine,
    chat,
    senderGone: (senderId) => chat.abortAllFor(senderId),
    dispose: async () => {
      await engine.stop();
      await store.flush();
    },
  };
}
