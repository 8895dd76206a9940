/** Where report lines go: stdout in the commands, an array in tests. */
export type LineWriter = (line: string) => void;

export const writeToStdout: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * One line per package per check (`ok`/`FAIL`), the problems indented under a failure, and a
 * closing count. A check that throws is a failure with the error as its problem.
 */
export class CheckReport {
  private passed = 0;
  private failed = 0;
  private readonly nameWidth: number;
  private readonly startedAt: number;

  /**
   * @param packageNames every name a line will show, to align the columns
   * @param write where lines go
   * @param now a clock in milliseconds, for the time each `run` took
   */
  constructor(
    packageNames: readonly string[],
    private readonly write: LineWriter = writeToStdout,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.nameWidth = Math.max(0, ...packageNames.map((name) => name.length));
    this.startedAt = now();
  }

  get hasFailures(): boolean {
    return this.failed > 0;
  }

  /** Records a check's problems (empty: it passed) with an optional note shown on success. */
  record(packageName: string, check: string, problems: readonly string[], note = ''): void {
    const ok = problems.length === 0;
    if (ok) this.passed += 1;
    else this.failed += 1;
    const suffix = ok && note !== '' ? `  (${note})` : '';
    this.write(`${ok ? 'ok  ' : 'FAIL'}  ${packageName.padEnd(this.nameWidth)}  ${check}${suffix}`);
    for (const problem of problems) this.write(`        - ${problem.replaceAll('\n', '\n          ')}`);
  }

  /** Runs a check and records its result with the time it took; answers whether it passed. */
  async run(packageName: string, check: string, problemsOf: () => Promise<readonly string[]>): Promise<boolean> {
    const startedAt = this.now();
    let problems: readonly string[];
    try {
      problems = await problemsOf();
    } catch (error) {
      problems = [error instanceof Error ? error.message : String(error)];
    }
    this.record(packageName, check, problems, `${((this.now() - startedAt) / 1000).toFixed(1)} s`);
    return problems.length === 0;
  }

  note(packageName: string, text: string): void {
    this.write(`skip  ${packageName.padEnd(this.nameWidth)}  ${text}`);
  }

  /**
   * Writes the time since the report was made, then the closing line alone in the plain
   * `label: N passed, N failed` form CI logs are read for; answers the process exit code.
   */
  close(label: string): number {
    this.write(`${label} took ${((this.now() - this.startedAt) / 1000).toFixed(1)} s`);
    this.write(`${label}: ${this.passed} passed, ${this.failed} failed`);
    return this.hasFailures ? 1 : 0;
  }
}
