import { randomBytes } from 'node:crypto';
import { AgentSigningKey, buildAgentAssertion, openSealedTaskId, signTaskRegistration } from '@agent-identity/crypto';
import {
  agentRegisterUrl,
  BISCUIT_RESPONSE_HEADER,
  biscuitRequestId,
  biscuitUrl,
  buildBillOfMaterials,
  formatSecondsTimestamp,
  OPENAI_AUTHORIZATION_HEADER,
  ORIGINAL_METHOD_HEADER,
  ORIGINAL_URL_HEADER,
  REQUEST_ID_HEADER,
  RegisterAgentResponse,
  RegisterTaskResponse,
  ResponseStreamEvent,
  ResponseTextAccumulator,
  SseDecoder,
} from '@agent-identity/protocol';
import { WebSocket } from 'ws';

/**
 * A client of the backend built from `protocol` and `crypto` alone, with plain `fetch` and `ws`:
 * what any integrator could write from the SPEC. Tests use it to drive the real server.
 */

export function biscuitHeaders(accessToken: string, method: string, url: string): Record<string, string> {
  return {
    authorization: `Bearer ${accessToken}`,
    [REQUEST_ID_HEADER]: biscuitRequestId(randomBytes(16)),
    [ORIGINAL_METHOD_HEADER]: method,
    [ORIGINAL_URL_HEADER]: url,
  };
}

/** SPEC §3.2: a biscuit for one call. */
export async function mintBiscuit(baseUrl: string, accessToken: string, method: string, url: string): Promise<string> {
  const response = await fetch(biscuitUrl(baseUrl), { headers: biscuitHeaders(accessToken, method, url) });
  const biscuit = response.headers.get(BISCUIT_RESPONSE_HEADER);
  if (response.status !== 200 || biscuit === null) {
    throw new Error(`biscuit minting failed with status ${response.status}: ${await response.text()}`);
  }
  return biscuit;
}

/** POST JSON with a fresh biscuit for exactly that call. */
export async function postWithBiscuit(
  baseUrl: string,
  accessToken: string,
  url: string,
  body: unknown,
): Promise<Response> {
  const biscuit = await mintBiscuit(baseUrl, accessToken, 'POST', url);
  return fetch(url, {
    method: 'POST',
    headers: { [OPENAI_AUTHORIZATION_HEADER]: biscuit, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export function registrationBody(key: AgentSigningKey): unknown {
  return {
    abom: buildBillOfMaterials({ agentVersion: '0.0.0', harnessId: 'reference-backend-test', sessionSource: 'cli' }),
    agent_public_key: key.sshPublicKey,
    capabilities: [],
  };
}

/** SPEC §3.3: registers `key`, returns the runtime id. */
export async function registerAgent(baseUrl: string, accessToken: string, key: AgentSigningKey): Promise<string> {
  const response = await postWithBiscuit(baseUrl, accessToken, agentRegisterUrl(baseUrl), registrationBody(key));
  if (response.status !== 200)
    throw new Error(`agent registration failed: ${response.status} ${await response.text()}`);
  return RegisterAgentResponse.parse(await response.json()).agent_runtime_id;
}

export function taskRegistrationBody(key: AgentSigningKey, agentRuntimeId: string, epochMs: number): unknown {
  const timestamp = formatSecondsTimestamp(epochMs);
  return { signature: signTaskRegistration(key, agentRuntimeId, timestamp), timestamp };
}

/** SPEC §3.4: registers a task, answers the raw response. */
export async function postTaskRegistration(
  baseUrl: string,
  accessToken: string,
  key: AgentSigningKey,
  agentRuntimeId: string,
  epochMs = Date.now(),
): Promise<Response> {
  const url = `${baseUrl}/v1/agent/${encodeURIComponent(agentRuntimeId)}/task/register`;
  return postWithBiscuit(baseUrl, accessToken, url, taskRegistrationBody(key, agentRuntimeId, epochMs));
}

/** SPEC §3.4–3.5: registers a task and opens the sealed task id. */
export async function registerTask(
  baseUrl: string,
  accessToken: string,
  key: AgentSigningKey,
  agentRuntimeId: string,
): Promise<string> {
  const response = await postTaskRegistration(baseUrl, accessToken, key, agentRuntimeId);
  if (response.status !== 200) throw new Error(`task registration failed: ${response.status} ${await response.text()}`);
  return openSealedTaskId(key, RegisterTaskResponse.parse(await response.json()).encrypted_task_id);
}

export interface RegisteredAgent {
  key: AgentSigningKey;
  agentRuntimeId: string;
  taskId: string;
  /** A fresh `AgentAssertion` header for (agent, task) at `epochMs` (default now). */
  assertion(epochMs?: number): string;
}

export async function registerAgentWithTask(baseUrl: string, accessToken: string): Promise<RegisteredAgent> {
  const key = AgentSigningKey.generate();
  const agentRuntimeId = await registerAgent(baseUrl, accessToken, key);
  const taskId = await registerTask(baseUrl, accessToken, key, agentRuntimeId);
  return {
    key,
    agentRuntimeId,
    taskId,
    assertion: (epochMs = Date.now()) =>
      buildAgentAssertion(key, { agentRuntimeId, taskId, timestamp: formatSecondsTimestamp(epochMs) }),
  };
}

/** POST …/v1/responses with an `Authorization` value (or none) and any other headers. */
export function postResponses(
  responsesUrl: string,
  authorization: string | undefined,
  input: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...extraHeaders, 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return fetch(responsesUrl, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'test-model', input, stream: true }),
  });
}

/** The events of an SSE answer, decoded incrementally as they stream in. */
export async function readEventStream(response: Response): Promise<ResponseStreamEvent[]> {
  const decoder = new SseDecoder();
  const text = new TextDecoder();
  const events: ResponseStreamEvent[] = [];
  if (response.body === null) return events;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    for (const event of decoder.push(text.decode(chunk, { stream: true }))) {
      const parsed = ResponseStreamEvent.parse(JSON.parse(event.data));
      if (parsed.type !== event.event)
        throw new Error(`event line ${event.event} names another type than ${parsed.type}`);
      events.push(parsed);
    }
  }
  return events;
}

