import { startReferenceBackend, WS_HIGH_WATER_BYTES } from '@agent-identity/reference-backend';
import { ALICE } from '@agent-identity/test-bed';
import { describe, expect, it, vi } from 'vitest';
import { NonReadingWebSocket } from './support/non-reading-websocket.js';

const MIB = 1024 * 1024;
/** One `response.create` frame of about 64 KB: many short words, the most echo per byte. */
const bigRequest = JSON.stringify({ type: 'response.create', model: 'reliability', input: 'ab '.repeat(21_000) });

// Issue 11 item 3: 6.4 MB sent by a client that never reads grew the backend to 1.16 GB.
describe('a WebSocket client that never reads costs the backend bounded memory', () => {
  it('after 25 MB of requests (four times the 6.4 MB of the report), the backend holds at most its high-water mark and a few requests', async () => {
    await using backend = await startReferenceBackend({ users: [ALICE] });
    const rssBefore = process.memoryUsage().rss;
    const client = await NonReadingWebSocket.open(backend.websocketUrl, {
      Authorization: `Bearer ${ALICE.accessToken}`,
    });
    try {
      // Enough that the answers, bounded as they are, overflow the kernel buffers toward the client.
      for (let index = 0; index < 400; index += 1) client.sendText(bigRequest);

      // Backpressure engages once the kernel buffers toward the client are full.
      await vi.waitFor(
        () => {
          expect(backend.admin.webSockets()[0]?.bufferedBytes ?? 0).toBeGreaterThanOrEqual(WS_HIGH_WATER_BYTES);
        },
        { timeout: 20_000, interval: 50 },
      );
      for (let sample = 0; sample < 10; sample += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const [socket] = backend.admin.webSockets();
        expect(socket?.bufferedBytes).toBeLessThanOrEqual(WS_HIGH_WATER_BYTES + 64 * 1024);
        expect(socket?.pendingRequests).toBeLessThanOrEqual(9);
      }
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * MIB);
    } finally {
      client.destroy();
    }
    await vi.waitFor(() => {
      expect(backend.admin.webSockets()).toEqual([]);
    });
  });
});
