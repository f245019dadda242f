import { describe, expect, it } from 'vitest';
import { argSchemas } from '../main/ipc/schemas';
import { CALL_CHANNELS, EVENT_CHANNELS, callMethodName, eventMethodName } from './channels';

describe('channel lists', () => {
  it('list each channel once', () => {
    expect(new Set(CALL_CHANNELS).size).toBe(CALL_CHANNELS.length);
    expect(new Set(EVENT_CHANNELS).size).toBe(EVENT_CHANNELS.length);
  });

  it('name the same calls main validates and routes', () => {
    expect([...CALL_CHANNELS].sort()).toEqual(Object.keys(argSchemas).sort());
  });

  it('are all domain:verb', () => {
    for (const channel of [...CALL_CHANNELS, ...EVENT_CHANNELS]) expect(channel).toMatch(/^[a-z]+:[a-z]+$/i);
  });
});

describe('method names', () => {
  it('turn a call channel into domainVerb', () => {
    expect(callMethodName('chat:send')).toBe('chatSend');
    expect(callMethodName('conversations:list')).toBe('conversationsList');
    expect(callMethodName('app:info')).toBe('appInfo');
  });

  it('turn an event channel into onDomainVerb', () => {
    expect(eventMethodName('chat:stream')).toBe('onChatStream');
    expect(eventMethodName('engine:status')).toBe('onEngineStatus');
  });

  it('give every method a distinct name', () => {
    const names = [...CALL_CHANNELS.map(callMethodName), ...EVENT_CHANNELS.map(eventMethodName)];
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuse a channel that is not domain:verb', () => {
    expect(() => callMethodName('nocolon' as never)).toThrow(/domain:verb/);
    expect(() => eventMethodName(':stream' as never)).toThrow(/domain:verb/);
  });
});
