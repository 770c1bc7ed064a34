import { LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@ablate/contracts';
import { io, type Socket } from 'socket.io-client';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the connection indicator shows. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** Opens the `/live` namespace on the scheduler; the caller subscribes on every `connect`. */
export function createLiveSocket(apiUrl: string): LiveSocket {
  const url = new URL(LIVE_NAMESPACE, apiUrl).toString();
  return io(url, {
    // WebSocket first: no long-polling round trips while a sweep streams thousands of events.
    transports: ['websocket', 'polling'],
    reconnectionDelayMax: 5_000,
  });
}

/**
 * Reports connection changes to `onChange`; returns the cleanup. Socket.io reconnects by itself,
 * except after a server-side disconnect, which we retry too so a restarted scheduler is picked up.
 */
export function watchConnection(socket: LiveSocket, onChange: (state: ConnectionState) => void): () => void {
  const onConnect = () => onChange('live');
  const onDisconnect = (reason: Socket.DisconnectReason) => {
    if (reason === 'io client disconnect') return onChange('offline');
    onChange('reconnecting');
    if (reason === 'io server disconnect') socket.connect();
  };
  const onConnectError = () => onChange(socket.active ? 'reconnecting' : 'offline');
  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  return () => {
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
  };
}

/** What a page follows on `/live`: its subscription, the events it handles, the rooms it leaves. */
export interface LiveFollow {
  /** The connection indicator's state, on every change. */
  connection(state: ConnectionState): void;
  /** Sent on every (re)connect: the server forgot the rooms, and events may have been missed meanwhile. */
  subscribe(socket: LiveSocket): void;
  /** Handlers of the pushed events, by name; each parses its payload with its contract. */
  on: Partial<Record<keyof ServerToClientEvents, (raw: unknown) => void>>;
  /** Leaves the rooms, when still connected, before the socket closes. */
  leave?(socket: LiveSocket): void;
}

/**
 * Wires `follow` to `socket` the one way every live page does (connection state, subscribe on each
 * connect, handlers) and returns the cleanup: handlers off, rooms left, socket closed.
 */
export function followLive(socket: LiveSocket, follow: LiveFollow): () => void {
  const stopWatching = watchConnection(socket, (state) => follow.connection(state));
  const subscribe = () => follow.subscribe(socket);
  const handlers = Object.entries(follow.on) as [keyof ServerToClientEvents, (raw: unknown) => void][];
  socket.on('connect', subscribe);
  for (const [event, handler] of handlers) socket.on(event, handler);
  return () => {
    stopWatching();
    socket.off('connect', subscribe);
    for (const [event, handler] of handlers) socket.off(event, handler);
    if (socket.connected) follow.leave?.(socket);
    socket.disconnect();
  };
}
