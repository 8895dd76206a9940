import { describe, expect, it } from 'vitest';
import {
  AgentBillOfMaterials,
  AgentIdentityError,
  BISCUIT_REQUEST_ID_PREFIX,
  RegisterAgentRequest,
  RegisterAgentResponse,
  RegisterTaskRequest,
  RegisterTaskResponse,
  agentRegisterUrl,
  biscuitRequestId,
  biscuitUrl,
  buildBillOfMaterials,
  responsesUrl,
  rustOsName,
  taskRegisterUrl,
  taskRegistrationMessage,
} from '../src/index.js';

describe('bill of materials (SPEC §2.4)', () => {
  it('maps Node platforms to Rust os names', () => {
    expect(rustOsName('darwin')).toBe('macos');
    expect(rustOsName('win32')).toBe('windows');
    expect(rustOsName('linux')).toBe('linux');
    expect(rustOsName('freebsd')).toBe('freebsd');
    expect(rustOsName('openbsd')).toBe('openbsd');
  });

  it('builds running_location from the session source and the os', () => {
    const abom = buildBillOfMaterials({
      agentVersion: '0.3.0',
      harnessId: 'codex-cli',
      sessionSource: 'cli',
      platform: 'darwin',
    });
    expect(abom).toEqual({ agent_version: '0.3.0', agent_harness_id: 'codex-cli', running_location: 'cli-macos' });
    expect(JSON.stringify(abom)).toBe(
      '{"agent_version":"0.3.0","agent_harness_id":"codex-cli","running_location":"cli-macos"}',
    );
    expect(AgentBillOfMaterials.parse(abom)).toEqual(abom);
  });

  it('defaults the platform to this process', () => {
    const abom = buildBillOfMaterials({ agentVersion: '1', harnessId: 'h', sessionSource: 'exec' });
    expect(abom.running_location).toBe(`exec-${rustOsName(process.platform)}`);
  });
});

describe('backend URLs', () => {
  it('strip trailing slashes from the base before joining', () => {
    for (const base of [
      'https://chatgpt.com/backend-api',
      'https://chatgpt.com/backend-api/',
      'https://chatgpt.com/backend-api//',
    ]) {
      expect(biscuitUrl(base)).toBe('https://chatgpt.com/backend-api/authenticate_app_v2');
      expect(agentRegisterUrl(base)).toBe('https://chatgpt.com/backend-api/v1/agent/register');
      expect(taskRegisterUrl(base, 'agent-123')).toBe(
        'https://chatgpt.com/backend-api/v1/agent/agent-123/task/register',
      );
      expect(responsesUrl(base)).toBe('https://chatgpt.com/backend-api/v1/responses');
    }
  });

  it('encode the runtime id as a single path segment', () => {
    expect(taskRegisterUrl('http://127.0.0.1:1', '../x/y?z#')).toBe(
      'http://127.0.0.1:1/v1/agent/..%2Fx%2Fy%3Fz%23/task/register',
    );
  });
});

describe('biscuit request id (SPEC §3.2)', () => {
  it('is the prefix and 22 base64url characters of 16 random bytes', () => {
    const id = biscuitRequestId(new Uint8Array(16).fill(0xff));
    expect(id).toBe(`${BISCUIT_REQUEST_ID_PREFIX}_____________________w`);
    expect(id.length - BISCUIT_REQUEST_ID_PREFIX.length).toBe(22);
  });

  it('refuses other byte counts', () => {
    expect(() => biscuitRequestId(new Uint8Array(15))).toThrow(AgentIdentityError);
  });
});

describe('request and response bodies', () => {
  it('task registration signs "{runtime}:{timestamp}"', () => {
    expect(taskRegistrationMessage('agent-123', '2026-03-23T12:00:00Z')).toBe('agent-123:2026-03-23T12:00:00Z');
  });

  it('RegisterAgentRequest has the SPEC §3.3 shape', () => {
    const body = {
      abom: { agent_version: '1', agent_harness_id: 'codex-cli', running_location: 'cli-linux' },
      agent_public_key: 'ssh-ed25519 AAAA',
      capabilities: [],
    };
    expect(RegisterAgentRequest.parse(body)).toEqual(body);
    expect(RegisterAgentRequest.safeParse({ ...body, capabilities: [1] }).success).toBe(false);
  });

  it("RegisterAgentRequest takes the current profile's ttl: null or a positive whole number of seconds", () => {
    const body = {
      abom: { agent_version: '1', agent_harness_id: 'codex-cli', running_location: 'cli-linux' },
      agent_public_key: 'ssh-ed25519 AAAA',
      capabilities: ['responsesapi'],
    };
    expect(RegisterAgentRequest.parse({ ...body, ttl: null })).toEqual({ ...body, ttl: null });
    expect(RegisterAgentRequest.parse({ ...body, ttl: 3600 })).toEqual({ ...body, ttl: 3600 });
    expect(RegisterAgentRequest.safeParse({ ...body, ttl: 0 }).success).toBe(false);
    expect(RegisterAgentRequest.safeParse({ ...body, ttl: '1' }).success).toBe(false);
  });

  it('RegisterAgentResponse requires a non-empty agent_runtime_id and keeps other keys', () => {
    expect(RegisterAgentResponse.parse({ agent_runtime_id: 'a', other: 1 })).toEqual({
      agent_runtime_id: 'a',
      other: 1,
    });
    expect(RegisterAgentResponse.safeParse({ agent_runtime_id: '' }).success).toBe(false);
    expect(RegisterAgentResponse.safeParse({}).success).toBe(false);
  });

  it('RegisterTaskRequest requires a seconds timestamp', () => {
    expect(RegisterTaskRequest.safeParse({ signature: 's', timestamp: '2026-03-23T12:00:00Z' }).success).toBe(true);
    expect(RegisterTaskRequest.safeParse({ signature: 's', timestamp: '2026-03-23T12:00:00.000Z' }).success).toBe(
      false,
    );
  });

  it('RegisterTaskResponse requires encrypted_task_id', () => {
    expect(RegisterTaskResponse.safeParse({ encrypted_task_id: 'AAAA' }).success).toBe(true);
    expect(RegisterTaskResponse.safeParse({ task_id: 'x' }).success).toBe(false);
  });
});
