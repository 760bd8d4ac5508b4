// Small helpers every part of the sandbox page uses: an element by id, JSON over fetch (the body
// parsed when it is JSON and kept as text when it is not; a status is never thrown), the toast at
// the bottom of the page, keeping a message pane at its newest message, and a polling timer whose
// ticks never overlap (a slow stand-in answer delays the next tick rather than piling requests up).

export const byId = (id) => document.getElementById(id);

/** `{ok, status, body}` for a request: the body JSON when it parses, else its text (null when empty). */
export async function getJson(url, init) {
  const response = await fetch(url, init);
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { ok: response.ok, status: response.status, body };
}

export const postJson = (url, body) =>
  getJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** A request's `{ok, status, body}` whatever happens: a network failure is status 0, its error the message. */
export const settled = (request) =>
  request.catch((error) => ({ ok: false, status: 0, body: { message: String(error) } }));

/** What to tell the member when a sandbox request failed: the sandbox's own words, else its status. */
export const failureText = (result) => result.body?.message ?? `The sandbox answered ${result.status}.`;

let toastTimer;
/** Shows `text` at the bottom of the page for a few seconds (a newer toast replaces it). */
export function toast(text) {
  const el = byId('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 3500);
}

/** Runs `update`; a pane scrolled to (near) its bottom stays there, one scrolled up is left alone. */
export function keepAtBottom(scroller, update) {
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 60;
  update();
  if (atBottom) scroller.scrollTop = scroller.scrollHeight;
}

/** Runs `task` now and every `ms`, skipping a tick while the last one is still running. */
export function every(ms, task) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await task();
    } catch (error) {
      console.warn(error);
    } finally {
      running = false;
    }
  };
  tick();
  setInterval(tick, ms);
}
