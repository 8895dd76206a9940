import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readCappedBody, type CappedBodyOverflow } from '../src/primitives/capped-body.js';
import { ManualClock } from '../src/testing/manual-clock.js';

const CAP = 1024;

/** A body server on 127.0.0.1:0; `closed` resolves when the client drops a response early. */
interface BodyServer {
  readonly url: string;
  /** Resolves once the server has written the first chunk of the current stalled or endless body. */
  readonly firstChunkSent: Promise<void>;
  /** Resolves once the client has closed the connection of the current response. */
  readonly clientClosed: Promise<void>;
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(async (server) => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }),
  );
});

/** Serves one response that `write` produces, reporting the first chunk and an early client close. */
async function bodyServer(write: (response: ServerResponse) => void): Promise<BodyServer> {
  let firstChunk = (): void => undefined;
  let closed = (): void => undefined;
  const firstChunkSent = new Promise<void>((resolve) => {
    firstChunk = resolve;
  });
  const clientClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const server = createServer((_request, response) => {
    response.on('close', () => {
      if (!response.writableFinished) closed();
    });
    response.writeHead(200, { 'content-type': 'text/plain' });
    write(response);
    firstChunk();
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, firstChunkSent, clientClosed };
}

/** Writes `chunk` until the client goes away (a body that never ends). */
function endless(chunk: Buffer): (response: ServerResponse) => void {
  return (response) => {
    const pump = (): void => {
      while (!response.destroyed && response.write(chunk));
      if (!response.destroyed) response.once('drain', pump);
    };
    pump();
  };
}

describe('readCappedBody', () => {
  it('reads a body of exactly the cap whole, in either overflow mode', async () => {
    const text = 'é'.repeat(CAP / 2); // two bytes each: exactly CAP bytes
    const server = await bodyServer((response) => {
      response.end(text);
    });
    for (const overflow of ['cut', 'give-up'] as const) {
      const body = await readCappedBody(await fetch(server.url), { maxBytes: CAP, overflow });
      expect(body).toEqual({ outcome: 'whole', text });
    }
  });

  it("cuts a longer body to its first maxBytes bytes when overflow is 'cut'", async () => {
    // chunks of 300 bytes: the cap falls inside the fourth
    const chunks = ['a', 'b', 'c', 'd', 'e'].map((letter) => letter.repeat(300));
    const server = await bodyServer((response) => {
      for (const chunk of chunks) response.write(chunk);
      response.end();
    });
    const body = await readCappedBody(await fetch(server.url), { maxBytes: CAP, overflow: 'cut' });
    expect(body).toEqual({ outcome: 'cut', text: chunks.join('').slice(0, CAP) });
  });

  it("answers too-long for a longer body when overflow is 'give-up'", async () => {
    const server = await bodyServer((response) => {
      response.end('x'.repeat(CAP + 1));
    });
    const body = await readCappedBody(await fetch(server.url), { maxBytes: CAP, overflow: 'give-up' });
    expect(body).toEqual({ outcome: 'too-long' });
  });

  it.each<CappedBodyOverflow>(['cut', 'give-up'])(
    "cancels a body that never ends once it passes the cap (overflow '%s'), closing the connection",
    async (overflow) => {
      const server = await bodyServer(endless(Buffer.alloc(512, 'z')));
      const body = await readCappedBody(await fetch(server.url), { maxBytes: CAP, overflow });
      expect(body.outcome).toBe(overflow === 'cut' ? 'cut' : 'too-long');
      await server.clientClosed;
    },
  );

  it('answers late for a body that stalls past the deadline, and cancels it', async () => {
    const server = await bodyServer((response) => {
      response.write('{"error":'); // and nothing more
    });
    const clock = new ManualClock();
    const reading = readCappedBody(await fetch(server.url), {
      maxBytes: CAP,
      overflow: 'give-up',
      deadline: { timeoutMs: 5_000, timers: clock.timers },
    });
    await server.firstChunkSent;
    await clock.whenPending(5_000);
    clock.advance(5_000);
    expect(await reading).toEqual({ outcome: 'late' });
    await server.clientClosed;
  });

  it('clears its deadline timer once the body is read', async () => {
    const server = await bodyServer((response) => {
      response.end('short');
    });
    const clock = new ManualClock();
    const body = await readCappedBody(await fetch(server.url), {
      maxBytes: CAP,
      overflow: 'cut',
      deadline: { timeoutMs: 5_000, timers: clock.timers },
    });
    expect(body).toEqual({ outcome: 'whole', text: 'short' });
    expect(clock.scheduledDelays).toEqual([5_000]);
    expect(clock.pendingDelays).toEqual([]);
  });

  it("rejects with the signal's reason when aborted while a body stalls", async () => {
    const server = await bodyServer((response) => {
      response.write('partial');
    });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const reading = readCappedBody(await fetch(server.url), {
      maxBytes: CAP,
      overflow: 'cut',
      signal: controller.signal,
    });
    await server.firstChunkSent;
    controller.abort(reason);
    await expect(reading).rejects.toBe(reason);
  });

  it('rejects with an AbortError before reading when the signal has already aborted', async () => {
    const server = await bodyServer((response) => {
      response.end('never read');
    });
    const response = await fetch(server.url);
    const controller = new AbortController();
    controller.abort();
    await expect(
      readCappedBody(response, { maxBytes: CAP, overflow: 'cut', signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    await response.body?.cancel();
  });

  it('rejects with the stream error when the server breaks the connection mid-body', async () => {
    let serving: ServerResponse | undefined;
    const server = await bodyServer((response) => {
      serving = response;
      response.write('half a body');
    });
    const response = await fetch(server.url);
    serving?.socket?.destroy();
    await expect(readCappedBody(response, { maxBytes: CAP, overflow: 'give-up' })).rejects.toBeInstanceOf(Error);
  });
});
