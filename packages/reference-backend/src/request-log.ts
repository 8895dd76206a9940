import type { DownstreamTransport } from './counters.js';

/** An accepted downstream request (HTTP) or WebSocket handshake, and whom it was accepted for. */
export interface DownstreamRequestRecord {
  /** RFC 3339 UTC with milliseconds. */
  at: string;
  transport: DownstreamTransport;
  path: string;
  auth: 'agent_assertion' | 'bearer';
  agentRuntimeId: string | null;
  taskId: string | null;
  userId: string | null;
  /** Whether a `ChatGPT-Account-ID` came along: never beside an assertion in Codex 0.122 (SPEC §3.6), always in the current profile. */
  accountIdHeader: boolean;
}

const maxRecords = 1_000;

/** The newest {@link maxRecords} accepted downstream requests, oldest first. */
export class RequestLog {
  #records: DownstreamRequestRecord[] = [];

  add(record: DownstreamRequestRecord): void {
    this.#records.push(record);
    if (this.#records.length > maxRecords) this.#records.shift();
  }

  list(): DownstreamRequestRecord[] {
    return this.#records.map((record) => ({ ...record }));
  }

  clear(): void {
    this.#records = [];
  }
}
