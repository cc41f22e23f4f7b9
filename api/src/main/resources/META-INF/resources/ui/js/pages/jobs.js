// History: the caller's jobs, newest first, filtered by status, model and experiment, a page at a time.
import { getJson } from '../api.js';
import { field, formatNumber, formatTime, h, shortId, statusBadge } from '../dom.js';

const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const PAGE_SIZE = 20;

export async function jobsPage(main, { query }) {
  const [models, experiments] = await Promise.all([
    getJson('api/v1/models'),
    getJson('api/v1/experiments?limit=200'),
  ]);
  const filters = { status: query.get('status') || '', model: query.get('model') || '',
    experiment: query.get('experiment') || '' };
  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'any'),
    STATUSES.map((s) => h('option', { value: s, selected: s === filters.status }, s)));
  const model = h('select', { name: 'model' }, h('option', { value: '' }, 'any'),
    models.items.map((m) => h('option', { value: m.id, selected: m.id === filters.model }, m.id)));
  const experiment = h('select', { name: 'experiment' }, h('option', { value: '' }, 'any'),
    experiments.experiments.map((e) => h('option', { value: e.id, selected: e.id === filters.experiment },
      `${e.name} (${shortId(e.id)})`)));
  const form = h('form', { class: 'filters', 'aria-label': 'Filter jobs' },
    field('Status', status), field('Model', model), field('Experiment', experiment),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Filter')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = '#/jobs' + queryOf({ status: status.value, model: model.value, experiment: experiment.value });
  });

  const cursor = query.get('cursor');
  const page = await getJson('api/v1/jobs' + queryOf({ ...filters, limit: PAGE_SIZE, cursor }));
  const rows = page.items.map((job) => h('tr', {},
    h('td', {}, h('a', { href: `#/jobs/${job.id}` }, shortId(job.id))),
    h('td', {}, job.model), h('td', {}, job.problemKind), h('td', {}, statusBadge(job.status)),
    h('td', {}, formatTime(job.createdAt)),
    h('td', { class: 'num' }, formatNumber(job.psnr)), h('td', { class: 'num' }, formatNumber(job.ssim, 3))));
  const table = page.items.length === 0 ? h('p', {}, 'No jobs match.')
    : h('table', { class: 'data' },
      h('caption', {}, cursor ? 'Jobs, an older page' : 'Jobs, newest first'),
      h('thead', {}, h('tr', {}, ['Job', 'Model', 'Problem', 'Status', 'Submitted', 'PSNR (dB)', 'SSIM']
        .map((name) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, rows));
  const paging = h('nav', { class: 'paging', 'aria-label': 'Pages' },
    cursor ? h('a', { href: '#/jobs' + queryOf(filters) }, 'Newest') : null,
    page.nextCursor ? h('a', { href: '#/jobs' + queryOf({ ...filters, cursor: page.nextCursor }), rel: 'next' }, 'Older jobs') : null);
  main.append(h('h1', {}, 'Jobs'), form, table, paging);
}

export function queryOf(values) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== '' && value !== null && value !== undefined) {
      query.set(name, value);
    }
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
