import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PROTOCOL_PROFILE_NAMES, type ProtocolProfileName } from '@agent-identity/core';
import { DEFAULT_AUTHAPI_BASE_URL, DEFAULT_BACKEND_BASE_URL, redactUrlCredentials } from '@agent-identity/protocol';
import { usageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { resolveCodexHome } from './codex-home.js';
import { Output } from './output.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The flags every command takes. */
export const COMMON_OPTIONS = {
  home: { type: 'string' },
  'base-url': { type: 'string' },
  'responses-url': { type: 'string' },
  profile: { type: 'string' },
  'authapi-url': { type: 'string' },
  'no-agent-identity': { type: 'boolean' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  trace: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

export const COMMON_OPTIONS_HELP = `Options of every command:
  --home <dir>            the Codex home: auth.json and sessions/ (default: $CODEX_HOME, else ~/.codex)
  --base-url <url>        the backend (default: ${DEFAULT_BACKEND_BASE_URL})
  --responses-url <url>   the model endpoint's base (default: the base URL)
  --profile <name>        the protocol profile: ${PROTOCOL_PROFILE_NAMES.join(' or ')} (default: codex-0.122)
  --authapi-url <url>     the AuthAPI of the codex-current profile (default: ${DEFAULT_AUTHAPI_BASE_URL})
  --no-agent-identity     use Bearer auth: no registration, no session_state lines
  --json                  machine-readable output on stdout
  --debug                 the runtime's debug log, and stack traces on failure (also: AGENT_IDENTITY_DEBUG=1)
  --trace                 a compact tree of the spans of what the command did, on stderr (for bug reports)
  -h, --help              this help
`;

/** The settings the common flags resolve to. */
export interface CommonSettings {
  readonly home: string;
  /** Whether `--home` was given (else `$CODEX_HOME` or `~/.codex`). */
  readonly homeGiven: boolean;
  readonly baseUrl: string;
  /** Whether `--base-url` was given. */
  readonly baseUrlGiven: boolean;
  readonly responsesBase: string;
  /** `--profile`: which protocol profile the runtime speaks. */
  readonly profile: ProtocolProfileName;
  /** `--authapi-url`: the `codex-current` profile's AuthAPI base. */
  readonly authApiUrl: string;
  readonly useAgentIdentity: boolean;
  readonly json: boolean;
  readonly debug: boolean;
  readonly trace: boolean;
}

/** One parsed command line. */
export interface Invocation {
  readonly settings: CommonSettings;
  /** The positional arguments after the command name. */
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly io: CliIo;
  readonly output: Output;
}

export interface Command {
  readonly name: string;
  /** One line for the main help. */
  readonly summary: string;
  /** The command's `--help`. */
  readonly usage: string;
  /** Flags beyond the common ones. */
  readonly options: OptionsConfig;
  /** Whether `--json` progress lines go to stderr (long commands) or are dropped. */
  readonly progressInJsonMode?: boolean;
  /** Runs the command; resolves to its exit code. Throws `CliError` (or any error) on failure. */
  run(invocation: Invocation): Promise<number>;
}

/** `--help`, or the invocation of `command` with `args`. Throws a `USAGE` `CliError`. */
export function parseInvocation(command: Command, args: readonly string[], io: CliIo): Invocation | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageError(`${command.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  if (flags.help === true) return 'help';

  const baseUrl = httpUrlFlag(flags, 'base-url') ?? DEFAULT_BACKEND_BASE_URL;
  const json = flags.json === true;
  const settings: CommonSettings = {
    home: resolveCodexHome(stringFlag(flags, 'home'), io.env),
    homeGiven: stringFlag(flags, 'home') !== undefined,
    baseUrl,
    baseUrlGiven: flags['base-url'] !== undefined,
    responsesBase: httpUrlFlag(flags, 'responses-url') ?? baseUrl,
    profile: profileFlag(flags),
    authApiUrl: httpUrlFlag(flags, 'authapi-url') ?? DEFAULT_AUTHAPI_BASE_URL,
    useAgentIdentity: flags['no-agent-identity'] !== true,
    json,
    debug: flags.debug === true || debugByEnvironment(io.env),
    trace: flags.trace === true,
  };
  const output = new Output(io, { json, progressInJsonMode: command.progressInJsonMode ?? false });
  return { settings, positionals: parsed.positionals, flags, io, output };
}

/** `AGENT_IDENTITY_DEBUG=1` (or `true`) turns on `--debug` without changing the command line. */
export function debugByEnvironment(env: NodeJS.ProcessEnv): boolean {
  const value = env.AGENT_IDENTITY_DEBUG;
  return value === '1' || value === 'true';
}

export function stringFlag(flags: Invocation['flags'], name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** Exactly `count` positional arguments, named in the error when they are not there. */
export function requirePositionals(invocation: Invocation, names: readonly string[], commandLine: string): string[] {
  const { positionals } = invocation;
  if (positionals.length < names.length) {
    throw usageError(
      `${commandLine}: missing ${names
        .slice(positionals.length)
        .map((name) => `<${name}>`)
        .join(' ')}`,
    );
  }
  if (positionals.length > names.length) {
    throw usageError(`${commandLine}: unexpected argument ${JSON.stringify(positionals[names.length])}`);
  }
  return [...positionals];
}

function profileFlag(flags: Invocation['flags']): ProtocolProfileName {
  const value = stringFlag(flags, 'profile') ?? 'codex-0.122';
  const profile = PROTOCOL_PROFILE_NAMES.find((name) => name === value);
  if (profile === undefined) {
    throw usageError(`--profile must be ${PROTOCOL_PROFILE_NAMES.join(' or ')}, got ${JSON.stringify(value)}`);
  }
  return profile;
}

function httpUrlFlag(flags: Invocation['flags'], name: string): string | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  const shown = JSON.stringify(redactUrlCredentials(value));
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`--${name} must be an absolute URL, got ${shown}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`--${name} must be an http(s) URL, got ${shown}`);
  }
  // fetch cannot send them: every request would fail, its error echoing them
  if (url.username !== '' || url.password !== '') {
    throw usageError(`--${name} must not carry credentials (user:password@), got ${shown}`);
  }
  return value;
}
