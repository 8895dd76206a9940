import { join } from 'node:path';
import { metrics, trace } from '@opentelemetry/api';
import type { TelemetryOptions, TurnAuth } from '@agent-identity/core';
import { TelemetryCapture } from '@agent-identity/telemetry-capture';
import { BackendBed } from '../backend-bed.js';
import type { Benchmark, Unit } from '../bench-result.js';
import type { ClientRuntime } from '../client-runtime.js';
import { firstTurnMs } from './first-turn.js';
import { comparisonResult, type ComparedFigure } from '../comparison.js';
import { measureRounds } from '../round-series.js';
import { measureSideBySide, nsPerOpComparison } from '../side-by-side.js';

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
  run: (settings) =>
    BackendBed.run('telemetry', async (bed) => {
      const clocks: Record<Mode, SteppingClock> = {
        none: new SteppingClock(),
        noop: new SteppingClock(),
        sdk: new SteppingClock(),
      };
      const clients = {} as Record<Mode, ClientRuntime>;
      for (const mode of MODES) {
        clients[mode] = bed.client({
          authPath: join(bed.home.path, `auth-${mode}.json`),
          // the stepping clock runs ahead of the backend's: nothing may "correct" it
          runtime: { telemetry: telemetryOf(mode), now: clocks[mode].now, clockSkewCorrection: false },
        });
        await clients[mode].runtime.ensureIdentity();
      }

      const firstTurns = await measureRounds({ rounds: settings.quick ? 7 : 21, warmUp: true }, async () => {
        const measured: Record<Mode, number> = { none: 0, noop: 0, sdk: 0 };
        for (const mode of MODES) {
          const thread = await clients[mode].runtime.startThread();
          await thread.prewarmed;
          measured[mode] = await firstTurnMs(thread);
        }
        return measured;
      });

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
      bed.assertNoErrorEvents();

      const figure = (id: string, title: string, unit: Unit, what: string): ComparedFigure => ({
        id,
        title: `11. ${title}, ${what}`,
        unit,
        baselineTitle: 'the same runtime without telemetry',
        ratioMeaning: `${what} ÷ none`,
      });
      const turnComparison = (mode: 'noop' | 'sdk') =>
        firstTurns.compare(mode, 'none', (round) => round[mode] / round.none);
      return [
        comparisonResult(
          figure('telemetry-header-noop', 'fresh header of a turn', 'ns/op', 'no-op providers'),
          nsPerOpComparison(noopHeader),
        ),
        comparisonResult(
          figure('telemetry-header-sdk', 'fresh header of a turn', 'ns/op', 'SDK in memory'),
          nsPerOpComparison(sdkHeader),
        ),
        comparisonResult(
          figure('telemetry-first-turn-noop', 'beginTurn(), prewarmed thread', 'ms', 'no-op providers'),
          turnComparison('noop'),
        ),
        comparisonResult(
          figure('telemetry-first-turn-sdk', 'beginTurn(), prewarmed thread', 'ms', 'SDK in memory'),
          turnComparison('sdk'),
        ),
      ];
    }),
};
