import { describe, expect, it, vi } from 'vitest';
import { ServiceError } from '../services/errors';
import { createRouter, type HandlerTable } from './router';

function handlers(overrides: Partial<HandlerTable> = {}): HandlerTable {
  const fail = () => {
    throw new Error('not in this test');
  };
  return {
    'app:info': fail,
    'models:list': fail,
    'engine:status': fail,
    'engine:load': fail,
    'engine:unload': fail,
    'conversations:list': () => [],
    'conversations:create': fail,
    'conversations:get': fail,
    'conversations:delete': fail,
    'chat:send': fail,
    'chat:abort': ({ requestId }) => ({ aborted: requestId === 'known' }),
    'hardware:fit': fail,
    'hardware:profile': fail,
    'hardware:reprobe': fail,
    'hardware:setBackend': fail,
    'hardware:calibrate': fail,
    'library:folders': fail,
    'library:addFolder': fail,
    'library:removeFolder': fail,
    'library:import': fail,
    'library:delete': fail,
    'catalog:list': fail,
    'hf:search': fail,
    'hf:files': fail,
    'hf:resolve': fail,
    'hf:getSettings': fail,
    'hf:setSettings': fail,
    'downloads:list': fail,
    'downloads:start': fail,
    'downloads:pause': fail,
    'downloads:resume': fail,
    'downloads:cancel': fail,
    'downloads:dismiss': fail,
    ...overrides,
  };
}

const context = { senderId: 'w1' };

describe('router', () => {
  it('runs a handler with validated arguments', async () => {
    const router = createRouter(handlers());
    expect(await router.dispatch('chat:abort', { requestId: 'known' }, context)).toEqual({
      ok: true,
      value: { aborted: true },
    });
    expect(await router.dispatch('conversations:list', undefined, context)).toEqual({ ok: true, value: [] });
  });

  it('rejects unknown channels, including prototype names', async () => {
    const router = createRouter(handlers());
    for (const channel of ['chat:nope', '__proto__', 'constructor', 'toString']) {
      expect(await router.dispatch(channel, {}, context)).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL' },
      });
    }
  });

  it.each([
    ['chat:send', { requestId: 'r', conversationId: 'c', text: '   ' }],
    ['chat:send', { requestId: '../etc', conversationId: 'c', text: 'hi' }],
    ['chat:send', { requestId: 'r', conversationId: 'c', text: 'hi', maxTokens: -1 }],
    ['chat:send', { requestId: 'r', conversationId: 'c', text: 'hi', extra: true }],
    ['chat:abort', null],
    ['chat:abort', 'r1'],
    ['engine:load', { modelId: 42 }],
    ['conversations:list', { surprise: 1 }],
  ])('rejects invalid arguments for %s: %j', async (channel, args) => {
    const send = vi.fn();
    const router = createRouter(handlers({ 'chat:send': send }));
    const result = await router.dispatch(channel, args, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(send).not.toHaveBeenCalled();
  });

  it('returns service errors as they are and hides unexpected ones behind INTERNAL', async () => {
    const unexpected = vi.fn();
    const router = createRouter(
      handlers({
        'engine:status': () => {
          throw new ServiceError('ENGINE_UNAVAILABLE', 'restarting');
        },
        'engine:unload': () => {
          throw new TypeError('bug');
        },
      }),
      unexpected,
    );
    expect(await router.dispatch('engine:status', undefined, context)).toEqual({
      ok: false,
      error: { code: 'ENGINE_UNAVAILABLE', message: 'restarting' },
    });
    expect(await router.dispatch('engine:unload', undefined, context)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    expect(unexpected).toHaveBeenCalledTimes(1);
  });
});
