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
