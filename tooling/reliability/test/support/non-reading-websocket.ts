import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client that never reads: a raw TCP connection that completes the handshake, then
 * stops reading for good and only writes masked text frames (RFC 6455 §5.2). What a slow or
 * hostile client looks like to a server, with nothing in between that would read for it.
 */
export class NonReadingWebSocket {
  readonly #socket: Socket;

  private constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** Connects to `url` (`ws://host:port/path`) with these handshake headers; rejects on a non-101 answer. */
  static open(url: string, headers: Readonly<Record<string, string>>): Promise<NonReadingWebSocket> {
    const target = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(target.port), target.hostname);
      let received = '';
      const onData = (chunk: Buffer): void => {
        received += chunk.toString('latin1');
        const end = received.indexOf('\r\n\r\n');
        if (end === -1) return;
        socket.off('data', onData);
        socket.pause();
        if (!received.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(`handshake refused: ${received.slice(0, received.indexOf('\r\n'))}`));
          return;
        }
        resolve(new NonReadingWebSocket(socket));
      };
      socket.on('data', onData);
      socket.on('error', reject);
      socket.once('connect', () => {
        const lines = [
          `GET ${target.pathname} HTTP/1.1`,
          `Host: ${target.host}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        ];
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      });
    });
  }

  /** Queues one masked text frame; what the kernel does not take waits in this process. */
  sendText(text: string): void {
    const payload = Buffer.from(text, 'utf8');
    const mask = randomBytes(4);
    const length = payload.length;
    const header =
      length < 126
        ? Buffer.from([0x81, 0x80 | length])
        : length < 65_536
          ? Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff])
          : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), bigEndian64(length)]);
    const masked = Buffer.alloc(length);
    for (let index = 0; index < length; index += 1) masked[index] = payload[index]! ^ mask[index % 4]!;
    this.#socket.write(Buffer.concat([header, mask, masked]));
  }

  destroy(): void {
    this.#socket.destroy();
  }
}

function bigEndian64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}
