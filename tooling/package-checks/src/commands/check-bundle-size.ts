// Bundles the client runtime (core + api-bridge, as built) the way a user's bundler would, prints
// its minified size and what takes the room, and fails above the budget.
import {
  bundleBudgetProblems,
  CLIENT_BUNDLE_BUDGET_BYTES,
  CLIENT_BUNDLE_PACKAGES,
  formatBytes,
  measureBundle,
} from '../bundle-size.js';
import { CheckReport } from '../check-report.js';

const CLIENT = 'client bundle';
const report = new CheckReport([CLIENT]);

// This package depends on the client packages, so they resolve from here, through their exports.
const measurement = await measureBundle(CLIENT_BUNDLE_PACKAGES, import.meta.dirname);
report.record(
  CLIENT,
  `${CLIENT_BUNDLE_PACKAGES.join(' + ')}: esbuild --bundle --minify --platform=node --format=esm is ${formatBytes(measurement.bytes)}, budget ${formatBytes(CLIENT_BUNDLE_BUDGET_BYTES)}`,
  bundleBudgetProblems(measurement.bytes, CLIENT_BUNDLE_BUDGET_BYTES),
);
for (const { packageName, bytes } of measurement.contributions) {
  process.stdout.write(`        ${packageName.padEnd(28)} ${formatBytes(bytes).padStart(24)}\n`);
}
process.exitCode = report.close('bundle size');
