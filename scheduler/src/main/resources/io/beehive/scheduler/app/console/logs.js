// A task's stdout or stderr, followed as it grows (`tail -f`) through the API: GET
// /v1/tasks/{id}/logs/{file}?follow=true&offset=N answers server-sent `log` events ({offset, data}), a last `eof`,
// or an `error` ({status, message}) when the agent stops answering mid-way; the page resumes from the last byte.

import { h } from './dom.js';
import { readEvents } from './sse.js';

const UTF8 = new TextEncoder();
const KEPT_CHARS = 1 << 20; // the page keeps the last MiB: a chatty task must not exhaust the tab
const PROBLEMS = {
  404: 'No such task (it may have been removed from the history).',
  410: 'The sandbox is gone: the agent has already cleaned up this task\'s files.',
  502: 'The agent that ran this task cannot be reached right now.',
  503: 'No leader right now; retrying.',
};

export function taskLogs(container, [taskId, file = 'stdout']) {
  const controller = new AbortController();
  const output = h('pre', { id: 'log-output', class: 'log', tabindex: 0, 'aria-label': `${file} of ${taskId}` });
  const status = h('p', { id: 'log-status', role: 'status' }, 'Connecting…');
  const follow = h('input', { type: 'checkbox', id: 'log-follow', checked: true });
  const tabs = h('p', { class: 'tabs' }, ['stdout', 'stderr'].map((f) => h('a', {
    href: `#/tasks/${encodeURIComponent(taskId)}/logs/${f}`, 'aria-current': f === file ? 'page' : null,
  }, f)));
  container.replaceChildren(
    h('h1', { tabindex: -1 }, `Logs of ${taskId}`),
    tabs,
    h('p', { class: 'inline' }, follow, h('label', { for: 'log-follow' }, 'Keep the newest line in view')),
    status,
    output);

  const base = `/v1/tasks/${encodeURIComponent(taskId)}/logs/${file}`;
  let offset = 0;
  (async () => {
    let retryMs = 250;
    while (!controller.signal.aborted) {
      const attempt = new AbortController();
      const stop = () => attempt.abort();
      controller.signal.addEventListener('abort', stop, { once: true });
      try {
        let ended = false;
        await readEvents(`${base}?follow=true&offset=${offset}`, {
          signal: attempt.signal,
          onOpen: () => {
            status.textContent = 'Following: new output appears here as the task writes it.';
            status.className = '';
          },
          onEvent: (name, data) => {
            const event = JSON.parse(data);
            if (name === 'log') {
              // Offsets count bytes of the file; each chunk holds whole UTF-8 characters.
              if (event.offset < offset) return; // already shown before a reconnection
              offset = event.offset + UTF8.encode(event.data).length;
              append(output, event.data, follow.checked);
              retryMs = 250;
            } else if (name === 'eof') {
              ended = true;
              status.textContent = 'The task has ended: this is all it wrote.';
            } else if (name === 'error') {
              const problem = new Error(event.message);
              problem.status = event.status;
              throw problem;
            }
          },
        });
        if (ended) return;
      } catch (e) {
        if (controller.signal.aborted) return;
        const known = PROBLEMS[e.status];
        status.textContent = known ? `${known} (HTTP ${e.status})` : `Cannot read the log: ${e.message}`;
        status.className = 'problem';
        if (e.status === 404 || e.status === 410) return; // these do not get better by retrying
      } finally {
        attempt.abort(); // an error event leaves the response open: close it
        controller.signal.removeEventListener('abort', stop);
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, 5000);
    }
  })();
  return { dispose: () => controller.abort() };
}

function append(output, text, stick) {
  output.append(text);
  if (output.textContent.length > KEPT_CHARS) {
    output.textContent = output.textContent.slice(-KEPT_CHARS);
  }
  if (stick) output.scrollTop = output.scrollHeight;
}
