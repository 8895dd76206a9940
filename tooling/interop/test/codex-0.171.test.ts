import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { runAgentCliJson } from './support/agent-cli-process.js';
import { killRunningChildren } from './support/child-run.js';
import { CodexBed } from './support/codex-bed.js';
import { answered, sessionOf } from './support/codex-answer.js';

afterEach(async () => {
  killRunningChildren();
  await closeRuntimeBeds();
});

/** Registrations the backend took on each profile's routes (CODEX-CURRENT.md: the AuthAPI is today's). */
function registrations(bed: CodexBed): unknown {
  return bed.counters().registrationsByProfile;
}

describe('Codex CLI 0.171 against the reference backend', () => {
  it('starts and reads the ChatGPT login: `codex login status` succeeds', async () => {
    const bed = await CodexBed.open('0.171');

    const status = await bed.loginStatus();

    expect(status.code, status.stderr).toBe(0);
    expect(`${status.stdout}${status.stderr}`).toContain('Logged in using ChatGPT');
  });

  it('reads a home agent-cli registered an identity in (issue 19: the record every Codex reads)', async () => {
    const bed = await CodexBed.open('0.171');
    await runAgentCliJson(['identity', 'ensure'], { home: bed.home, baseUrl: bed.backend.baseUrl });

    const status = await bed.loginStatus();

    expect(status.code, status.stderr).toBe(0);
    expect(`${status.stdout}${status.stderr}`).toContain('Logged in using ChatGPT');
  });

  it('registers an identity (bearer, AuthAPI) and a task, and its turn is answered with the echo and no ERROR line', async () => {
    const bed = await CodexBed.open('0.171');

    const run = await bed.exec('say hello');

    const { agent, task } = answered(run, 'say hello');
    expect(registrations(bed)).toEqual({
      'codex-0.122': { agents: 0, tasks: 0 },
      'codex-current': { agents: 1, tasks: 1 },
    });
    expect((await bed.backend.admin.tasks()).map((record) => [record.agentRuntimeId, record.taskId])).toEqual([
      [agent, task],
    ]);
    const turns = bed.backend.admin.requests().filter((request) => request.path === '/backend-api/v1/responses');
    expect(turns).toEqual([expect.objectContaining({ auth: 'agent_assertion', taskId: task, accountIdHeader: true })]);
  });

  it('a second `codex exec` and a resume register nothing: one task per identity', async () => {
    const bed = await CodexBed.open('0.171');
    const first = await bed.exec('first thread');
    const identity = answered(first, 'first thread');

    const second = answered(await bed.exec('second thread'), 'second thread');
    const resumed = answered(await bed.resume(sessionOf(first), 'first thread again'), 'first thread again');

    expect(second).toEqual(identity);
    expect(resumed).toEqual(identity);
    expect(registrations(bed)).toEqual({
      'codex-0.122': { agents: 0, tasks: 0 },
      'codex-current': { agents: 1, tasks: 1 },
    });
  });

  it("drives a turn with a JWT identity from the backend's JWKS (CODEX_ACCESS_TOKEN): no identity registration", async () => {
    const bed = await CodexBed.open('0.171');
    const { jwt, agentRuntimeId } = await bed.backend.admin.mintIdentityJwt();

    const { agent, task } = answered(
      await bed.exec('hello as a JWT identity', '0.171', { CODEX_ACCESS_TOKEN: jwt }),
      'hello as a JWT identity',
    );

    expect(agent).toBe(agentRuntimeId);
    // The task is not stored in this mode (CODEX-CURRENT.md): Codex 0.171 registers one per backend call it makes (4 per `exec`).
    expect(registrations(bed)).toMatchObject({
      'codex-0.122': { agents: 0, tasks: 0 },
      'codex-current': { agents: 0 },
    });
    expect((await bed.backend.admin.tasks()).map((record) => record.taskId)).toContain(task);
    expect(await readFile(join(bed.home, 'auth.json'), 'utf8')).not.toContain(jwt);
  });
});
