import type { AgentTask } from '@agent-identity/core';
import type { ReregistrationRefusalCode } from '@agent-identity/protocol';
import type { ApiBridgeError } from './api-bridge-error.js';

/**
 * One task recovery of `createAgentFetch` (a refusal that a new task heals), reported to
 * `onRecovery` once the wrapper knows whether it sends the request again. `refusal` is the code the
 * service refused with; `task` is what the thread holds after re-registering (`undefined`: no
 * task, bearer auth).
 */
export type TaskRecoveryEvent =
  | {
      readonly outcome: 'retried';
      readonly threadId: string;
      readonly refusal: ReregistrationRefusalCode;
      readonly invalidTask: AgentTask;
      readonly task: AgentTask | undefined;
    }
  | {
      readonly outcome: 'not_retried';
      readonly threadId: string;
      readonly refusal: ReregistrationRefusalCode;
      readonly invalidTask: AgentTask;
      readonly task: AgentTask | undefined;
      readonly error: ApiBridgeError;
    };

export type TaskRecoveryListener = (event: TaskRecoveryEvent) => void;
