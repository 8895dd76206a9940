import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  agentIdentityJwtOf,
  AuthFileError,
  type AuthFileErrorReason,
  parseAgentIdentityRecord,
  parseAuthFile,
  parseAuthFileDocument,
  parseAuthFileObject,
  serializeAuthFile,
} from '../src/index.js';
import { thrownBy } from './thrown-by.js';

const PRIVATE_KEY =
  'MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=';
const ACCESS_TOKEN = 'eyJ-secret-access-token';

// As Codex writes it (serde_json::to_string_pretty), plus keys from other software and a newer record.
const codexAuthFile = `{
  "OPENAI_API_KEY": null,
  "tokens": {
    "id_token": "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyIn0.sig",
    "access_token": "${ACCESS_TOKEN}",
    "refresh_token": "secret-refresh-token",
    "account_id": "account-123"
  },
  "last_refresh": "2026-04-19T22:40:00.123456Z",
  "agent_identity": {
    "workspace_id": "account-123",
    "chatgpt_user_id": "user-123",
    "agent_runtime_id": "agent-123",
    "agent_private_key": "${PRIVATE_KEY}",
    "registered_at": "2026-04-19T22:45:28Z",
    "background_task_id": "bg-1"
  },
  "some_other_tool": {
    "nested": [
      1,
      {
        "deep": true
      }
    ],
    "empty": {},
    "list": []
  }
}`;

function rejection(text: string, reason: AuthFileErrorReason): AuthFileError {
  const error = thrownBy(() => parseAuthFile(text));
  expect(AuthFileError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ code: 'AUTH_FILE_INVALID', reason });
  return error as AuthFileError;
}

function withRecord(record: Record<string, unknown>): string {
  return JSON.stringify({ agent_identity: record });
}

const validRecord = {
  workspace_id: 'account-123',
  agent_runtime_id: 'agent-123',
  agent_private_key: PRIVATE_KEY,
  registered_at: '2026-04-19T22:45:28Z',
};

describe('parseAuthFile and serializeAuthFile', () => {
  it('round-trips a Codex auth file byte for byte, unknown keys included', () => {
    expect(serializeAuthFile(parseAuthFile(codexAuthFile))).toBe(codexAuthFile);
  });

  it('keeps unknown top-level keys and unknown record keys after the record is replaced', () => {
    const document = parseAuthFile(codexAuthFile);
    const rewritten = serializeAuthFile({
      ...document,
      agent_identity: { ...(document.agent_identity as object), agent_runtime_id: 'agent-456' },
    });
    const reparsed = parseAuthFile(rewritten);
    expect(reparsed.agent_identity).toMatchObject({ agent_runtime_id: 'agent-456', background_task_id: 'bg-1' });
    expect(reparsed.some_other_tool).toEqual({ nested: [1, { deep: true }], empty: {}, list: [] });
    expect(reparsed.tokens?.access_token).toBe(ACCESS_TOKEN);
  });

  it('writes no trailing newline', () => {
    expect(serializeAuthFile({ OPENAI_API_KEY: 'sk-x' }).endsWith('}')).toBe(true);
  });

  it('accepts API-key auth, a null record, and a record without chatgpt_user_id or with null', () => {
    expect(parseAuthFile('{"OPENAI_API_KEY":"sk-test"}').tokens).toBeUndefined();
    expect(parseAuthFile('{"tokens":null,"agent_identity":null}').agent_identity).toBeNull();
    expect(parseAuthFile(withRecord(validRecord)).agent_identity).not.toHaveProperty('chatgpt_user_id');
    expect(parseAuthFile(withRecord({ ...validRecord, chatgpt_user_id: null })).agent_identity).toHaveProperty(
      'chatgpt_user_id',
      null,
    );
  });

  it('accepts the JWT form: agent_identity a string with auth_mode "agentIdentity" (and only then)', () => {
    const jwtForm = JSON.stringify({ auth_mode: 'agentIdentity', agent_identity: 'h.p.s' });
    expect(agentIdentityJwtOf(parseAuthFile(jwtForm))).toBe('h.p.s');
    expect(agentIdentityJwtOf(parseAuthFile(codexAuthFile))).toBeUndefined();
    expect(
      thrownBy(() => parseAuthFile(JSON.stringify({ auth_mode: 'chatgpt', agent_identity: 'h.p.s' }))),
    ).toMatchObject({
      reason: 'invalid_field',
      path: 'agent_identity',
    });
  });

  it('returns the parsed object itself (key order kept)', () => {
    const text = '{"zeta":1,"agent_identity":null,"alpha":2}';
    expect(Object.keys(parseAuthFile(text))).toEqual(['zeta', 'agent_identity', 'alpha']);
  });
});

