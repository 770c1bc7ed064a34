import { describe, expect, it } from 'vitest';
import { followLive, type ConnectionState, type LiveSocket } from './live-socket';

/** A socket.io client stand-in: handlers by event, the emits it was asked for, and its connected flag. */
class FakeSocket {
  handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  emitted: string[] = [];
  connected = false;
  active = true;
  disconnected = false;
  on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  off(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, (this.handlers.get(event) ?? []).filter((h) => h !== handler));
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    this.emitted.push(`${event}${args.filter((a) => typeof a === 'string').map((a) => ` ${a as string}`).join('')}`);
    return this;
  }
  push(event: string, payload?: unknown) {
    if (event === 'connect') this.connected = true;
    for (const handler of this.handlers.get(event) ?? []) handler(payload);
  }
  connect() {}
  disconnect() {
    this.disconnected = true;
    this.connected = false;
  }
  listeners() {
    return [...this.handlers.values()].reduce((n, list) => n + list.length, 0);
  }
}

function follow(socket: FakeSocket) {
  const states: ConnectionState[] = [];
  const got: unknown[] = [];
  const stop = followLive(socket as unknown as LiveSocket, {
    connection: (state) => states.push(state),
    subscribe: (live) => live.emit('sweep:subscribe', 's1', () => undefined),
    on: { 'sweep:updated': (raw) => got.push(raw) },
    leave: (live) => live.emit('sweep:unsubscribe', 's1'),
  });
  return { states, got, stop };
}

describe('followLive', () => {
  it('subscribes on every (re)connect, hands pushed events to their handler and reports the connection', () => {
    const socket = new FakeSocket();
    const { states, got } = follow(socket);
    socket.push('connect');
    socket.push('sweep:updated', { id: 's1' });
    socket.push('disconnect', 'transport close');
    socket.push('connect');
    expect(socket.emitted).toEqual(['sweep:subscribe s1', 'sweep:subscribe s1']);
    expect(got).toEqual([{ id: 's1' }]);
    expect(states).toEqual(['live', 'reconnecting', 'live']);
  });

  it('cleans up: leaves its rooms when connected, takes every handler off, and closes the socket', () => {
    const socket = new FakeSocket();
    const { stop, got } = follow(socket);
    socket.push('connect');
    stop();
    expect(socket.emitted.at(-1)).toBe('sweep:unsubscribe s1');
    expect(socket.listeners()).toBe(0);
    expect(socket.disconnected).toBe(true);
    socket.push('sweep:updated', { id: 's1' });
    expect(got).toEqual([]);
  });

  it('leaves no room it never joined: closing before the socket connected emits nothing', () => {
    const socket = new FakeSocket();
    const { stop } = follow(socket);
    stop();
    expect(socket.emitted).toEqual([]);
    expect(socket.disconnected).toBe(true);
  });
});
