import { api, get } from './api.js';
import { age, h, stateBadge, table, time } from './dom.js';
import { deploymentSummary } from './jobs.js';
import { actionButton, mountPage } from './page.js';

const LIVE = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE']);

export function jobDetail(container, [jobId]) {
  const path = `/v1/jobs/${encodeURIComponent(jobId)}`;
  return mountPage(container, {
    title: `Job ${jobId}`,
    load: async () => {
      const [job, tasks] = await Promise.all([get(path), get(`/v1/tasks?job=${encodeURIComponent(jobId)}`)]);
      return { job, tasks };
    },
    wants: (name, p) => (name === 'task' || name === 'health' || name === 'deployment') && p.jobId === jobId,
    pollMs: 10000, // ages move on
    view: ({ job, tasks }, page) => {
      tasks.sort((a, b) => (LIVE.has(b.state) - LIVE.has(a.state)) || a.instance - b.instance
        || b.launchedAtMillis - a.launchedAtMillis);
      return [
        h('dl', { class: 'facts' },
          h('dt', {}, 'Kind'), h('dd', {}, job.kind.toLowerCase()),
          h('dt', {}, 'Instances'), h('dd', { id: 'job-instances' }, job.instances),
          h('dt', {}, 'Command'), h('dd', { class: 'mono' }, commandOf(job)),
          h('dt', {}, 'Version'), h('dd', {}, `${job.version} (run version ${job.runVersion ?? 0})`),
          h('dt', {}, 'Deployment'), h('dd', { id: 'job-deployment' }, deploymentSummary(job)),
          h('dt', {}, 'Updated'), h('dd', {}, time(job.updatedAtMillis))),
        h('p', {}, h('a', { href: '#/jobs' }, 'All jobs')),
        h('h2', {}, 'Tasks'),
        table(`Tasks of ${jobId}`, ['Task', 'State', 'Health', 'Agent', 'Ports', 'Age', 'Attempt', 'Actions'],
          tasks.map((t) => taskRow(t, page)), { empty: 'No tasks.' }),
      ];
    },
  });
}

function commandOf(job) {
  const c = job.command ?? {};
  return c.shell ? c.value : [c.value, ...(c.arguments ?? [])].join(' ');
}

function taskRow(t, page) {
  const live = LIVE.has(t.state);
  return h('tr', { dataset: { task: t.taskId, state: t.state } },
    h('th', { scope: 'row', class: 'mono' }, t.taskId),
    h('td', { class: 'state' }, stateBadge(t.state)),
    h('td', {}, t.healthy === true ? 'healthy' : t.healthy === false ? 'unhealthy' : '—'),
    h('td', { class: 'mono' }, t.hostname ?? t.agentId ?? '—'),
    h('td', { class: 'mono' }, (t.ports ?? []).join(', ') || '—'),
    h('td', {}, age(t.launchedAtMillis)),
    h('td', { class: 'num' }, t.attempt),
    h('td', { class: 'actions' },
      h('a', { href: `#/tasks/${encodeURIComponent(t.taskId)}/logs`, 'aria-label': `Logs of ${t.taskId}` }, 'Logs'),
      live ? actionButton('Kill', async () => {
        await api('POST', `/v1/tasks/${encodeURIComponent(t.taskId)}/kill`);
        await page.refresh();
      }, { report: page.report, className: 'danger', ariaLabel: `Kill ${t.taskId}` }) : null));
}
