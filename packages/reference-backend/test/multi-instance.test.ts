import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { AgentSigningKey, buildAgentAssertion, openSealedTaskId } from '@agent-identity/crypto';
import {
  agentRegisterUrl,
  CREDENTIALS_REVOKED_CLOSE_CODE,
  formatSecondsTimestamp,
  OPENAI_AUTHORIZATION_HEADER,
  RegisterAgentResponse,
  RegisterTaskResponse,
} from '@agent-identity/protocol';
import { createFreshDatabase, type FreshDatabase } from '@agent-identity/postgres-server/fresh-database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { DEMO_USER, type AgentRecord, type TaskRecord } from '../src/index.js';
import { firstLine, spawnCli } from './cli-process.js';
import {
  closeOf,
  connectWebSocket,
  mintBiscuit,
  postResponses,
  registrationBody,
  taskRegistrationBody,
} from './protocol-client.js';
import { errorOf } from './test-users.js';

/** Starting three backends (tsx children) and a database takes a while on a busy 2-core host. */
const slowMs = 180_000;
const token = DEMO_USER.accessToken;

interface Instance {
  readonly child: ChildProcess;
  readonly baseUrl: string;
}

let database: FreshDatabase | undefined;
let databaseUrl: string;
let instances: Instance[] = [];

async function startInstance(): Promise<Instance> {
  const child = spawnCli(['--database-url', databaseUrl]);
  return { child, baseUrl: await firstLine(child) };
}

async function stopInstance(instance: Instance, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = once(instance.child, 'exit');
  instance.child.kill(signal);
  await exited;
}

async function adminList<T>(instance: Instance, what: 'agents' | 'tasks'): Promise<T[]> {
  const response = await fetch(`${instance.baseUrl}/_admin/${what}`);
  return ((await response.json()) as Record<string, T[]>)[what] ?? [];
}