describe('malformed auth files', () => {
  it('not_json, without the JSON.parse message that quotes the input', () => {
    const error = rejection(`{"tokens":{"access_token":"${ACCESS_TOKEN}"`, 'not_json');
    expect(error.message).toBe('auth file: is not valid JSON');
    expect(error.cause).toBeUndefined();
    rejection('', 'not_json');
  });

  it('not_object', () => {
    for (const text of ['[]', 'null', '"sk-test"', '3']) rejection(text, 'not_object');
  });

  it('invalid_field names the path and never the value', () => {
    const cases: [string, string][] = [
      [JSON.stringify({ tokens: { id_token: 'x', access_token: 42 } }), 'tokens.access_token'],
      [JSON.stringify({ tokens: { access_token: ACCESS_TOKEN } }), 'tokens.id_token'],
      [JSON.stringify({ tokens: ACCESS_TOKEN }), 'tokens'],
      [JSON.stringify({ OPENAI_API_KEY: 12345 }), 'OPENAI_API_KEY'],
      [withRecord({ ...validRecord, agent_private_key: 7 }), 'agent_identity.agent_private_key'],
      [withRecord({ ...validRecord, workspace_id: undefined }), 'agent_identity.workspace_id'],
      [withRecord({ ...validRecord, chatgpt_user_id: 5 }), 'agent_identity.chatgpt_user_id'],
      [withRecord({ ...validRecord, registered_at: 1_776_638_728 }), 'agent_identity.registered_at'],
      [JSON.stringify({ agent_identity: PRIVATE_KEY }), 'agent_identity'],
    ];
    for (const [text, path] of cases) {
      const error = rejection(text, 'invalid_field');
      expect(error.path).toBe(path);
      expect(error.message).toContain(`field ${path} must be`);
      expect(error.message).not.toContain(ACCESS_TOKEN);
      expect(error.message).not.toContain(PRIVATE_KEY);
      expect(error.message).not.toContain('12345');
    }
  });
});

describe('parseAuthFileDocument and parseAgentIdentityRecord', () => {
  it('reads a file whose record is broken, so a store can delete just the record', () => {
    const text = JSON.stringify({ tokens: { id_token: 'x', access_token: 'y' }, agent_identity: { workspace_id: 1 } });
    const document = parseAuthFileDocument(text);
    expect(document.tokens?.access_token).toBe('y');
    expect(() => parseAgentIdentityRecord(document.agent_identity)).toThrow(AuthFileError);
    const { agent_identity: _broken, ...rest } = document;
    expect(parseAuthFile(serializeAuthFile(rest))).toEqual({ tokens: { id_token: 'x', access_token: 'y' } });
  });

  it('still checks the fields other than agent_identity', () => {
    expect(() => parseAuthFileDocument('{"tokens":{"id_token":1}}')).toThrow(AuthFileError);
  });

  it('parseAgentIdentityRecord returns the record itself, unknown keys included', () => {
    const record = { ...validRecord, background_task_id: 'bg' };
    expect(parseAgentIdentityRecord(record)).toBe(record);
  });
});

describe('parseAuthFileObject', () => {
  it('accepts any JSON object, whatever another program keeps in it, and returns it as parsed', () => {
    const text = JSON.stringify({ tokens: { id_token: 1, future: true }, OPENAI_API_KEY: 42, agent_identity: 'x' });
    expect(serializeAuthFile(parseAuthFileObject(text))).toBe(JSON.stringify(JSON.parse(text), null, 2));
  });

  it('still rejects what is not a JSON object', () => {
    expect(thrownBy(() => parseAuthFileObject('{'))).toMatchObject({ code: 'AUTH_FILE_INVALID', reason: 'not_json' });
    expect(thrownBy(() => parseAuthFileObject('[]'))).toMatchObject({
      code: 'AUTH_FILE_INVALID',
      reason: 'not_object',
    });
  });
});

describe('parseAuthFile properties', () => {
  it('throws only AuthFileError on arbitrary strings and JSON', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc
        .record(
          {
            OPENAI_API_KEY: fc.jsonValue(),
            tokens: fc.jsonValue(),
            agent_identity: fc.jsonValue(),
            other: fc.jsonValue(),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(texts, (text) => {
        try {
          const document = parseAuthFile(text);
          expect(JSON.parse(serializeAuthFile(document))).toEqual(JSON.parse(text));
        } catch (error) {
          expect(AuthFileError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
