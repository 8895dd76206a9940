import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { toUnionAgentIdentityRecord, type AgentIdentityRecord } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FileIdentityStore } from '../src/stores/file-identity-store.js';
import goldenVectors from './fixtures/golden-vectors.json' with { type: 'json' };
import { useTempFolder } from './temp-folder.js';

/*
 * What each Codex generation requires of the `agent_identity` record, written here independently
 * of protocol's schemas (checked by running `codex login status` of @openai/codex 0.122.0 and
 * 0.171.0 on hand-written homes): a record missing one of these makes that Codex fail to parse the
 * whole auth file, and the user appears logged out. Each Codex keeps only its own fields when it
 * rewrites the record, so each must find a complete set in the subset it keeps.
 */
const codex0122Requires = z.strictObject({
  workspace_id: z.string(),
  chatgpt_user_id: z.string().nullable().optional(),
  agent_runtime_id: z.string(),
  agent_private_key: z.string(),
  registered_at: z.string(),
});

const codex0171Requires = z.strictObject({
  agent_runtime_id: z.string(),
  agent_private_key: z.string(),
  account_id: z.string(),
  chatgpt_user_id: z.string(), // null or absent: "invalid credential JSON"
  email: z.string().nullable().optional(),
  plan_type: z.string(), // null or absent: "invalid credential JSON"
  chatgpt_account_is_fedramp: z.boolean(), // absent: "invalid credential JSON"
  task_id: z.string().nullable().optional(),
});

/** The keys of `record` that a Codex with `schema` keeps when it rewrites the record. */
function subsetFor(schema: z.ZodObject, record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key in schema.shape));
}

const text = fc.string({ maxLength: 12 });
const unknownKeys = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }).map((key) => `x_${key}`),
  // as a JSON file holds them: JSON has no -0 (fast-check's jsonValue can give one)
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown),
  { maxKeys: 3 },
);

const account = fc.string({ minLength: 1, maxLength: 12 });
const key = fc.constantFrom(goldenVectors.pkcs8_v2_base64, goldenVectors.pkcs8_v1_base64);

/** A record as Codex 0.122 writes it. */
const codex0122Shape = fc.record(
  {
    workspace_id: account,
    chatgpt_user_id: fc.option(text, { nil: null }),
    agent_runtime_id: text,
    agent_private_key: key,
    registered_at: text,
  },
  { requiredKeys: ['workspace_id', 'agent_runtime_id', 'agent_private_key', 'registered_at'] },
);

/** A record as a current Codex writes it. */
const codexCurrentShape = fc.record(
  {
    agent_runtime_id: text,
    agent_private_key: key,
    account_id: account,
    chatgpt_user_id: text,
    email: fc.option(text, { nil: null }),
    plan_type: text,
    chatgpt_account_is_fedramp: fc.boolean(),
    task_id: fc.option(text, { nil: null }),
  },
  {
    requiredKeys: [
      'agent_runtime_id',
      'agent_private_key',
      'account_id',
      'chatgpt_user_id',
      'plan_type',
      'chatgpt_account_is_fedramp',
    ],
  },
);

/** A record as we write it (the union), possibly from an earlier run. */
const unionShape = fc
  .tuple(codex0122Shape, codexCurrentShape)
  .map(([old, current]) => toUnionAgentIdentityRecord({ ...current, ...old, account_id: old.workspace_id }));

const anyShape = fc
  .tuple(fc.oneof(codex0122Shape, codexCurrentShape, unionShape), unknownKeys)
  .map(([record, extra]) => ({ ...extra, ...record }));

const folder = useTempFolder();

describe('property: any record shape round-trips through the file store into the union', () => {
  it('load gives the union, save writes it, both Codex subsets of the written record parse, unknown keys survive', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(anyShape, unknownKeys, async (record, topLevel) => {
        run += 1;
        const path = join(folder.path, `auth-${run}.json`);
        await writeFile(path, JSON.stringify({ ...topLevel, agent_identity: record }));
        const store = new FileIdentityStore({ path });

        const loaded = await store.load();
        expect(loaded).toBeDefined();
        await store.save(loaded!);
        const file = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
        const written = file.agent_identity as AgentIdentityRecord;

        // the union: loading what was written gives the same record again (a fixed point)
        expect(await new FileIdentityStore({ path }).load()).toEqual(written);
        // both Codex generations find their required fields in the subset they keep
        codex0122Requires.parse(subsetFor(codex0122Requires, written));
        codex0171Requires.parse(subsetFor(codex0171Requires, written));
        // nothing of the record read is lost: its own values win, unknown keys survive
        for (const [name, value] of Object.entries(record)) {
          if (value !== null) expect(written[name]).toEqual(value);
        }
        expect(written.workspace_id).toBe(written.account_id);
        // other software's top-level keys survive
        for (const [name, value] of Object.entries(topLevel)) expect(file[name]).toEqual(value);
      }),
      { numRuns: 150 },
    );
  });
});