/** The assistant text of the completed Response's `output` (`undefined`: no `response.completed`). */
export function completedText(events: readonly ResponseStreamEvent[]): string | undefined {
  const completed = events.find((event) => event.type === 'response.completed');
  if (completed === undefined) return undefined;
  const answer = new ResponseTextAccumulator();
  answer.add(completed);
  return answer.finish().text;
}

/** A WebSocket handshake's outcome: an open socket, or the HTTP answer that refused it. */
export type HandshakeOutcome =
  | { kind: 'open'; socket: WebSocket }
  | { kind: 'refused'; status: number; body: string; headers: Record<string, string | string[] | undefined> }
  | { kind: 'error'; error: Error };

export function connectWebSocket(
  websocketUrl: string,
  authorization?: string,
  extraHeaders: Record<string, string> = {},
): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(websocketUrl, {
      headers: authorization === undefined ? extraHeaders : { ...extraHeaders, authorization },
    });
    socket.once('open', () => {
      resolve({ kind: 'open', socket });
    });
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({
          kind: 'refused',
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: response.headers,
        });
        socket.terminate();
      });
    });
    socket.once('error', (error) => {
      resolve({ kind: 'error', error });
    });
  });
}

/** `completedText` of WebSocket frames (each parsed as a stream event). */
export function completedFrameText(frames: readonly unknown[]): string | undefined {
  return completedText(frames.map((frame) => ResponseStreamEvent.parse(frame)));
}

/** Sends `response.create` and collects frames until a terminal event (or an `error` frame). */
export function createResponseOverWebSocket(socket: WebSocket, input: unknown): Promise<unknown[]> {
  return collectFrames(socket, JSON.stringify({ type: 'response.create', model: 'test-model', input }));
}

export function collectFrames(socket: WebSocket, frame: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const frames: unknown[] = [];
    const onMessage = (data: Buffer): void => {
      let value: unknown;
      try {
        value = JSON.parse(data.toString('utf8'));
      } catch {
        value = { unparsable: data.toString('utf8') };
      }
      frames.push(value);
      const type = (value as { type?: unknown }).type;
      if (type === 'response.completed' || type === 'response.failed' || type === 'error' || type === undefined) {
        socket.off('message', onMessage);
        resolve(frames);
      }
    };
    socket.on('message', onMessage);
    socket.once('close', () => {
      reject(new Error('socket closed before the answer completed'));
    });
    socket.send(frame);
  });
}

/** Resolves with the close code and reason once the socket closes. */
export function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    socket.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString('utf8') });
    });
  });
}
