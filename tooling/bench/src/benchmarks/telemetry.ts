import { join } from 'node:path';
import { metrics, trace } from '@opentelemetry/api';
import type { TelemetryOptions, TurnAuth } from '@agent-identity/core';
import { TelemetryCapture } from '@agent-identity/telemetry-capture';
import { BackendProcess } from '../backend-process.js';
import type { Benchmark, BenchResult, BenchSettings } from '../bench-result.js';
import { clientRuntime, type ClientRuntime } from '../client-runtime.js';
import { firstTurnMs } from './first-turn.js';
import { measureSideBySide } from '../side-by-side.js';
import { median } from '../statistics.js';
import { TempFolder } from '../temp-folder.js';

/** The three ways a runtime runs: no `telemetry` option, the API's no-op providers, the SDK in memory. */
const MODES = ['none', 'noop', 'sdk'] as const;
type Mode = (typeof MODES)[number];

function telemetryOf(mode: Mode): TelemetryOptions | undefined {
  if (mode === 'none') return undefined;
  // no global provider is registered: the API hands out its no-op tracer and meter
  if (mode === 'noop') return { tracerProvider: trace.getTracerProvider(), meterProvider: metrics.getMeterProvider() };
  return new TelemetryCapture().options;
}

/** A clock that reads the real time during set-up, then moves one second per read: a fresh header each call. */
class SteppingClock {
  #steppedMs: number | undefined;
  readonly now = (): number => {
    if (this.#steppedMs === undefined) return Date.now();
    this.#steppedMs += 1_000;
    return this.#steppedMs;
  };

  startStepping(): void {
    this.#steppedMs = Date.now();
  }
}

/**
 * Figure 11: what tracing costs on the two hot paths — a fresh `AgentAssertion` header of a turn
 * (`turn.auth.headers()` on a new second: no span on this per-request path) and a prewarmed
 * thread's first `beginTurn()` (one span, two metric points) — with the API's no-op providers and
 * with the SDK recording in memory, each beside the same runtime without a `telemetry` option, in
 * the same run. Rounds alternate the three runtimes (each its own identity, one backend).
 */
export const telemetryBenchmark: Benchmark = {
  id: 'telemetry',
  title: 'Tracing overhead',
  async run(settings: BenchSettings): Promise<BenchResult[]> {
    const rounds = settings.quick ? 7 : 21;
    const backend = await BackendProcess.start();
    const home = await TempFolder.create('telemetry');
    const clocks: Record<Mode, SteppingClock> = {
      none: new SteppingClock(),
      noop: new SteppingClock(),
      sdk: new SteppingClock(),
    };
    const clients = {} as Record<Mode, ClientRuntime>;
    try {
      for (const mode of MODES) {
        clients[mode] = clientRuntime({
          home: home.path,
          baseUrl: backend.baseUrl,
          authPath: join(home.path, `auth-${mode}.json`),
          // the stepping clock runs ahead of the backend's: nothing may "correct" it
          runtime: { telemetry: telemetryOf(mode), now: clocks[mode].now, clockSkewCorrection: false },
        });
        await clients[mode].runtime.ensureIdentity();
      }

      const firstTurn: Record<Mode, number[]> = { none: [], noop: [], sdk: [] };
      const ratios: Record<'noop' | 'sdk', number[]> = { noop: [], sdk: [] };
      // round 0 warms the code paths up and is not recorded
      for (let round = 0; round <= rounds; round += 1) {
        const measured: Record<Mode, number> = { none: 0, noop: 0, sdk: 0 };
        for (const mode of MODES) {
          const thread = await clients[mode].runtime.startThread();
          await thread.prewarmed;
          measured[mode] = await firstTurnMs(thread);
        }
        if (round === 0) continue;
        for (const mode of MODES) firstTurn[mode].push(measured[mode]);
        ratios.noop.push(measured.noop / measured.none);
        ratios.sdk.push(measured.sdk / measured.none);
      }

      const turns = {} as Record<Mode, TurnAuth>;
      for (const mode of MODES) {
        const thread = await clients[mode].runtime.startThread();
        await thread.prewarmed;
        const turn = await thread.beginTurn();
        if (!turn.ok) throw new Error('a measured turn did not begin');
        turns[mode] = turn.auth;
        clocks[mode].startStepping();
      }
      const header = (mode: Mode) => ({ sync: () => turns[mode].headers().authorization?.length ?? 0 });
      const options = { rounds: settings.quick ? 5 : 11, iterations: settings.quick ? 500 : 2000 };
      const noopHeader = await measureSideBySide(options, header('none'), header('noop'));
      const sdkHeader = await measureSideBySide(options, header('none'), header('sdk'));
      for (const mode of MODES) clients[mode].assertNoErrorEvents();

      const headerFigure = (id: string, what: string, side: typeof noopHeader): BenchResult => ({
        id,
        title: `11. fresh header of a turn, ${what}`,
        unit: 'ns/op',
        value: side.candidateNsPerOp,
        baseline: { title: 'the same runtime without telemetry', value: side.baselineNsPerOp },
        ratio: { value: side.ratio, meaning: `${what} ÷ none` },
        runs: side.rounds,
      });
      const turnFigure = (id: string, what: string, mode: 'noop' | 'sdk'): BenchResult => ({
        id,
        title: `11. beginTurn(), prewarmed thread, ${what}`,
        unit: 'ms',
        value: median(firstTurn[mode]),
        baseline: { title: 'the same runtime without telemetry', value: median(firstTurn.none) },
        ratio: { value: median(ratios[mode]), meaning: `${what} ÷ none` },
        runs: rounds,
      });
      return [
        headerFigure('telemetry-header-noop', 'no-op providers', noopHeader),
        headerFigure('telemetry-header-sdk', 'SDK in memory', sdkHeader),
        turnFigure('telemetry-first-turn-noop', 'no-op providers', 'noop'),
        turnFigure('telemetry-first-turn-sdk', 'SDK in memory', 'sdk'),
      ];
    } finally {
      await Promise.all(Object.values(clients).map((each) => each.runtime.close()));
      await backend.close();
      await home.remove();
    }
  },
};
