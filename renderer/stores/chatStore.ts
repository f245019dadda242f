import { create } from 'zustand';
import type {
  AppError,
  ChatMessage,
  ChatStreamEvent,
  Conversation,
  ConversationSummary,
} from '../../electron/shared/contract';
import { api } from '../api/api';
import { newId } from '../lib/ids';

/** A stream this window knows of, from `send` (or its first event) until its terminal event. */
export interface StreamRef {
  requestId: string;
  conversationId: string;
  /** The assistant message it writes; null until the send result or the first event names it. */
  messageId: string | null;
}

export interface ChatError {
  error: AppError;
  conversationId: string | null;
  requestId: string | null;
}

export interface ChatData {
  conversations: Record<string, ConversationSummary>;
  activeConversationId: string | null;
  messages: Record<string, ChatMessage>;
  /** Message ids in display order, for each conversation whose messages are loaded. */
  messageIds: Record<string, string[]>;
  /** By requestId. */
  streams: Record<string, StreamRef>;
  /** Upper bound on generated tokens per answer. */
  maxTokens: number;
  draft: string;
  /** True from pressing Send until `chatSend` answers. */
  sending: boolean;
  /** The latest failure of a send or a stream; cleared by the next send. */
  error: ChatError | null;
}

export interface ChatActions {
  hydrate(): Promise<void>;
  refreshConversations(): Promise<void>;
  openConversation(conversationId: string): Promise<void>;
  newConversation(): Promise<void>;
  deleteConversation(conversationId: string): Promise<void>;
  send(text: string): Promise<void>;
  stop(): Promise<void>;
  applyStreamEvent(event: ChatStreamEvent): void;
  /** The connection dropped: streams this window followed will get no more events. */
  markDisconnected(): void;
  setDraft(text: string): void;
  setMaxTokens(maxTokens: number): void;
  dismissError(): void;
}

export type ChatStore = ChatData & ChatActions;

export const DEFAULT_MAX_TOKENS = 512;

export const initialChatData: ChatData = {
  conversations: {},
  activeConversationId: null,
  messages: {},
  messageIds: {},
  streams: {},
  maxTokens: DEFAULT_MAX_TOKENS,
  draft: '',
  sending: false,
  error: null,
};

const NO_IDS: readonly string[] = [];

/** The requestId streaming into the active conversation, if any. */
export function selectActiveStream(s: ChatData): string | null {
  const conversationId = s.activeConversationId;
  if (!conversationId) return null;
  for (const stream of Object.values(s.streams)) {
    if (stream.conversationId === conversationId) return stream.requestId;
  }
  return null;
}

export function selectMessageIds(s: ChatData, conversationId: string | null): readonly string[] {
  return (conversationId && s.messageIds[conversationId]) || NO_IDS;
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const next = { ...record };
  delete next[key];
  return next;
}

/** Puts a conversation snapshot from main into the store, keeping the messages still streaming here. */
function mergeConversation(s: ChatData, conversation: Conversation): Partial<ChatData> {
  const conversationId = conversation.conversationId;
  const live = new Set<string>();
  for (const stream of Object.values(s.streams)) {
    if (stream.conversationId === conversationId && stream.messageId) live.add(stream.messageId);
  }
  const messages = { ...s.messages };
  const ids: string[] = [];
  for (const message of conversation.messages) {
    const local = messages[message.messageId];
    messages[message.messageId] = live.has(message.messageId) && local ? local : message;
    ids.push(message.messageId);
  }
  const kept = new Set(ids);
  for (const id of s.messageIds[conversationId] ?? NO_IDS) {
    if (kept.has(id)) continue;
    if (live.has(id)) ids.push(id);
    else delete messages[id];
  }
  const { messages: _messages, ...summary } = conversation;
  return {
    messages,
    messageIds: { ...s.messageIds, [conversationId]: ids },
    conversations: { ...s.conversations, [conversationId]: summary },
  };
}

