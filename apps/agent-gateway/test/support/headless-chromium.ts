import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';

/**
 * A headless Chromium that needs only npm: `@sparticuz/chromium` ships the binary inside its
 * package and unpacks it on first use (into the OS temp folder), `playwright-core` drives it. No
 * browser download at install time.
 */
export async function launchChromium(): Promise<Browser> {
  return playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true });
}
