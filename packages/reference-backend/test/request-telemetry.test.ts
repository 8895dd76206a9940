import { TelemetryCapture } from '@agent-identity/telemetry-capture';
import { describe, expect, it } from 'vitest';
import { startReferenceBackend } from '../src/index.js';
import { postResponses, readEventStream, registerAgentWithTask } from './protocol-client.js';
import { alice } from './test-users.js';

describe('request telemetry (OpenTelemetry SDK, in-memory exporters)', () => {
  it('a span per request with its method, route template and status; verification nested in it', async () => {
    const capture = new TelemetryCapture();
    const backend = await startReferenceBackend({ users: [alice], telemetry: capture.options });
    try {
      const agent = await registerAgentWithTask(backend.url, alice.accessToken);
      await readEventStream(await postResponses(backend.responsesUrl, agent.assertion(), 'hello'));
      expect((await postResponses(backend.responsesUrl, undefined, 'hello')).status).toBe(401);
      expect((await fetch(`${backend.url}/nowhere/${agent.taskId}`)).status).toBe(404);

      const requests = capture
        .trees()
        .map((span) => [
          span.name,
          span.attributes['http.request.method'],
          span.attributes['http.route'],
          span.attributes['http.response.status_code'],
          span.children.map((child) => child.name),
        ]);
      expect(requests).toEqual([
        ['agent_identity.backend.request', 'GET', '/authenticate_app_v2', 200, []],
        ['agent_identity.backend.request', 'POST', '/v1/agent/register', 200, []],
        ['agent_identity.backend.request', 'GET', '/authenticate_app_v2', 200, []],
        [
          'agent_identity.backend.request',
          'POST',
          '/v1/agent/{agentRuntimeId}/task/register',
          200,
          ['agent_identity.verifier.verify'],
        ],
        ['agent_identity.backend.request', 'POST', '/v1/responses', 200, ['agent_identity.verifier.verify']],
        ['agent_identity.backend.request', 'POST', '/v1/responses', 401, []],
        // no route matched: no route attribute, and never the path (it may hold ids)
        ['agent_identity.backend.request', 'GET', undefined, 404, []],
      ]);
      expect(await capture.secretShapedAttributes()).toEqual([]);
    } finally {
      await backend.close();
    }
  });
});
