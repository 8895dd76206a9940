import { readFile } from 'node:fs/promises';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

/**
 * publint on the tarball itself (not on the workspace folder, which publint would re-pack with
 * its own idea of the package manager). Strict: warnings and suggestions are problems too — every
 * one of them is cheap to satisfy for an ESM-only package with `exports`.
 */
export async function publintProblems(tarballPath: string): Promise<string[]> {
  const bytes = await readFile(tarballPath);
  const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
  return messages.map(
    (message) => `${message.type} ${message.code}: ${formatMessage(message, pkg, { color: false }) ?? ''}`,
  );
}