export const useChatStore = create<ChatStore>()((set, get) => ({
  ...initialChatData,

  async hydrate() {
    await get().refreshConversations();
    const active = get().activeConversationId;
    if (active) await get().openConversation(active);
  },

  async refreshConversations() {
    const result = await api.conversationsList();
    if (!result.ok) return;
    const conversations: Record<string, ConversationSummary> = {};
    for (const summary of result.value) conversations[summary.conversationId] = summary;
    set((s) => {
      // A conversation created here a moment ago may be newer than this list.
      const active = s.activeConversationId;
      if (active && !conversations[active] && s.conversations[active]) {
        conversations[active] = s.conversations[active];
      }
      return { conversations };
    });
  },

  async openConversation(conversationId) {
    set({ activeConversationId: conversationId });
    const result = await api.conversationsGet({ conversationId });
    if (!result.ok) {
      if (result.error.code === 'CONVERSATION_NOT_FOUND') {
        set((s) => ({
          conversations: without(s.conversations, conversationId),
          activeConversationId: s.activeConversationId === conversationId ? null : s.activeConversationId,
        }));
      }
      return;
    }
    set((s) => mergeConversation(s, result.value));
  },

  async newConversation() {
    const result = await api.conversationsCreate();
    if (!result.ok) {
      set({ error: { error: result.error, conversationId: null, requestId: null } });
      return;
    }
    set((s) => ({
      ...mergeConversation(s, result.value),
      activeConversationId: result.value.conversationId,
    }));
  },

  async deleteConversation(conversationId) {
    const result = await api.conversationsDelete({ conversationId });
    if (!result.ok) return;
    set((s) => {
      const messages = { ...s.messages };
      for (const id of s.messageIds[conversationId] ?? NO_IDS) delete messages[id];
      return {
        conversations: without(s.conversations, conversationId),
        messageIds: without(s.messageIds, conversationId),
        messages,
        activeConversationId: s.activeConversationId === conversationId ? null : s.activeConversationId,
      };
    });
  },

  async send(text) {
    const trimmed = text.trim();
    if (!trimmed || get().sending || selectActiveStream(get())) return;
    set({ sending: true, draft: '', error: null });

    const fail = (error: AppError, conversationId: string | null, requestId: string | null): void => {
      set((s) => ({
        error: { error, conversationId, requestId },
        // Give the text back unless something new was typed meanwhile.
        draft: s.draft === '' ? text : s.draft,
      }));
    };

    try {
      let conversationId = get().activeConversationId;
      if (!conversationId) {
        const created = await api.conversationsCreate();
        if (!created.ok) return fail(created.error, null, null);
        conversationId = created.value.conversationId;
        const conversation = created.value;
        set((s) => ({
          ...mergeConversation(s, conversation),
          activeConversationId: conversation.conversationId,
        }));
      }

      const requestId = newId();
      // Registered before the call: this stream's events may arrive before its result does.
      set((s) => ({
        streams: { ...s.streams, [requestId]: { requestId, conversationId, messageId: null } },
      }));

      const result = await api.chatSend({
        requestId,
        conversationId,
        text: trimmed,
        maxTokens: get().maxTokens,
      });

      if (!result.ok) {
        // Main ran nothing: drop the stream and anything its events created, so no ghost stays behind.
        set((s) => {
          const messageId = s.streams[requestId]?.messageId;
          if (!messageId) return { streams: without(s.streams, requestId) };
          return {
            streams: without(s.streams, requestId),
            messages: without(s.messages, messageId),
            messageIds: {
              ...s.messageIds,
              [conversationId]: (s.messageIds[conversationId] ?? NO_IDS).filter((id) => id !== messageId),
            },
          };
        });
        return fail(result.error, conversationId, requestId);
      }

      const { userMessage, assistantMessage } = result.value;
      set((s) => {
        // Events may have created the assistant message already; what they wrote is newer than the placeholder.
        const local = s.messages[assistantMessage.messageId];
        const assistant: ChatMessage = local
          ? {
              ...assistantMessage,
              text: local.text,
              state: local.state,
              stats: local.stats,
              error: local.error,
            }
          : assistantMessage;
        const ids = (s.messageIds[conversationId] ?? NO_IDS).filter(
          (id) => id !== userMessage.messageId && id !== assistantMessage.messageId,
        );
        const at = local ? (s.messageIds[conversationId] ?? NO_IDS).indexOf(assistantMessage.messageId) : -1;
        const insertAt = at === -1 ? ids.length : Math.min(at, ids.length);
        ids.splice(insertAt, 0, userMessage.messageId, assistantMessage.messageId);
        const stream = s.streams[requestId];
        return {
          messages: { ...s.messages, [userMessage.messageId]: userMessage, [assistant.messageId]: assistant },
          messageIds: { ...s.messageIds, [conversationId]: ids },
          streams: stream
            ? { ...s.streams, [requestId]: { ...stream, messageId: assistantMessage.messageId } }
            : s.streams,
        };
      });
      void get().refreshConversations();
    } finally {
      set({ sending: false });
    }
  },

  async stop() {
    const requestId = selectActiveStream(get());
    if (!requestId) return;
    const result = await api.chatAbort({ requestId });
    if (!result.ok || result.value.aborted) return;
    // Main no longer knows this stream, and its terminal event came before this answer or never will.
    set((s) => {
      const stream = s.streams[requestId];
      if (!stream) return {};
      const message = stream.messageId ? s.messages[stream.messageId] : undefined;
      return {
        streams: without(s.streams, requestId),
        messages:
          message && message.state === 'streaming'
            ? { ...s.messages, [message.messageId]: { ...message, state: 'stopped' } }
            : s.messages,
      };
    });
  },

  applyStreamEvent(event) {
    const s = get();
    const { requestId, conversationId, messageId } = event;
    const stream = s.streams[requestId];
    const loaded = s.messageIds[conversationId] !== undefined;
    const terminal = event.type !== 'delta';
    if (!stream && !loaded) {
      // Another window's stream in a conversation not on screen: only the list's summary changes.
      if (terminal) void get().refreshConversations();
      return;
    }

    const existing = s.messages[messageId];
    if (existing && existing.state !== undefined && existing.state !== 'streaming') return;
    const base: ChatMessage = existing ?? {
      messageId,
      role: 'assistant',
      text: '',
      createdAt: Date.now(),
      state: 'streaming',
    };

    let next: ChatMessage;
    switch (event.type) {
      case 'delta':
        next = { ...base, text: base.text + event.text };
        break;
      case 'done':
        next = { ...base, state: 'done', stats: event.stats };
        break;
      case 'aborted':
        next = { ...base, state: 'stopped', stats: event.stats };
        break;
      case 'error':
        next = { ...base, state: 'error', error: event.error };
        break;
      default:
        return event satisfies never;
    }

    set((state) => {
      let streams = state.streams;
      if (terminal) {
        if (stream) streams = without(streams, requestId);
      } else if (!stream) {
        streams = { ...streams, [requestId]: { requestId, conversationId, messageId } };
      } else if (stream.messageId !== messageId) {
        streams = { ...streams, [requestId]: { ...stream, messageId } };
      }
      return {
        messages: { ...state.messages, [messageId]: next },
        messageIds: existing
          ? state.messageIds
          : {
              ...state.messageIds,
              [conversationId]: [...(state.messageIds[conversationId] ?? NO_IDS), messageId],
            },
        streams,
        error: event.type === 'error' ? { error: event.error, conversationId, requestId } : state.error,
      };
    });

    if (terminal) {
      void get().refreshConversations();
      // A stream this window did not start also wrote a user message we have not seen.
      if (!stream && conversationId === get().activeConversationId)
        void get().openConversation(conversationId);
    }
  },

  markDisconnected() {
    set((s) => {
      const ids = Object.values(s.streams)
        .map((stream) => stream.messageId)
        .filter((id): id is string => id !== null);
      if (ids.length === 0) return { streams: {} };
      const messages = { ...s.messages };
      const error: AppError = {
        code: 'DISCONNECTED',
        message: 'Lost the connection to the Edgewise service while the answer was streaming.',
      };
      for (const id of ids) {
        const message = messages[id];
        if (message?.state === 'streaming') messages[id] = { ...message, state: 'error', error };
      }
      return { streams: {}, messages, error: { error, conversationId: null, requestId: null } };
    });
  },

  setDraft: (draft) => set({ draft }),

  setMaxTokens(maxTokens) {
    if (Number.isInteger(maxTokens) && maxTokens > 0) set({ maxTokens });
  },

  dismissError: () => set({ error: null }),
}));
