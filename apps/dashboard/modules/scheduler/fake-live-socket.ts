import type { LiveSocket } from './live-socket';

/**
 * A socket.io client stand-in for unit specs of what is wired to `/live` (the pages themselves run
 * against the real scheduler in the e2e): handlers by event, every emit recorded (`emitted`, the
 * event and its string arguments), acks answered by `answer`, events pushed by `push`.
 */
export class FakeLiveSocket {
  handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  emitted: string[] = [];
  active = true;
  disconnected = false;

  constructor(
    public connected = false,
    /** The ack's payload for an emit that asks for one (`{ ok: true, data }`); undefined sends none. */
    private readonly answer: (event: string) => unknown = () => undefined,
  ) {}

  /** This stand-in as the typed socket the code under test takes. */
  get socket(): LiveSocket {
    return this as unknown as LiveSocket;
  }

  on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  off(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, (this.handlers.get(event) ?? []).filter((h) => h !== handler));
    return this;
  }

  emit(event: string, ...args: unknown[]) {
    this.emitted.push(`${event}${args.filter((a) => typeof a === 'string').map((a) => ` ${a}`).join('')}`);
    const ack = args.at(-1);
    const data = this.answer(event);
    if (typeof ack === 'function' && data !== undefined) (ack as (r: unknown) => void)({ ok: true, data });
    return this;
  }

  /** Delivers a server event (`connect` also marks the socket connected). */
  push(event: string, payload?: unknown) {
    if (event === 'connect') this.connected = true;
    for (const handler of this.handlers.get(event) ?? []) handler(payload);
  }

  connect() {}

  disconnect() {
    this.disconnected = true;
    this.connected = false;
  }

  /** Handlers still registered. */
  listeners(): number {
    return [...this.handlers.values()].reduce((n, list) => n + list.length, 0);
  }
}