/** POST `body` to `url` with a biscuit minted on `minter` for exactly that call. */
async function postWithBiscuitFrom(minter: Instance, url: string, body: unknown): Promise<Response> {
  const biscuit = await mintBiscuit(minter.baseUrl, token, 'POST', url);
  return fetch(url, {
    method: 'POST',
    headers: { [OPENAI_AUTHORIZATION_HEADER]: biscuit, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

interface Registered {
  key: AgentSigningKey;
  agentRuntimeId: string;
  taskId: string;
  assertion(): string;
}

/**
 * An agent and its task with every call on another instance: the biscuit of each registration
 * minted on `instances[first]`, redeemed on the next one; the task registered on the one after.
 */
async function registerSpread(first: number, among: readonly Instance[] = instances): Promise<Registered> {
  const at = (offset: number): Instance => among[(first + offset) % among.length] as Instance;
  const key = AgentSigningKey.generate();
  const agentResponse = await postWithBiscuitFrom(at(0), agentRegisterUrl(at(1).baseUrl), registrationBody(key));
  if (agentResponse.status !== 200) throw new Error(`agent registration: ${agentResponse.status}`);
  const agentRuntimeId = RegisterAgentResponse.parse(await agentResponse.json()).agent_runtime_id;
  const taskUrl = `${at(2).baseUrl}/v1/agent/${agentRuntimeId}/task/register`;
  const taskResponse = await postWithBiscuitFrom(at(1), taskUrl, taskRegistrationBody(key, agentRuntimeId, Date.now()));
  if (taskResponse.status !== 200) throw new Error(`task registration: ${taskResponse.status}`);
  const taskId = openSealedTaskId(key, RegisterTaskResponse.parse(await taskResponse.json()).encrypted_task_id);
  return {
    key,
    agentRuntimeId,
    taskId,
    assertion: () =>
      buildAgentAssertion(key, { agentRuntimeId, taskId, timestamp: formatSecondsTimestamp(Date.now()) }),
  };
}

async function openSocket(instance: Instance, authorization: string): Promise<WebSocket> {
  const handshake = await connectWebSocket(`${instance.baseUrl.replace(/^http/, 'ws')}/v1/responses`, authorization);
  if (handshake.kind !== 'open') throw new Error(`handshake refused: ${JSON.stringify(handshake)}`);
  return handshake.socket;
}

beforeAll(async () => {
  const fresh = await createFreshDatabase(1);
  database = fresh;
  databaseUrl = fresh.url;
  // One first, so the migrations are in place; then two more started together.
  instances = [await startInstance()];
  instances.push(...(await Promise.all([startInstance(), startInstance()])));
}, slowMs);

afterAll(async () => {
  await Promise.all(instances.map((instance) => stopInstance(instance)));
  await database?.drop();
}, slowMs);

describe('three backend processes on one PostgreSQL', () => {
  it(
    'registers every agent and task exactly once, each seen alike by every instance',
    async () => {
      const registered = await Promise.all(Array.from({ length: 30 }, (_, index) => registerSpread(index)));
      const agentIds = registered.map((agent) => agent.agentRuntimeId);
      const taskIds = registered.map((agent) => agent.taskId);
      expect(new Set(agentIds).size).toBe(30);
      for (const instance of instances) {
        const agents = await adminList<AgentRecord>(instance, 'agents');
        const tasks = await adminList<TaskRecord>(instance, 'tasks');
        expect(
          agents
            .map((agent) => agent.agentRuntimeId)
            .filter((id) => agentIds.includes(id))
            .sort(),
        ).toEqual([...agentIds].sort());
        expect(
          tasks
            .map((task) => task.taskId)
            .filter((id) => taskIds.includes(id))
            .sort(),
        ).toEqual([...taskIds].sort());
      }
      // Each instance accepts the assertions of agents registered through the others.
      for (const [index, instance] of instances.entries()) {
        const response = await postResponses(`${instance.baseUrl}/v1/responses`, registered[index]?.assertion(), 'hi');
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
    },
    slowMs,
  );

  it(
    'redeems a biscuit minted on one instance on another, once: a replay is refused on every instance',
    async () => {
      const [minter, redeemer, other] = instances as [Instance, Instance, Instance];
      const url = agentRegisterUrl(redeemer.baseUrl);
      const biscuit = await mintBiscuit(minter.baseUrl, token, 'POST', url);
      const send = (target: string): Promise<Response> =>
        fetch(target, {
          method: 'POST',
          headers: { [OPENAI_AUTHORIZATION_HEADER]: biscuit, 'content-type': 'application/json' },
          body: JSON.stringify(registrationBody(AgentSigningKey.generate())),
        });
      expect((await send(url)).status).toBe(200);
      for (const instance of [redeemer, minter, other]) {
        const replay = await send(agentRegisterUrl(instance.baseUrl));
        expect(replay.status).toBe(401);
        expect((await errorOf(replay)).code).toBe('invalid_biscuit');
      }
    },
    slowMs,
  );

  it(
    'a task revoked on one instance is refused on all: their open WebSockets close with 4401, HTTP gets task_invalid',
    async () => {
      const agent = await registerSpread(0);
      // Every instance has accepted the task once (its cache holds it active) and keeps a socket open.
      for (const instance of instances) {
        const accepted = await postResponses(`${instance.baseUrl}/v1/responses`, agent.assertion(), 'warm');
        expect(accepted.status).toBe(200);
        await accepted.arrayBuffer();
      }
      const sockets = await Promise.all(instances.map((instance) => openSocket(instance, agent.assertion())));
      const closes = sockets.map((socket) => closeOf(socket));

      const revoke = await fetch(`${instances[1]?.baseUrl ?? ''}/_admin/tasks/${agent.taskId}/revoke`, {
        method: 'POST',
      });
      expect(revoke.status).toBe(200);

      expect(await Promise.all(closes)).toEqual(
        instances.map(() => ({ code: CREDENTIALS_REVOKED_CLOSE_CODE, reason: 'task_invalid' })),
      );
      for (const instance of instances) {
        const refused = await postResponses(`${instance.baseUrl}/v1/responses`, agent.assertion(), 'after');
        expect(refused.status).toBe(401);
        expect((await errorOf(refused)).code).toBe('task_invalid');
      }
    },
    slowMs,
  );

  it(
    'an instance killed with SIGKILL mid-load loses no acknowledged registration and duplicates none',
    async () => {
      const doomed = await startInstance();
      const fleet = [...instances, doomed];
      const acknowledged: Registered[] = [];
      const load = Array.from({ length: 40 }, async (_, index) => {
        try {
          acknowledged.push(await registerSpread(index, fleet));
        } catch {
          // Calls that went to the killed instance fail: their outcome was never acknowledged.
        }
      });
      // Kill it once it has taken part in some registrations, while the rest are in flight.
      while (acknowledged.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
      await stopInstance(doomed, 'SIGKILL');
      await Promise.all(load);
      // The kill cut registrations short: some were never acknowledged.
      expect(acknowledged.length).toBeLessThan(40);

      const survivor = instances[0] as Instance;
      const agents = await adminList<AgentRecord>(survivor, 'agents');
      const tasks = await adminList<TaskRecord>(survivor, 'tasks');
      const agentIds = agents.map((agent) => agent.agentRuntimeId);
      const taskIds = tasks.map((task) => task.taskId);
      expect(new Set(agentIds).size).toBe(agentIds.length);
      expect(new Set(taskIds).size).toBe(taskIds.length);
      for (const agent of acknowledged) {
        expect(agentIds).toContain(agent.agentRuntimeId);
        expect(taskIds).toContain(agent.taskId);
      }
      // Whole records only: every row has every field, and every task's agent exists.
      for (const agent of agents) {
        expect(agent.publicKey).toMatch(/^ssh-ed25519 /);
        expect(agent.createdAt).toMatch(/Z$/);
      }
      for (const task of tasks) expect(agentIds).toContain(task.agentRuntimeId);
      // The survivors still serve the agents registered through the killed one.
      const response = await postResponses(`${survivor.baseUrl}/v1/responses`, acknowledged[0]?.assertion(), 'still');
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    },
    slowMs,
  );
});
