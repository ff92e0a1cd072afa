import { h, time } from './dom.js';
import { live } from './live.js';

/** The live event feed: what /v1/events pushed since the page opened, newest first. */
export function feed(container) {
  const list = h('ol', { id: 'event-feed', class: 'feed', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  container.replaceChildren(
    h('h1', { tabindex: -1 }, 'Events'),
    h('p', { class: 'hint' }, 'Pushed by the API as they happen (task states once durable, health, deployments, ',
      'leader changes); the newest first, the last 200 kept.'),
    list);
  const draw = (entry) => h('li', { class: `event event-${entry.name}` },
    time(entry.payload.at ?? entry.receivedAt), ' ', h('strong', {}, entry.name), ' ', describe(entry));
  list.append(...live.recent.map(draw));
  const onEvent = () => {
    list.prepend(draw(live.recent[0]));
    while (list.children.length > 200) list.lastElementChild.remove();
  };
  live.addEventListener('event', onEvent);
  return { dispose: () => live.removeEventListener('event', onEvent) };
}

function describe({ name, payload: p }) {
  switch (name) {
    case 'task': return `${p.taskId} ${short(p.previousState) || 'new'} → ${short(p.state)}`;
    case 'health': return `${p.taskId} ${p.healthy ? 'healthy' : 'unhealthy'}`;
    case 'deployment': return `${p.jobId}: ${p.state}${p.message ? ` (${p.message})` : ''}`;
    case 'leader': return p.leader ? `${p.leader} leads (term ${p.epoch})` : 'no leader';
    default: return p.message ?? '';
  }
}

const short = (state) => (state ?? '').replace(/^TASK_/, '').toLowerCase();
