import type { AgentRecord, TaskRecord } from '@agent-identity/registry';
import { htmlText } from './html-text.js';
import type { RequestLedger, RequestRecord } from './request-ledger.js';

/** What the dashboard shows at one moment. */
export interface DashboardState {
  readonly upstream: string;
  readonly requests: readonly RequestRecord[];
  readonly totals: ReturnType<RequestLedger['totals']>;
  /** The registry's agents and tasks, or why they cannot be shown. */
  readonly registry:
    | { readonly ok: true; readonly agents: readonly AgentRecord[]; readonly tasks: readonly TaskRecord[] }
    | { readonly ok: false; readonly reason: string };
}

/** How many of the newest requests the page lists. */
export const DASHBOARD_REQUESTS = 50;

function cell(value: string | number | null | undefined): string {
  return `<td>${value === null || value === undefined ? '—' : htmlText(value)}</td>`;
}

function requestRow(record: RequestRecord): string {
  const verdict = record.verdict === 'accepted' ? 'accepted' : `refused: ${record.verdict}`;
  return (
    `<tr data-request-id="${record.id}" data-verdict="${htmlText(record.verdict)}" class="${record.verdict === 'accepted' ? 'ok' : 'refused'}">` +
    cell(record.at.slice(11, 23)) +
    cell(record.transport) +
    cell(record.agentRuntimeId) +
    cell(record.taskId) +
    cell(verdict) +
    cell(record.status) +
    cell(record.latencyMs.toFixed(1)) +
    cell(record.bytesIn) +
    cell(record.bytesOut) +
    '</tr>'
  );
}

function revokeButton(path: string, label: string, revoked: boolean): string {
  return revoked
    ? '<td>revoked</td>'
    : `<td><button type="button" data-revoke="${htmlText(path)}">${htmlText(label)}</button></td>`;
}

function registrySection(registry: DashboardState['registry']): string {
  if (!registry.ok) return `<section><h2>Agents and tasks</h2><p>${htmlText(registry.reason)}</p></section>`;
  const agents = registry.agents
    .map(
      (agent) =>
        `<tr data-agent="${htmlText(agent.agentRuntimeId)}">${cell(agent.agentRuntimeId)}` +
        revokeButton(
          `/_gateway/agents/${encodeURIComponent(agent.agentRuntimeId)}/revoke`,
          'Revoke agent',
          agent.revokedAt != null,
        ) +
        '</tr>',
    )
    .join('');
  const tasks = registry.tasks
    .map(
      (task) =>
        `<tr data-task="${htmlText(task.taskId)}">${cell(task.taskId)}${cell(task.agentRuntimeId)}` +
        revokeButton(
          `/_gateway/tasks/${encodeURIComponent(task.taskId)}/revoke`,
          'Revoke task',
          task.revokedAt != null,
        ) +
        '</tr>',
    )
    .join('');
  return (
    `<section><h2>Agents (${registry.agents.length})</h2><table><thead><tr><th>agent</th><th></th></tr></thead><tbody>${agents}</tbody></table></section>` +
    `<section><h2>Tasks (${registry.tasks.length})</h2><table><thead><tr><th>task</th><th>agent</th><th></th></tr></thead><tbody>${tasks}</tbody></table></section>`
  );
}

/** The part of the page that changes: rendered here, fetched again by the page's script on each new request. */
export function renderDashboardPanel(state: DashboardState): string {
  const refusals = Object.entries(state.totals.refused)
    .sort(([, a], [, b]) => b - a)
    .map(([code, count]) => `<li data-refusal="${htmlText(code)}"><code>${htmlText(code)}</code> ${count}</li>`)
    .join('');
  const rows = [...state.requests].reverse().map(requestRow).join('');
  return (
    `<section><h2>Requests</h2><p id="totals">accepted ${state.totals.accepted} · refused ${Object.values(state.totals.refused).reduce((a, b) => a + b, 0)}</p>` +
    '<table id="requests"><thead><tr><th>time</th><th>via</th><th>agent</th><th>task</th><th>verdict</th><th>status</th><th>ms</th><th>bytes in</th><th>bytes out</th></tr></thead>' +
    `<tbody>${rows}</tbody></table></section>` +
    `<section><h2>Refusals by reason</h2><ul id="refusals">${refusals === '' ? '<li>none</li>' : refusals}</ul></section>` +
    registrySection(state.registry)
  );
}

// Re-fetches the server-rendered panel after each new request (at most every 100 ms), after a
// revocation, and each time the event stream (re)connects — a request made while it was not yet
// connected sent its event to nobody. One renderer, on the server.
const SCRIPT = `
const panel = document.getElementById('panel');
let pending = false;
async function refresh() {
  const answer = await fetch('/_gateway/panel', { cache: 'no-store' });
  panel.innerHTML = await answer.text();
}
function soon() {
  if (pending) return;
  pending = true;
  setTimeout(() => { pending = false; refresh(); }, 100);
}
const events = new EventSource('/_gateway/events');
events.addEventListener('request', soon);
events.addEventListener('open', () => { document.body.dataset.live = 'true'; soon(); });
events.addEventListener('error', () => { document.body.dataset.live = 'false'; });
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-revoke]');
  if (button === null) return;
  button.disabled = true;
  const answer = await fetch(button.dataset.revoke, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  document.getElementById('status').textContent = answer.ok ? 'revoked' : 'revocation failed: ' + answer.status;
  await refresh();
});
`;

const STYLE = `
body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 1rem; }
th, td { text-align: left; padding: 2px 10px; border-bottom: 1px solid #ddd; font-family: ui-monospace, monospace; font-size: 12px; }
tr.refused td { color: #a00; }
h2 { font-size: 16px; margin: 1rem 0 0.3rem; }
`;

/** The whole dashboard page: plain HTML, a little CSS, a little script. */
export function renderDashboardPage(state: DashboardState): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>agent-gateway</title>' +
    `<style>${STYLE}</style></head><body>` +
    `<h1>agent-gateway</h1><p>in front of <code>${htmlText(state.upstream)}</code> · <span id="status"></span></p>` +
    `<div id="panel">${renderDashboardPanel(state)}</div>` +
    `<script type="module">${SCRIPT}</script></body></html>`
  );
}
