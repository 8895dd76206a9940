import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCodexLogin } from '@agent-identity/core';
import { ALICE, RuntimeBed } from '@agent-identity/test-bed';
import { codexBinary, type CodexVersion } from './codex-binary.js';
import { writeCodexConfig } from './codex-config.js';
import { writeBundledModelCatalog } from './codex-model-catalog.js';
import { codexExec, codexResume, runCodex, type CodexPlace, type CodexRun } from './codex-process.js';

/** Where Codex reads its ChatGPT base URL from in these tests: a path like the real one's. */
const pathPrefix = '/backend-api';

/**
 * A test bed for the Codex CLI: the shared bed's reference backend (under `/backend-api`) and home,
 * the home made a Codex home for one release — `config.toml` pointing at the backend, Alice logged
 * in with core's `writeCodexLogin` and the backend's `mintCodexLogin` (so every scenario checks that
 * Codex reads what those helpers write), the binary's bundled
 * model catalog — and an empty working folder. Every
 * command can run another pinned release on the same home (`version`), as a user who upgrades does.
 */
export class CodexBed extends RuntimeBed {
  #version: CodexVersion = '0.122';

  /** Starts a bed whose Codex home is set up for Codex `version` (its binary must be installed). */
  static async open(version: CodexVersion): Promise<CodexBed> {
    const binary = codexBinary(version);
    const bed = await CodexBed.start({ backend: { pathPrefix } });
    bed.#version = version;
    await mkdir(bed.place.workdir);
    const modelCatalogPath = join(bed.home, 'model-catalog.json');
    await writeBundledModelCatalog(binary, bed.place, modelCatalogPath);
    await writeCodexConfig(bed.home, { version, baseUrl: bed.backend.baseUrl, modelCatalogPath });
    await writeCodexLogin({ codexHome: bed.home, tokens: bed.backend.admin.mintCodexLogin({ userId: ALICE.userId }) });
    return bed;
  }

  get place(): CodexPlace {
    return { home: this.home, workdir: join(this.home, 'work') };
  }

  /** `codex exec`: one turn in a new thread; `env` adds to Codex's environment (e.g. `CODEX_ACCESS_TOKEN`). */
  exec(prompt: string, version = this.#version, env: NodeJS.ProcessEnv = {}): Promise<CodexRun> {
    return codexExec(codexBinary(version), this.place, prompt, { ...this.#environment(version), ...env });
  }

  /** `codex exec resume`: one more turn in thread `sessionId`. */
  resume(sessionId: string, prompt: string, version = this.#version): Promise<CodexRun> {
    return codexResume(codexBinary(version), this.place, sessionId, prompt, this.#environment(version));
  }

  /** Registrations the backend took (both profiles' routes), and downstream requests it accepted with an assertion. */
  registrations(): { agents: number; tasks: number; assertions: number } {
    const counters = this.counters();
    const assertions = this.backend.admin.requests().filter((request) => request.auth === 'agent_assertion').length;
    return { agents: counters.agentRegistrations, tasks: counters.taskRegistrations, assertions };
  }

  /** `codex login status`: exit 0 and "Logged in using ChatGPT" when Codex can read `auth.json`. */
  loginStatus(version = this.#version): Promise<CodexRun> {
    return runCodex(codexBinary(version), ['login', 'status'], this.place, this.#environment(version));
  }

  /**
   * Today's Codex accepts a local agent-identity backend only when both variables name it
   * (CODEX-CURRENT.md, "Pointing a current Codex at a local backend"): the AuthAPI base it
   * registers at, and the JWKS base, which must be exactly `chatgpt_base_url` without its slash.
   */
  #environment(version: CodexVersion): NodeJS.ProcessEnv {
    if (version === '0.122') return {};
    const base = this.backend.baseUrl;
    return { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: this.backend.authApiUrl, CODEX_AGENT_IDENTITY_JWKS_BASE_URL: base };
  }
}
