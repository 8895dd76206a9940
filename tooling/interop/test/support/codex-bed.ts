import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ALICE, RuntimeBed } from '@agent-identity/test-bed';
import { codexBinary, type CodexBinary, type CodexVersion } from './codex-binary.js';
import { writeCodexConfig } from './codex-config.js';
import { writeCodexLogin } from './codex-login.js';
import { writeBundledModelCatalog } from './codex-model-catalog.js';
import { codexExec, codexResume, runCodex, type CodexPlace, type CodexRun } from './codex-process.js';

/** Where Codex reads its ChatGPT base URL from in these tests: a path like the real one's. */
const pathPrefix = '/backend-api';

/** What a started bed is made of: the binary and its environment. */
interface CodexSetup {
  readonly binary: CodexBinary;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * A test bed for the Codex CLI: the shared bed's reference backend (under `/backend-api`) and home,
 * the home made a Codex home — `config.toml` pointing at the backend, Alice logged in in
 * `auth.json`, the binary's bundled model catalog — and an empty working folder.
 */
export class CodexBed extends RuntimeBed {
  #setup: CodexSetup | undefined;

  /** Starts a bed whose Codex home is set up for Codex `version` (the binary must be installed). */
  static async open(version: CodexVersion): Promise<CodexBed> {
    const binary = codexBinary(version);
    const bed = await CodexBed.start({ backend: { pathPrefix } });
    bed.#setup = { binary, env: releaseEnvironment(version, bed.backend.baseUrl) };
    await mkdir(bed.place.workdir);
    const modelCatalogPath = join(bed.home, 'model-catalog.json');
    await writeBundledModelCatalog(binary, bed.place, modelCatalogPath);
    await writeCodexConfig(bed.home, { version, baseUrl: bed.backend.baseUrl, modelCatalogPath });
    await writeCodexLogin(bed.home, ALICE, Date.now());
    return bed;
  }

  get place(): CodexPlace {
    return { home: this.home, workdir: join(this.home, 'work') };
  }

  get #codex(): CodexSetup {
    if (this.#setup === undefined) throw new Error('open a CodexBed with CodexBed.open(version)');
    return this.#setup;
  }

  /** `codex exec`: one turn in a new thread. */
  exec(prompt: string): Promise<CodexRun> {
    return codexExec(this.#codex.binary, this.place, prompt, this.#codex.env);
  }

  /** `codex exec resume`: one more turn in thread `sessionId`. */
  resume(sessionId: string, prompt: string): Promise<CodexRun> {
    return codexResume(this.#codex.binary, this.place, sessionId, prompt, this.#codex.env);
  }

  /** `codex login status`: exit 0 and "Logged in using ChatGPT" when Codex can read `auth.json`. */
  loginStatus(): Promise<CodexRun> {
    return runCodex(this.#codex.binary, ['login', 'status'], this.place, this.#codex.env);
  }
}

/**
 * Today's Codex accepts a local agent-identity backend only when both variables name it
 * (CODEX-CURRENT.md, "Pointing a current Codex at a local backend"): the AuthAPI base it registers
 * at, and the JWKS base, which must be exactly `chatgpt_base_url` without its trailing slash.
 */
function releaseEnvironment(version: CodexVersion, baseUrl: string): NodeJS.ProcessEnv {
  if (version === '0.122') return {};
  return { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: baseUrl, CODEX_AGENT_IDENTITY_JWKS_BASE_URL: baseUrl };
}
