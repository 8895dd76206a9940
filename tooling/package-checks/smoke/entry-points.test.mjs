// Every entry point of every installed package loads: each `exports` subpath and each `bin`.
// The list comes from entry-points.json, written by the smoke test from the packed manifests.
import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync } from 'node:fs';
import { test } from 'node:test';

const { imports, bins } = JSON.parse(readFileSync(new URL('./entry-points.json', import.meta.url), 'utf8'));

for (const { packageName, specifier, isJson } of imports) {
  test(`import ${specifier}`, async () => {
    if (isJson) {
      const { default: json } = await import(specifier, { with: { type: 'json' } });
      assert.equal(json.name, packageName);
    } else {
      const namespace = await import(specifier);
      assert.equal(typeof namespace, 'object');
    }
  });
}

for (const { packageName, name } of bins) {
  test(`bin ${name} (${packageName}) is linked and executable`, () => {
    accessSync(new URL(`./node_modules/.bin/${name}`, import.meta.url), constants.X_OK);
  });
}
