import { BackendAdminClient } from '@agent-identity/reference-backend';
import OpenAI from 'openai';
import { createAgentFetch, type TaskRecoveryEvent } from '@agent-identity/api-bridge';
import type { AgentThread, TurnAuth } from '@agent-identity/core';
import { BOB, RuntimeBed } from '@agent-identity/test-bed';
import { AdminApiRegistry, startAgentGateway, type AgentGateway } from '../../src/index.js';

/** The user whose token is the gateway's own upstream credential: answers through it name this user. */
export const GATEWAY_USER = BOB;
export const GATEWAY_CREDENTIAL = `Bearer ${BOB.accessToken}`;

/** The API key the SDK is given: the agent's assertion replaces it, so it must never arrive anywhere. */
export const SDK_API_KEY = 'sk-sdk-key-that-must-never-reach-the-gateway';

export interface GatewayBedOptions {
  /** Where the gateway forwards to. Default: the bed's reference backend. */
  readonly upstream?: string;
}

/**
 * The shared runtime bed (a reference backend, a logged-in runtime) with an agent-gateway in
 * front of the backend's model endpoint: its registry read from the backend's admin API, its
 * upstream credential Bob's token. The gateway's clock is the real one plus `advance()`d time
 * (a fake for time, so that "within 1 s" needs no waiting).
 */
export class GatewayBed extends RuntimeBed {
  #gateway: AgentGateway | undefined;
  #clockOffsetMs = 0;

  static async open(options: GatewayBedOptions = {}): Promise<GatewayBed> {
    const bed = await GatewayBed.start();
    const admin = new BackendAdminClient({ url: bed.backend.url });
    const now = (): number => Date.now() + bed.#clockOffsetMs;
    bed.#gateway = await startAgentGateway({
      upstream: options.upstream ?? bed.backend.baseUrl,
      upstreamAuthorization: GATEWAY_CREDENTIAL,
      admin,
      registry: new AdminApiRegistry(admin, { now }),
      now,
    });
    return bed;
  }

  get gateway(): AgentGateway {
    if (this.#gateway === undefined) throw new Error('open the bed with GatewayBed.open()');
    return this.#gateway;
  }

  /** Moves the gateway's clock forward. */
  advance(ms: number): void {
    this.#clockOffsetMs += ms;
  }

  /** A thread, its first turn begun, and the official SDK calling through the gateway with `createAgentFetch`. */
  async sdkTurn(): Promise<{
    thread: AgentThread;
    turn: TurnAuth;
    client: OpenAI;
    recoveries: TaskRecoveryEvent[];
  }> {
    const thread = await this.runtime().startThread();
    const turn = await this.turnAuth(thread);
    const recoveries: TaskRecoveryEvent[] = [];
    const agentFetch = createAgentFetch(thread, { turn, onRecovery: (event) => recoveries.push(event) });
    const client = new OpenAI({
      apiKey: SDK_API_KEY,
      baseURL: `${this.gateway.url}/v1`,
      fetch: agentFetch,
      maxRetries: 0,
    });
    return { thread, turn, client, recoveries };
  }

  override async close(): Promise<void> {
    await this.#gateway?.close();
    await super.close();
  }
}
