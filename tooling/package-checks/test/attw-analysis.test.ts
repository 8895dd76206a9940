import { describe, expect, it } from 'vitest';
import { attwAnalysisProblems } from '../src/attw-check.js';
import { goodManifest } from './packed-manifest.js';

describe('attwAnalysisProblems', () => {
  it('ignores the CommonJS resolutions, as the esm-only profile does, and keeps the rest', () => {
    const problems = attwAnalysisProblems(
      {
        entrypoints: { '.': {}, './testing': {} },
        problems: [
          { kind: 'NoResolution', entrypoint: '.', resolutionKind: 'node10' },
          { kind: 'CJSResolvesToESM', entrypoint: '.', resolutionKind: 'node16-cjs' },
          { kind: 'InternalResolutionError', entrypoint: './testing', resolutionKind: 'node16-esm' },
        ],
      },
      goodManifest(),
    );
    expect(problems).toEqual(['./testing: InternalResolutionError (node16-esm)']);
  });

  it('flags an exported subpath attw did not analyse (JSON subpaths excepted)', () => {
    expect(attwAnalysisProblems({ entrypoints: { '.': {} }, problems: [] }, goodManifest())).toEqual([
      './testing: not analysed by attw',
    ]);
  });
});
