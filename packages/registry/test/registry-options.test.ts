import { describe, expect, it } from 'vitest';
import { CachedRegistry, openRegistryStore, RegistryError } from '../src/index.js';

function optionsInvalid(message: string): (error: unknown) => boolean {
  return (error) =>
    RegistryError.isInstance(error) && error.code === 'REGISTRY_OPTIONS_INVALID' && error.message === message;
}

describe('the registry checks its options at construction (issue 12 item 9)', () => {
  it('a database URL and a data folder together: REGISTRY_OPTIONS_INVALID before opening either', async () => {
    await expect(
      openRegistryStore({ databaseUrl: 'postgres://127.0.0.1:1/registry', dataDir: '/nonexistent/registry' }),
    ).rejects.toSatisfy(optionsInvalid('give a database URL or a data folder, not both'));
  });

  it.each([-1, 1.5, Number.NaN])('a cache of %s entries: REGISTRY_OPTIONS_INVALID from the constructor', async (n) => {
    const store = await openRegistryStore();
    try {
      expect(() => new CachedRegistry(store, { maxEntries: n })).toThrow(
        expect.objectContaining({
          code: 'REGISTRY_OPTIONS_INVALID',
          message: `options.maxEntries must be a non-negative integer, got ${n}`,
        }),
      );
    } finally {
      await store.close();
    }
  });
});
