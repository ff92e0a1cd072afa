import { api, get } from './api.js';
import { h, table, time } from './dom.js';
import { actionButton, mountPage } from './page.js';

export function agents(container) {
  return mountPage(container, {
    title: 'Agents',
    load: () => get('/v1/agents'),
    wants: (name) => name === 'task',
    pollMs: 15000,
    view: (list, page) => [
      h('p', { class: 'hint' }, 'Agents that ran Beehive tasks, and blacklisted ones. A blacklisted agent gets no ',
        'new tasks; those running there keep running.'),
      table('Agents', ['Agent', 'Host', 'Active tasks', 'Blacklisted', 'Action'],
        list.map((a) => row(a, page)), { empty: 'No agent has run a Beehive task yet.' }),
    ],
  });
}

function row(a, page) {
  const path = `/v1/agents/${encodeURIComponent(a.agentId)}/blacklist`;
  const reasonId = `reason-${a.agentId}`;
  const action = a.blacklisted
    ? actionButton('Remove from blacklist', async () => {
      await api('DELETE', path);
      await page.refresh();
    }, { report: page.report, ariaLabel: `Remove ${a.agentId} from the blacklist` })
    : h('span', { class: 'inline' },
      h('label', { for: reasonId, class: 'visually-hidden' }, `Reason to blacklist ${a.agentId}`),
      h('input', { id: reasonId, placeholder: 'reason', class: 'medium' }),
      actionButton('Blacklist', async () => {
        const reason = document.getElementById(reasonId).value.trim();
        await api('PUT', path, reason ? { reason } : {});
        await page.refresh();
      }, { report: page.report, className: 'danger', ariaLabel: `Blacklist ${a.agentId}` }));
  return h('tr', { dataset: { agent: a.agentId } },
    h('th', { scope: 'row', class: 'mono' }, a.agentId),
    h('td', {}, a.hostname ?? '—'),
    h('td', { class: 'num' }, a.activeTasks),
    h('td', {}, a.blacklisted ? h('span', {}, 'yes', a.blacklistReason ? ` (${a.blacklistReason})` : '',
      a.blacklistedSinceMillis ? [', since ', time(a.blacklistedSinceMillis)] : '') : 'no'),
    h('td', { class: 'actions' }, action));
}
