import { api, get } from './api.js';
import { h, table } from './dom.js';
import { actionButton, mountPage } from './page.js';
import { jobForm } from './job-form.js';

const FAILED = new Set(['TASK_FAILED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE']);

export function jobs(container) {
  const list = h('section', { 'aria-labelledby': 'jobs-title' });
  const create = jobForm(() => page.refresh());
  container.replaceChildren(list, create);
  const page = mountPage(list, {
    title: 'Jobs',
    load: async () => {
      const [jobList, tasks] = await Promise.all([get('/v1/jobs'), get('/v1/tasks')]);
      const failed = new Map();
      for (const t of tasks) {
        if (FAILED.has(t.state)) failed.set(t.jobId, (failed.get(t.jobId) ?? 0) + 1);
      }
      return { jobList, failed };
    },
    wants: (name) => name === 'task' || name === 'health' || name === 'deployment' || name === 'leader',
    view: ({ jobList, failed }, p) => table('Jobs',
      ['Job', 'Kind', 'Instances', 'Running', 'Healthy', 'Staging', 'Failed', 'Deployment', 'Actions'],
      jobList.map((job) => row(job, failed.get(job.id) ?? 0, p)), { empty: 'No jobs yet: create one below.' }),
  });
  page.heading.id = 'jobs-title';
  return { dispose: page.dispose, refresh: page.refresh };
}

function row(job, failed, page) {
  const c = job.taskCounts ?? {};
  const path = `/v1/jobs/${encodeURIComponent(job.id)}`;
  const scaleId = `scale-${job.id}`;
  const scale = job.kind === 'SERVICE' ? h('span', { class: 'inline' },
    h('label', { for: scaleId, class: 'visually-hidden' }, `Instances of ${job.id}`),
    h('input', { id: scaleId, type: 'number', min: 0, value: job.instances, class: 'small' }),
    actionButton('Scale', async () => {
      const n = Number(document.getElementById(scaleId).value);
      await api('PATCH', path, { instances: n });
      await page.refresh();
    }, { report: page.report, ariaLabel: `Scale ${job.id}` })) : null;
  return h('tr', { dataset: { job: job.id } },
    h('th', { scope: 'row' }, h('a', { href: `#/jobs/${encodeURIComponent(job.id)}` }, job.id)),
    h('td', {}, job.kind.toLowerCase()),
    h('td', { class: 'num instances' }, job.instances),
    h('td', { class: 'num running' }, c.running ?? 0),
    h('td', { class: 'num healthy' }, c.healthy ?? 0),
    h('td', { class: 'num staging' }, c.staging ?? 0),
    h('td', { class: 'num failed' }, failed),
    h('td', {}, deploymentSummary(job)),
    h('td', { class: 'actions' },
      scale,
      actionButton('Restart', async () => {
        await api('POST', `${path}/restart`);
        await page.refresh();
      }, { report: page.report, ariaLabel: `Restart ${job.id}`, className: 'secondary' }),
      job.deployment ? actionButton('Cancel deployment', async () => {
        await api('DELETE', `${path}/deployment`);
        await page.refresh();
      }, { report: page.report, ariaLabel: `Cancel the deployment of ${job.id}`, className: 'secondary' }) : null,
      job.previousRun ? actionButton('Roll back', async () => {
        await api('POST', `${path}/rollback`);
        await page.refresh();
      }, { report: page.report, ariaLabel: `Roll back ${job.id}`, className: 'secondary' }) : null,
      actionButton('Delete', async () => {
        await api('DELETE', path);
        await page.refresh();
      }, { report: page.report, ariaLabel: `Delete ${job.id}`, className: 'danger',
        confirmText: `Delete job ${job.id} and kill its tasks?` })));
}

export function deploymentSummary(job) {
  const d = job.deployment;
  if (!d) {
    const last = (job.deploymentHistory ?? [])[0];
    return last ? `last ${lower(last.kind)}: ${lower(last.result)}` : '—';
  }
  const p = job.deploymentProgress;
  const text = p ? `${lower(d.kind)}: ${p.newReady}/${p.instances} new ready (floor ${p.floor}, ceiling ${p.ceiling})`
    : `${lower(d.kind)} running`;
  return h('span', { class: 'deploying' }, text);
}

const lower = (value) => String(value ?? '').toLowerCase().replace(/_/g, ' ');
