import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ChatMessage, Conversation, ConversationSummary } from '../../../shared/contract';
import { ServiceError } from '../errors';
import { readJson, writeJsonAtomic } from '../storage/jsonFile';

const appErrorSchema = z.object({ code: z.string(), message: z.string() });
const messageSchema = z.object({
  messageId: z.string(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  createdAt: z.number(),
  state: z.enum(['streaming', 'done', 'stopped', 'error']).optional(),
  error: appErrorSchema.optional(),
  stats: z
    .object({
      tokens: z.number(),
      tokensPerSecond: z.number(),
      timeToFirstTokenMs: z.number().nullable(),
      durationMs: z.number(),
    })
    .optional(),
  modelId: z.string().optional(),
});
const conversationSchema = z.object({
  conversationId: z.string().regex(/^[\w-]{1,100}$/),
  title: z.string(),
  updatedAt: z.number(),
  messageCount: z.number(),
  messages: z.array(messageSchema),
});

/** How long a streaming conversation may go unsaved: a crash loses at most this much of an answer. */
const SAVE_DEBOUNCE_MS = 500;

/**
 * Conversations, one JSON file each, written atomically (temp file + rename), so a crash or a full disk
 * never leaves a half-written conversation. With no directory it keeps them in memory only.
 */
export class ConversationStore {
  readonly #dir: string | null;
  readonly #conversations = new Map<string, Conversation>();
  readonly #saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #onSaveError: (error: unknown) => void;

  constructor(dir: string | null, onSaveError: (error: unknown) => void = () => undefined) {
    this.#dir = dir;
    this.#onSaveError = onSaveError;
  }

  /** Reads every saved conversation. An answer that was streaming when the app died becomes `stopped`. */
  async open(): Promise<{ skipped: string[] }> {
    const skipped: string[] = [];
    if (!this.#dir) return { skipped };
    await mkdir(this.#dir, { recursive: true });
    for (const name of await readdir(this.#dir)) {
      if (!name.endsWith('.json')) continue;
      // An unreadable file is kept (renamed) for a person to inspect, never deleted or overwritten.
      const read = await readJson(path.join(this.#dir, name), conversationSchema);
      if (read.status !== 'ok') {
        skipped.push(name);
        continue;
      }
      const conversation = read.value as Conversation;
      for (const message of conversation.messages) {
        if (message.state === 'streaming') message.state = 'stopped';
      }
      this.#conversations.set(conversation.conversationId, conversation);
    }
    return { skipped };
  }

  list(): ConversationSummary[] {
    return [...this.#conversations.values()]
      .map(({ conversationId, title, updatedAt, messageCount }) => ({
        conversationId,
        title,
        updatedAt,
        messageCount,
      }))
      .sort((a, b) => b.updatedAt - a.updatedAt);
  }

  create(): Conversation {
    const conversation: Conversation = {
      conversationId: randomUUID(),
      title: 'New chat',
      updatedAt: Date.now(),
      messageCount: 0,
      messages: [],
    };
    this.#conversations.set(conversation.conversationId, conversation);
    this.#scheduleSave(conversation.conversationId, 0);
    return structuredClone(conversation);
  }

  get(conversationId: string): Conversation {
    return structuredClone(this.#require(conversationId));
  }

  async delete(conversationId: string): Promise<boolean> {
    const existed = this.#conversations.delete(conversationId);
    const timer = this.#saveTimers.get(conversationId);
    if (timer) clearTimeout(timer);
    this.#saveTimers.delete(conversationId);
    if (this.#dir) await rm(this.#file(conversationId), { force: true });
    return existed;
  }

  append(conversationId: string, message: ChatMessage): void {
    const conversation = this.#require(conversationId);
    conversation.messages.push(message);
    conversation.messageCount = conversation.messages.length;
    conversation.updatedAt = Date.now();
    if (conversation.title === 'New chat' && message.role === 'user')
      conversation.title = titleFrom(message.text);
    this.#scheduleSave(conversationId, 0);
  }

  update(
    conversationId: string,
    messageId: string,
    patch: Partial<ChatMessage>,
    urgent = false,
  ): ChatMessage {
    const conversation = this.#require(conversationId);
    const message = conversation.messages.find((item) => item.messageId === messageId);
    if (!message) throw new ServiceError('INTERNAL', `Message ${messageId} is not in this conversation.`);
    Object.assign(message, patch);
    conversation.updatedAt = Date.now();
    this.#scheduleSave(conversationId, urgent ? 0 : SAVE_DEBOUNCE_MS);
    return message;
  }

  appendText(conversationId: string, messageId: string, text: string): void {
    const conversation = this.#require(conversationId);
    const message = conversation.messages.find((item) => item.messageId === messageId);
    if (!message) return;
    message.text += text;
    this.#scheduleSave(conversationId, SAVE_DEBOUNCE_MS);
  }

  /** Writes every pending change now (app quit). */
  async flush(): Promise<void> {
    const ids = [...this.#saveTimers.keys()];
    for (const id of ids) {
      clearTimeout(this.#saveTimers.get(id));
      this.#saveTimers.delete(id);
    }
    await Promise.all(ids.map((id) => this.#save(id)));
  }

  #require(conversationId: string): Conversation {
    const conversation = this.#conversations.get(conversationId);
    if (!conversation) {
      throw new ServiceError('CONVERSATION_NOT_FOUND', 'That conversation no longer exists.');
    }
    return conversation;
  }

  #scheduleSave(conversationId: string, delayMs: number): void {
    if (!this.#dir) return;
    const existing = this.#saveTimers.get(conversationId);
    if (existing && delayMs > 0) return;
    if (existing) clearTimeout(existing);
    this.#saveTimers.set(
      conversationId,
      setTimeout(() => {
        this.#saveTimers.delete(conversationId);
        this.#save(conversationId).catch(this.#onSaveError);
      }, delayMs),
    );
  }

  async #save(conversationId: string): Promise<void> {
    const conversation = this.#conversations.get(conversationId);
    if (!conversation || !this.#dir) return;
    await writeJsonAtomic(this.#file(conversationId), conversation);
  }

  #file(conversationId: string): string {
    if (!/^[\w-]{1,100}$/.test(conversationId))
      throw new ServiceError('INVALID_ARGUMENT', 'Bad conversation id.');
    return path.join(this.#dir ?? '', `${conversationId}.json`);
  }
}

function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
}
