import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertBrowsersReach } from './embedded-postgres.js';

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('assertBrowsersReach', () => {
  it("refuses a port on the Fetch standard's blocked list, naming the variable to change", async () => {
    await expect(assertBrowsersReach(4190, 'ABLATE_API_PORT')).rejects.toThrow(
      "Port 4190 is one that browsers refuse to connect to (the Fetch standard's port blocking), so the dashboard could not reach it. Set ABLATE_API_PORT to another port (e.g. ABLATE_API_PORT=4191).",
    );
    await expect(assertBrowsersReach(6666, 'ABLATE_DASHBOARD_PORT')).rejects.toThrow('Set ABLATE_DASHBOARD_PORT to another port');
  });

  it('lets any other port through', async () => {
    await expect(assertBrowsersReach(await freePort(), 'ABLATE_API_PORT')).resolves.toBeUndefined();
  });
});
