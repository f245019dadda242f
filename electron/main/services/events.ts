import type { EventChannel, Events } from '../../shared/contract';

export type EventSink = <K extends EventChannel>(channel: K, payload: Events[K]) => void;

/** Routes pushed events to the windows or connections that are listening. */
export class EventHub {
  readonly #sinks = new Map<string, EventSink>();

  attach(senderId: string, sink: EventSink): () => void {
    this.#sinks.set(senderId, sink);
    return () => {
      if (this.#sinks.get(senderId) === sink) this.#sinks.delete(senderId);
    };
  }

  emitTo<K extends EventChannel>(senderId: string, channel: K, payload: Events[K]): void {
    this.#sinks.get(senderId)?.(channel, payload);
  }

  broadcast<K extends EventChannel>(channel: K, payload: Events[K]): void {
    for (const sink of this.#sinks.values()) sink(channel, payload);
  }
}
