// The sidebar's tools that act on the stack rather than the server: "Make Discord fail" (faults the
// stand-in injects into the next mod-log posts or bot API calls, or the mod-log webhook deleted as a
// server admin might), the Worker's cron run now or as if later, the Worker's and the relay's health,
// and the Discord API log (what the bot and the relay asked the stand-in, webhook tokens hidden).
// `ctx`: {byId, control(), getJson, postJson, toast, modlogWebhook(), onGuildChanged()}.
import { escapeHtml } from './render.js';

const redactPath = (path) => path.replace(/^(\/webhooks\/\d+\/)[^/?]+/, '$1…');

export function createSidebarTools(ctx) {
  const { byId, getJson, postJson, toast } = ctx;
  let requestSeq = 0;
  const requestLines = [];

  async function addFault(fault, message) {
    const result = await postJson(`${ctx.control()}/faults`, fault);
    toast(result.ok ? message : `Could not add the fault: ${result.body?.message ?? result.status}`);
  }

  const faultActions = {
    'webhook-500': (hook) =>
      addFault(
        { method: 'POST', path: `^/webhooks/${hook.id}/`, count: 1, status: 500 },
        'The next mod-log post will get a 500.',
      ),
    'webhook-429': (hook) =>
      addFault(
        { method: 'POST', path: `^/webhooks/${hook.id}/`, count: 1, status: 429, retryAfter: 5 },
        'The next mod-log post will be rate limited (retry after 5 s).',
      ),
    'webhook-503x3': (hook) =>
      addFault(
        { method: 'POST', path: `^/webhooks/${hook.id}/`, count: 3, status: 503 },
        'The next 3 mod-log posts will get a 503.',
      ),
    'api-500': () =>
      addFault(
        { path: '^/(guilds|users|channels)/', count: 1, status: 500 },
        'The next bot API call will get a 500.',
      ),
    'delete-webhook': async (hook) => {
      const result = await getJson(`${ctx.control()}/webhooks/${hook.id}`, { method: 'DELETE' });
      toast(
        result.ok
          ? 'Deleted the mod-log webhook, as a server admin might. Run /modlog set to repair it.'
          : 'Could not delete it.',
      );
      await ctx.onGuildChanged();
    },
  };

  async function runCron(offsetMs) {
    const result = await postJson('/sandbox/api/cron', { offsetMs });
    const when = offsetMs === 0 ? 'now' : `as at ${new Date(result.body?.time).toLocaleString('en-US')}`;
    toast(
      result.ok
        ? `Cron ran ${when}: ${result.body.outcome}`
        : `Cron failed: ${result.body?.message ?? result.status}`,
    );
  }

  async function pollStatus() {
    const result = await getJson('/sandbox/api/status').catch(() => null);
    for (const name of ['worker', 'relay']) {
      const state = result?.body?.[name];
      byId(`status-${name}`).className = `dot-status ${state?.ok ? 'ok' : state ? 'bad' : ''}`;
      byId(`status-${name}-text`).textContent =
        `${name === 'worker' ? 'Worker' : 'Relay'}: ${state ? (state.ok ? 'up' : state.detail) : '…'}`;
    }
  }

  async function pollRequests() {
    const result = await getJson(`${ctx.control()}/requests?since=${requestSeq}`).catch(() => null);
    if (!result?.ok || result.body.length === 0) return;
    for (const r of result.body) {
      requestSeq = Math.max(requestSeq, r.seq);
      requestLines.push(r);
    }
    requestLines.splice(0, Math.max(0, requestLines.length - 60));
    byId('request-log').innerHTML = requestLines
      .slice()
      .reverse()
      .map(
        (r) =>
          `<div class="log-line" title="${escapeHtml(`${r.method} ${redactPath(r.path)} → ${r.status}`)}"><span class="s${String(r.status)[0]}">${r.status || '…'}</span><span>${escapeHtml(r.method)}</span><span class="path">${escapeHtml(redactPath(r.path))}</span></div>`,
      )
      .join('');
  }

  /** Wires the fault and cron buttons (found by their data-fault and data-cron attributes). */
  function wire(doc = document) {
    for (const button of doc.querySelectorAll('[data-fault]')) {
      button.onclick = async () => {
        const hook = ctx.modlogWebhook();
        if (!hook && button.dataset.fault !== 'api-500') {
          toast('There is no mod-log webhook yet: run /modlog set first.');
          return;
        }
        await faultActions[button.dataset.fault](hook);
      };
    }
    for (const button of doc.querySelectorAll('[data-cron]'))
      button.onclick = () => runCron(Number(button.dataset.cron));
  }

  return { wire, pollStatus, pollRequests };
}
