import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USER } from '@agent-identity/reference-backend';
import { writeDemoLogin } from '../../src/demo/demo-login.js';

/** A temporary Codex home, removed on dispose. */
export interface TempHome extends AsyncDisposable {
  readonly path: string;
  readonly authFile: string;
}

export async function tempHome(): Promise<TempHome> {
  const path = await mkdtemp(join(tmpdir(), 'agent-cli-test-'));
  return {
    path,
    authFile: join(path, 'auth.json'),
    [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }),
  };
}

/** A Codex home where the reference backend's demo user is logged in (Codex's `auth.json`). */
export async function loggedInHome(): Promise<TempHome> {
  const home = await tempHome();
  await writeDemoLogin(home.path, DEMO_USER, Date.now());
  return home;
}
