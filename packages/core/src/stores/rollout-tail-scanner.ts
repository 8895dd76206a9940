import { open, type FileHandle } from 'node:fs/promises';
import { isSessionStateLine, sessionStateTask, tryDecodeRolloutLine } from '@agent-identity/protocol';
import { silentLogger, type Logger } from '../runtime/logger.js';
import type { NewestSessionState } from './rollout-store.js';

export interface TailScanOptions {
  /**
   * Bytes of the first read, from the end backwards. Default 64 KiB: the newest state line is
   * usually near the end. Each further read doubles, up to 4 MiB, so a scan that has to go far
   * costs few system calls.
   */
  readonly chunkBytes?: number;
  /**
   * Longer lines are passed over without being kept in memory: a `session_state` line is a few
   * hundred bytes, while a single conversation line can be many megabytes. Default 1 MiB.
   */
  readonly maxStateLineBytes?: number;
  readonly logger?: Logger;
}

export interface TailScanResult {
  readonly state: NewestSessionState;
  /** Bytes read from the file (the cost of the scan). */
  readonly bytesRead: number;
}

const NEWLINE = 0x0a;
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
const STATE_MARKER = Buffer.from('session_state');
const NON_BLANK = /\S/;

/**
 * Finds the newest valid `session_state` line of a rollout file by reading it backwards in
 * fixed-size chunks (SPEC §4.5): the cost depends on how far from the end that line is, not on
 * the size of the file.
 *
 * 1. **Chunks**: read backwards from the end, 64 KiB first, then growing; lines are split at
 *    `\n` bytes, so a multi-byte character is never decoded across a chunk boundary.
 * 2. **Filter**: only lines containing the bytes `session_state` are decoded and parsed; runs of
 *    whole lines without them are skipped by one byte search, not line by line (a long thread
 *    whose task line is far from the end is read at the speed of the disk).
 * 3. **Torn tail**: the last line, when the file does not end with `\n`, is what a crash
 *    mid-append leaves; if it does not parse it is skipped with a warning.
 * 4. **Bad line**: an invalid line elsewhere is skipped with a warning and the scan goes on.
 * 5. **Result**: the first valid `session_state` line found (the newest), or not found.
 */
export async function scanNewestSessionState(path: string, options: TailScanOptions = {}): Promise<TailScanResult> {
  const handle = await open(path, 'r');
  try {
    return await new TailScan(handle, path, options).run();
  } finally {
    await handle.close();
  }
}

/**
 * Where the scan of `chunk` goes on after the line ending at `lineEnd` (a `\n`): the end of the
 * nearest earlier whole line that contains the marker, or, when none does, the chunk's first `\n`
 * (the part before it continues a line of the previous chunk and is always examined whole). The
 * marker holds no `\n`, so an occurrence found before `lineEnd` lies inside one line.
 */
function skipLinesWithoutMarker(chunk: Buffer, lineEnd: number): number {
  const marker = lineEnd < STATE_MARKER.length ? -1 : chunk.lastIndexOf(STATE_MARKER, lineEnd - STATE_MARKER.length);
  const skipTo = marker === -1 ? chunk.indexOf(NEWLINE) : chunk.indexOf(NEWLINE, marker);
  return skipTo === -1 || skipTo > lineEnd ? lineEnd : skipTo;
}

class TailScan {
  readonly #handle: FileHandle;
  readonly #path: string;
  readonly #chunkBytes: number;
  readonly #maxLineBytes: number;
  readonly #logger: Logger;
  #bytesRead = 0;
  /** The end of the line being assembled: the pieces after the current chunk, in file order. */
  #carry: Buffer[] = [];
  #carryBytes = 0;
  #carryOversized = false;

  constructor(handle: FileHandle, path: string, options: TailScanOptions) {
    this.#handle = handle;
    this.#path = path;
    this.#chunkBytes = options.chunkBytes ?? 64 * 1024;
    this.#maxLineBytes = options.maxStateLineBytes ?? 1024 * 1024;
    this.#logger = options.logger ?? silentLogger;
  }

  async run(): Promise<TailScanResult> {
    const { size } = await this.#handle.stat();
    /** Whether the next line to complete is the file's last one and lacks its `\n` (torn?). */
    let unterminated = false;
    let end = size;
    let chunkBytes = this.#chunkBytes;
    while (end > 0) {
      const start = Math.max(0, end - chunkBytes);
      chunkBytes = Math.max(chunkBytes, Math.min(chunkBytes * 2, MAX_CHUNK_BYTES));
      const chunk = await this.#read(start, end - start);
      if (end === size) unterminated = chunk[chunk.length - 1] !== NEWLINE;
      let lineEnd = chunk.length;
      // (a negative offset would make lastIndexOf search from the end again)
      let newline = lineEnd === 0 ? -1 : chunk.lastIndexOf(NEWLINE, lineEnd - 1);
      while (newline !== -1) {
        this.#prepend(chunk.subarray(newline + 1, lineEnd));
        const found = this.#completeLine(start + newline + 1, unterminated);
        if (found !== undefined) return this.#result(found);
        unterminated = false;
        lineEnd = skipLinesWithoutMarker(chunk, newline);
        newline = lineEnd === 0 ? -1 : chunk.lastIndexOf(NEWLINE, lineEnd - 1);
      }
      this.#prepend(chunk.subarray(0, lineEnd));
      end = start;
    }
    return this.#result(this.#completeLine(0, unterminated) ?? { found: false });
  }

  #result(state: NewestSessionState): TailScanResult {
    return { state, bytesRead: this.#bytesRead };
  }

  async #read(position: number, length: number): Promise<Buffer> {
    // Unzeroed: only the bytes the read fills are ever looked at.
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.#handle.read(buffer, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    this.#bytesRead += filled;
    return filled === length ? buffer : buffer.subarray(0, filled);
  }

  #prepend(piece: Buffer): void {
    if (piece.length === 0 || this.#carryOversized) return;
    this.#carryBytes += piece.length;
    if (this.#carryBytes > this.#maxLineBytes) {
      this.#carry = [];
      this.#carryOversized = true;
      return;
    }
    this.#carry.unshift(piece);
  }

  /** Steps 2–4 for the line that starts at byte `offset`; its pieces are in the carry. */
  #completeLine(offset: number, unterminated: boolean): NewestSessionState | undefined {
    const pieces = this.#carry;
    const oversized = this.#carryOversized;
    this.#carry = [];
    this.#carryBytes = 0;
    this.#carryOversized = false;
    if (oversized) {
      if (unterminated) this.#warnTorn(offset);
      return undefined;
    }
    const bytes = pieces.length === 1 && pieces[0] !== undefined ? pieces[0] : Buffer.concat(pieces);
    if (!unterminated && !bytes.includes(STATE_MARKER)) return undefined;
    const text = bytes.toString('utf8');
    if (!NON_BLANK.test(text)) return undefined;
    const decoded = tryDecodeRolloutLine(text, 0);
    if (!decoded.ok) {
      if (unterminated) this.#warnTorn(offset);
      else {
        this.#logger.warn('skipping an invalid session_state line in a rollout', {
          path: this.#path,
          byteOffset: offset,
          reason: decoded.error.reason,
        });
      }
      return undefined;
    }
    const { line } = decoded;
    return isSessionStateLine(line) ? { found: true, agentTask: sessionStateTask(line.payload) } : undefined;
  }

  #warnTorn(offset: number): void {
    this.#logger.warn('skipping a torn last line in a rollout (a write was interrupted)', {
      path: this.#path,
      byteOffset: offset,
    });
  }
}
