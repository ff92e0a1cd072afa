// What every page shares: load its data, draw it, redraw when a live event says something changed. A refresh
// never overlaps the previous one, and a failed one keeps what was shown and says why above it.

import { h } from './dom.js';
import { live } from './live.js';

const LIVE_REDRAW_DELAY_MS = 150;

/**
 * @param container  where the page draws
 * @param load       async () => data
 * @param view       (data, page) => Node or Node[]
 * @param wants      (eventName, payload) => boolean: does this live event change what the page shows
 * @param pollMs     also reload this often (for what no event announces), or 0
 */
export function mountPage(container, { title, load, view, wants = () => false, pollMs = 0 }) {
  const heading = h('h1', { tabindex: -1 }, title);
  const problem = h('p', { class: 'problem', role: 'status', hidden: true });
  // Outside the redrawn body, so the answer to an action outlives the redraw the action causes.
  const report = h('p', { class: 'action-error', id: 'action-report', role: 'alert' });
  const body = h('div', { class: 'page-body', 'aria-busy': 'true' }, h('p', {}, 'Loading…'));
  container.replaceChildren(heading, problem, report, body);

  let disposed = false;
  let running = null;
  let again = false;
  let timer = null;

  const page = {
    heading,
    report,
    async refresh() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        try {
          const data = await load();
          if (disposed) return;
          // A redraw must not take the viewer's place or half-typed value away.
          const focused = document.activeElement;
          const keep = focused && body.contains(focused) && focused.id ? focused.id : null;
          const typed = keep && 'value' in focused ? focused.value : null;
          body.replaceChildren(...[view(data, page)].flat());
          body.setAttribute('aria-busy', 'false');
          problem.hidden = true;
          const again = keep ? document.getElementById(keep) : null;
          if (again) {
            if (typed !== null) again.value = typed;
            again.focus();
          }
        } catch (e) {
          if (disposed) return;
          problem.textContent = `Could not refresh: ${e.message}. Showing what was last read.`;
          problem.hidden = false;
        } finally {
          running = null;
        }
        if (again && !disposed) {
          again = false;
          page.refresh();
        }
      })();
      return running;
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      clearInterval(poller);
      live.removeEventListener('event', onLive);
      live.removeEventListener('reconnected', onReconnect);
    },
  };

  const onLive = (e) => {
    if (wants(e.detail.name, e.detail.payload)) {
      clearTimeout(timer);
      timer = setTimeout(() => page.refresh(), LIVE_REDRAW_DELAY_MS);
    }
  };
  // Events missed while the stream was down are not replayed: read everything again.
  const onReconnect = () => page.refresh();
  live.addEventListener('event', onLive);
  live.addEventListener('reconnected', onReconnect);
  const poller = pollMs > 0 ? setInterval(() => page.refresh(), pollMs) : null;
  page.refresh();
  return page;
}

/** A button that runs an action, disabled meanwhile, and reports its failure in `report`. */
export function actionButton(label, action, { report, className = '', confirmText, ariaLabel } = {}) {
  const button = h('button', { type: 'button', class: className, 'aria-label': ariaLabel }, label);
  button.addEventListener('click', async () => {
    if (confirmText && !window.confirm(confirmText)) return;
    button.disabled = true;
    try {
      await action();
      if (report) report.textContent = '';
    } catch (e) {
      if (report) report.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
