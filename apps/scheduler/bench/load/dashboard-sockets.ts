import { LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@ablate/contracts';
import { io, type Socket } from 'socket.io-client';

/** Dashboards watching the run: each follows the sweep list and every sweep of the scenario, and counts what is pushed. */
export class DashboardSockets {
  private readonly sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
  trialEvents = 0;
  sweepEvents = 0;

  async open(url: string, count: number, sweepIds: string[]): Promise<void> {
    for (let i = 0; i < count; i++) {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${url}${LIVE_NAMESPACE}`, {
        transports: ['websocket'],
      });
      this.sockets.push(socket);
      socket.on('trial:updated', () => this.trialEvents++);
      socket.on('sweep:updated', () => this.sweepEvents++);
      await new Promise<void>((resolve, reject) =>
        socket.emit('sweeps:subscribe', (r) => (r.ok ? resolve() : reject(new Error(r.error.message)))),
      );
      for (const id of sweepIds) {
        await new Promise<void>((resolve, reject) =>
          socket.emit('sweep:subscribe', id, (r) => (r.ok ? resolve() : reject(new Error(r.error.message)))),
        );
      }
    }
  }

  close(): void {
    for (const s of this.sockets) s.close();
  }
}
