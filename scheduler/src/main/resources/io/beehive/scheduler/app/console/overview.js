import { get } from './api.js';
import { h, table, time, duration } from './dom.js';
import { mountPage } from './page.js';

export function overview(container) {
  return mountPage(container, {
    title: 'Overview',
    load: () => get('/v1/state'),
    wants: (name) => name === 'leader' || name === 'task',
    pollMs: 5000,
    view: (s) => [
      h('dl', { class: 'facts', id: 'overview-facts' },
        h('dt', {}, 'Leader'), h('dd', { id: 'overview-leader' }, s.leader ?? 'none (election under way)'),
        h('dt', {}, 'Leader since'), h('dd', {}, time(s.leaderSince)),
        h('dt', {}, 'Term'), h('dd', { id: 'overview-term' }, s.termEpoch ?? '—'),
        h('dt', {}, 'FrameworkID'), h('dd', { class: 'mono', id: 'overview-framework' }, s.frameworkId ?? '—'),
        h('dt', {}, 'Jobs'), h('dd', {}, s.jobs),
        h('dt', {}, 'Last reconciliation'), h('dd', {}, time(s.lastReconciliation)),
        h('dt', {}, 'Answered by'), h('dd', {}, `${s.self ?? '?'} (${s.role})`)),
      h('h2', {}, 'Replicas'),
      table('Replicas in the election', ['Replica', 'Role', ''], (s.replicas ?? []).map((r) =>
        h('tr', { dataset: { replica: r.address } },
          h('td', { class: 'mono' }, h('a', { href: r.url }, r.address)),
          h('td', {}, h('span', { class: `badge role-${r.role}` }, r.role)),
          h('td', {}, r.self ? 'answered this page' : ''))), { empty: 'No replica is in the election.' }),
      h('h2', {}, 'Tasks by state'),
      table('Task records by state', ['State', 'Tasks'], Object.entries(s.taskCounts ?? {}).map(([state, n]) =>
        h('tr', {}, h('td', {}, state.replace(/^TASK_/, '').toLowerCase()), h('td', { class: 'num' }, n))),
      { empty: 'No task records.' }),
      h('h2', {}, 'Fail-overs'),
      h('p', { class: 'hint' }, 'The last 20 changes of leader, newest first. Duration: from the election to the new ',
        'leader being in office (subscribed and reconciled with Mesos).'),
      table('Recent fail-overs', ['Term', 'New leader', 'Previous leader', 'Elected', 'Duration', 'Cause'],
        (s.failovers ?? []).map((f) => h('tr', { dataset: { epoch: f.epoch } },
          h('td', { class: 'num' }, f.epoch),
          h('td', { class: 'mono' }, f.leader),
          h('td', { class: 'mono' }, f.previousLeader ?? '—'),
          h('td', {}, time(f.electedAt)),
          h('td', { class: 'num' }, duration(f.durationMillis)),
          h('td', {}, f.cause ?? '—'))), { empty: 'No fail-over recorded yet.' }),
    ],
  });
}
