import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('the README', () => {
  it('quotes the example verbatim (the example itself is type-checked with the package)', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const example = (await readFile(new URL('../examples/fleet-runtime.ts', import.meta.url), 'utf8')).trimEnd();
    expect(readme).toContain(`\`\`\`ts\n${example}\n\`\`\``);
  });
});
