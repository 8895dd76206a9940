/** Where the CLI writes, what it reads from its environment, and how to run it again. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /**
   * This CLI as a new process: the Node binary and the arguments before the command (Node's own
   * flags — `--import tsx` when running from source — and the entry script).
   */
  readonly self: { readonly execPath: string; readonly args: readonly string[] };
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  self: { execPath: process.execPath, args: [...process.execArgv, process.argv[1] ?? ''] },
};
