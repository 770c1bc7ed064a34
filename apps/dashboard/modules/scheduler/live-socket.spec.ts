import { describe, expect, it } from 'vitest';
import { FakeLiveSocket } from './fake-live-socket';
import { followLive, type ConnectionState } from './live-socket';

function follow(socket: FakeLiveSocket) {
  const states: ConnectionState[] = [];
  const got: unknown[] = [];
  const stop = followLive(socket.socket, {
    connection: (state) => states.push(state),
    subscribe: (live) => live.emit('sweep:subscribe', 's1', () => undefined),
    on: { 'sweep:updated': (raw) => got.push(raw) },
    leave: (live) => live.emit('sweep:unsubscribe', 's1'),
  });
  return { states, got, stop };
}

describe('followLive', () => {
  it('subscribes on every (re)connect, hands pushed events to their handler and reports the connection', () => {
    const socket = new FakeLiveSocket();
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
    const socket = new FakeLiveSocket();
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
    const socket = new FakeLiveSocket();
    const { stop } = follow(socket);
    stop();
    expect(socket.emitted).toEqual([]);
    expect(socket.disconnected).toBe(true);
  });
});
