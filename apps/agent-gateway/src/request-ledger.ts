/** What the gateway decided about one request. */
export type GatewayVerdict =
  | 'accepted'
  /** a SPEC §3.8 401 code: `missing_authorization`, `task_invalid`, … */
  | (string & {});

/** One request through the gateway: an HTTP exchange, a WebSocket handshake refused, or one `response.create` frame. */
export interface RequestRecord {
  /** Counts from 1, in the order requests finished. */
  readonly id: number;
  /** When the request arrived, ISO 8601. */
  readonly at: string;
  readonly transport: 'http' | 'ws';
  readonly path: string;
  /** The agent and task the assertion named; `verified` says whether its signature was checked and held. */
  readonly agentRuntimeId: string | null;
  readonly taskId: string | null;
  readonly verified: boolean;
  readonly verdict: GatewayVerdict;
  /** The HTTP status answered (for a frame: 101, the socket's). */
  readonly status: number;
  /** From arrival to the last byte of the answer (a frame: to its terminal event). */
  readonly latencyMs: number;
  /** Body bytes from the client, and answer body bytes back to it. */
  readonly bytesIn: number;
  readonly bytesOut: number;
}

export type RecordListener = (record: RequestRecord) => void;

/**
 * The gateway's log of requests: the newest `capacity` records, the totals by verdict since the
 * start (never trimmed), and listeners told of each new record (the dashboard's live view).
 */
export class RequestLedger {
  readonly #capacity: number;
  readonly #records: RequestRecord[] = [];
  readonly #verdicts = new Map<GatewayVerdict, number>();
  readonly #listeners = new Set<RecordListener>();
  #nextId = 1;

  constructor(capacity = 1_000) {
    this.#capacity = capacity;
  }

  add(record: Omit<RequestRecord, 'id'>): RequestRecord {
    const full: RequestRecord = { id: this.#nextId, ...record };
    this.#nextId += 1;
    this.#records.push(full);
    if (this.#records.length > this.#capacity) this.#records.shift();
    this.#verdicts.set(full.verdict, (this.#verdicts.get(full.verdict) ?? 0) + 1);
    for (const listener of this.#listeners) listener(full);
    return full;
  }

  /** The kept records, oldest first. */
  records(): readonly RequestRecord[] {
    return [...this.#records];
  }

  /** Requests accepted and refused (by code) since the gateway started. */
  totals(): { readonly accepted: number; readonly refused: Readonly<Record<string, number>> } {
    const refused: Record<string, number> = {};
    for (const [verdict, count] of this.#verdicts) if (verdict !== 'accepted') refused[verdict] = count;
    return { accepted: this.#verdicts.get('accepted') ?? 0, refused };
  }

  /** Calls `listener` with every later record; returns the unsubscribe. */
  subscribe(listener: RecordListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
