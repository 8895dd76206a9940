import { describe, expect, it } from 'vitest';
import {
  AgentIdentityRecord,
  AuthFileError,
  Codex0122AgentIdentityRecord,
  CodexCurrentAgentIdentityRecord,
  DEFAULT_PLAN_TYPE,
  parseAgentIdentityRecord,
  toUnionAgentIdentityRecord,
  UNKNOWN_REGISTERED_AT,
} from '../src/index.js';
import { thrownBy } from './thrown-by.js';

const KEY = 'MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH';

const codex0122 = {
  workspace_id: 'account-1',
  agent_runtime_id: 'agent-1',
  agent_private_key: KEY,
  registered_at: '2026-04-19T22:45:28Z',
};

const codexCurrent = {
  agent_runtime_id: 'agent-1',
  agent_private_key: KEY,
  account_id: 'account-1',
  chatgpt_user_id: 'user-1',
  email: 'a@example.com',
  plan_type: 'pro',
  chatgpt_account_is_fedramp: true,
  task_id: 'task-1',
};

describe('toUnionAgentIdentityRecord (CODEX-CURRENT: write the union)', () => {
  it('a 0.122 record gains the current fields: account_id, "" user and email, the fill or default plan, FedRAMP false', () => {
    expect(toUnionAgentIdentityRecord(codex0122)).toEqual({
      ...codex0122,
      chatgpt_user_id: '',
      account_id: 'account-1',
      email: '',
      plan_type: DEFAULT_PLAN_TYPE,
      chatgpt_account_is_fedramp: false,
    });
    expect(
      toUnionAgentIdentityRecord(codex0122, { email: 'e@x', planType: 'plus', chatgptAccountIsFedramp: true }),
    ).toMatchObject({
      email: 'e@x',
      plan_type: 'plus',
      chatgpt_account_is_fedramp: true,
    });
  });

  it('a current record gains workspace_id and an unknown registered_at; its own values beat the fill', () => {
    const union = toUnionAgentIdentityRecord(codexCurrent, {
      email: 'other@x',
      planType: 'free',
      chatgptAccountIsFedramp: false,
    });
    expect(union).toEqual({ ...codexCurrent, workspace_id: 'account-1', registered_at: UNKNOWN_REGISTERED_AT });
  });

  it('keeps unknown keys and the key order, and drops a null task_id', () => {
    const union = toUnionAgentIdentityRecord({ x_first: 1, ...codexCurrent, task_id: null, x_last: { a: [1] } });
    expect(Object.keys(union)).toEqual([
      'x_first',
      ...Object.keys(codexCurrent).filter((key) => key !== 'task_id'),
      'x_last',
      'workspace_id',
      'registered_at',
    ]);
    expect(union).not.toHaveProperty('task_id');
  });

  it('the union parses as the union and as each Codex shape', () => {
    for (const record of [codex0122, codexCurrent]) {
      const union = toUnionAgentIdentityRecord(record);
      expect(AgentIdentityRecord.safeParse(union).success).toBe(true);
      expect(Codex0122AgentIdentityRecord.safeParse(union).success).toBe(true);
      expect(CodexCurrentAgentIdentityRecord.safeParse(union).success).toBe(true);
    }
  });
});

describe('parseAgentIdentityRecord', () => {
  it('reads the 0.122 shape, the current shape and the union', () => {
    expect(parseAgentIdentityRecord(codex0122)).toBe(codex0122);
    expect(parseAgentIdentityRecord(codexCurrent)).toBe(codexCurrent);
    const union = toUnionAgentIdentityRecord(codexCurrent);
    expect(parseAgentIdentityRecord(union)).toBe(union);
  });

  it('needs the account under one name, and both names to agree', () => {
    const { workspace_id: _, ...noAccount } = codex0122;
    expect(thrownBy(() => parseAgentIdentityRecord(noAccount))).toMatchObject({ path: 'agent_identity.workspace_id' });
    const disagreeing = { ...codexCurrent, workspace_id: 'account-2' };
    const error = thrownBy(() => parseAgentIdentityRecord(disagreeing));
    expect(AuthFileError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      path: 'agent_identity.account_id',
      message: 'auth file: field agent_identity.account_id must equal workspace_id',
    });
  });

  it('never echoes the key', () => {
    const error = thrownBy(() => parseAgentIdentityRecord({ ...codexCurrent, chatgpt_account_is_fedramp: KEY }));
    expect((error as Error).message).not.toContain(KEY);
  });
});
