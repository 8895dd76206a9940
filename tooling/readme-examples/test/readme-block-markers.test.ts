import { describe, expect, it } from 'vitest';
import { blockFileName, blocksOfReadme } from '../src/readme-blocks.js';

describe("a README block's fence says what the check does with it", () => {
  it('runs a plain ts block, type-checks a no-run one and skips a fragment, each with its reason', () => {
    const text = [
      '# x',
      '```ts',
      'console.log(1);',
      '```',
      '```ts no-run: a server that runs until it is stopped',
      'server.listen(8080);',
      '```',
      '```ts fragment: the shape of a result',
      '{ ok: true }',
      '```',
      '```sh',
      'pnpm test',
      '```',
    ].join('\n');

    const blocks = blocksOfReadme('packages/x/README.md', text);

    expect(blocks.map(({ line, mode, reason, code }) => ({ line, mode, reason, code }))).toEqual([
      { line: 2, mode: 'run', reason: undefined, code: 'console.log(1);\n' },
      { line: 5, mode: 'no-run', reason: 'a server that runs until it is stopped', code: 'server.listen(8080);\n' },
      { line: 8, mode: 'fragment', reason: 'the shape of a result', code: '{ ok: true }\n' },
    ]);
    expect(blocks.map(blockFileName)).toEqual(['packages-x-L2.ts', 'packages-x-L5.ts', 'packages-x-L8.ts']);
  });

  it.each(['```ts fragment', '```ts no-run:', '```ts skip: why'])(
    'refuses "%s": a marker must be known and say why',
    (fence) => {
      expect(() => blocksOfReadme('apps/y/README.md', `${fence}\nx\n\`\`\`\n`)).toThrow(/^apps\/y\/README\.md:1: /);
    },
  );

  it('refuses a block that is never closed', () => {
    expect(() => blocksOfReadme('apps/y/README.md', '```ts\nx\n')).toThrow(
      'apps/y/README.md:1: the block is never closed',
    );
  });
});
