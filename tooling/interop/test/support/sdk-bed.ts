import OpenAI from 'openai';
import { createAgentFetch, type TaskRecoveryEvent } from '@agent-identity/api-bridge';
import type { AgentThread, TurnAuth } from '@agent-identity/core';
import { RuntimeBed } from '@agent-identity/test-bed';

/** The API key the SDK is given: the agent's `Authorization` must replace it, so it must never arrive. */
export const SDK_API_KEY = 'sk-sdk-key-that-must-never-reach-the-backend';

/** One thread of the bed's runtime, its first turn begun, and the official SDK speaking for it. */
export interface SdkTurn {
  readonly thread: AgentThread;
  readonly turn: TurnAuth;
  readonly client: OpenAI;
  /** The task recoveries `createAgentFetch` reported. */
  readonly recoveries: TaskRecoveryEvent[];
}

/**
 * A test bed for the `openai` SDK: the shared bed's reference backend under `/backend-api`, and
 * `OpenAI` clients whose `fetch` is the thread's `createAgentFetch` (the SDK never retries, so
 * what the backend saw is what one call did).
 */
export class SdkBed extends RuntimeBed {
  static open(): Promise<SdkBed> {
    return SdkBed.start({ backend: { pathPrefix: '/backend-api' } });
  }

  /** The model endpoint's base URL, as the SDK's `baseURL` takes it. */
  get sdkBaseUrl(): string {
    return `${this.backend.baseUrl}/v1`;
  }

  async sdkTurn(): Promise<SdkTurn> {
    const thread = await this.runtime().startThread();
    const turn = await this.turnAuth(thread);
    const recoveries: TaskRecoveryEvent[] = [];
    const agentFetch = createAgentFetch(thread, { turn, onRecovery: (event) => recoveries.push(event) });
    const client = new OpenAI({ apiKey: SDK_API_KEY, baseURL: this.sdkBaseUrl, fetch: agentFetch, maxRetries: 0 });
    return { thread, turn, client, recoveries };
  }
}
