import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from './conversationStore';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edgewise-conv-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ConversationStore', () => {
  it('persists conversations and reopens an interrupted answer as stopped, text kept', async () => {
    const store = new ConversationStore(dir);
    await store.open();
    const { conversationId } = store.create();
    store.append(conversationId, { messageId: 'u', role: 'user', text: 'Question', createdAt: 1 });
    store.append(conversationId, {
      messageId: 'a',
      role: 'assistant',
      text: '',
      createdAt: 2,
      state: 'streaming',
    });
    store.appendText(conversationId, 'a', 'Half an ans');
    await store.flush();

    const reopened = new ConversationStore(dir);
    await reopened.open();
    const conversation = reopened.get(conversationId);
    expect(conversation.title).toBe('Question');
    expect(conversation.messages[1]).toMatchObject({ text: 'Half an ans', state: 'stopped' });
    expect(reopened.list()).toHaveLength(1);
  });

  it('moves an unreadable file aside instead of failing or deleting it', async () => {
    await writeFile(path.join(dir, 'broken.json'), '{"conversationId": ');
    const store = new ConversationStore(dir);
    const { skipped } = await store.open();
    expect(skipped).toEqual(['broken.json']);
    expect(await readdir(dir)).toContain('broken.json.unreadable');
    expect(await readFile(path.join(dir, 'broken.json.unreadable'), 'utf8')).toBe('{"conversationId": ');
  });

  it('deletes a conversation and its file', async () => {
    const store = new ConversationStore(dir);
    await store.open();
    const { conversationId } = store.create();
    await store.flush();
    expect(await readdir(dir)).toEqual([`${conversationId}.json`]);
    expect(await store.delete(conversationId)).toBe(true);
    expect(await readdir(dir)).toEqual([]);
    expect(() => store.get(conversationId)).toThrow(
      expect.objectContaining({ code: 'CONVERSATION_NOT_FOUND' }),
    );
  });

  it('leaves no temporary file behind when a save fails, and keeps the conversation', async () => {
    const store = new ConversationStore(dir);
    await store.open();
    const { conversationId } = store.create();
    // A directory where the file should go makes the final rename fail.
    await mkdir(path.join(dir, `${conversationId}.json`));
    await expect(store.flush()).rejects.toThrow();
    expect(await readdir(dir)).toEqual([`${conversationId}.json`]);
    expect(store.get(conversationId).conversationId).toBe(conversationId);
  });

  it('recreates a data folder that disappeared', async () => {
    const store = new ConversationStore(path.join(dir, 'gone'));
    await store.open();
    store.create();
    await rm(path.join(dir, 'gone'), { recursive: true });
    await store.flush();
    expect(await readdir(path.join(dir, 'gone'))).toHaveLength(1);
  });
});
