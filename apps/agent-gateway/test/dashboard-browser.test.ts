import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { GatewayBed } from './support/gateway-bed.js';
import { launchChromium } from './support/headless-chromium.js';

// Screenshots land here (gitignored), so a run leaves something to look at.
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(() => browser.close());
afterEach(() => closeRuntimeBeds());

describe('the dashboard in a real headless Chromium', () => {
  it("shows a client's request live; a revoke click refuses the next request; the page is screenshotted", async () => {
    const bed = await GatewayBed.open();
    const { client, turn } = await bed.sdkTurn();
    const taskId = turn.task?.taskId ?? '';
    const page = await browser.newPage();
    await page.goto(bed.gateway.dashboardUrl);
    await page.locator('body[data-live="true"]').waitFor();

    // A request made by a client after the page loaded reaches it through the live stream.
    await client.responses.stream({ model: 'gpt-5', input: 'hello dashboard' }).finalResponse();
    const accepted = page.locator('#requests tr[data-verdict="accepted"]', { hasText: taskId });
    await accepted.waitFor();
    expect(await accepted.textContent()).toContain(turn.task?.agentRuntimeId ?? '?');

    await page.locator(`tr[data-task="${taskId}"] button`, { hasText: 'Revoke task' }).click();
    await page.locator(`tr[data-task="${taskId}"]`, { hasText: 'revoked' }).waitFor();
    expect((await bed.backend.admin.tasks()).find((task) => task.taskId === taskId)?.revokedAt).toEqual(
      expect.any(String),
    );

    // The same assertion again, as a client that has not heard of the revocation sends it.
    const refused = await fetch(`${bed.gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { ...turn.headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5', input: 'after the click', stream: true }),
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'task_invalid' } });
    await page.locator('#requests tr[data-verdict="task_invalid"]', { hasText: taskId }).waitFor();
    expect(await page.locator('#refusals li[data-refusal="task_invalid"]').textContent()).toContain('1');

    await mkdir(ARTIFACTS, { recursive: true });
    const screenshot = join(ARTIFACTS, 'dashboard.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stdout.write(`dashboard screenshot: ${screenshot}\n`);
    await page.close();
  });
});
