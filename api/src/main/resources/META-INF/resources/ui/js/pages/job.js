// One job: status (polled until final), truth / measurements / reconstruction, the trace, metrics, spec, provenance.
import { getJson, imageUrl, releaseImage, request } from '../api.js';
import { lineChart } from '../chart.js';
import { clear, errorBox, formatNumber, formatTime, h, shortId, statusBadge } from '../dom.js';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const POLL_MILLIS = 1000;

export async function jobPage(main, { params: [id], context }) {
  const base = `api/v1/jobs/${id}`;
  const status = h('p', { class: 'job-status', 'aria-live': 'polite' });
  const actions = h('div', { class: 'actions' });
  const images = h('section', { 'aria-labelledby': 'images-title' }, h('h2', { id: 'images-title' }, 'Images'));
  const curves = h('section', { 'aria-labelledby': 'trace-title' }, h('h2', { id: 'trace-title' }, 'Solver trace'));
  const metrics = h('section', { 'aria-labelledby': 'metrics-title' }, h('h2', { id: 'metrics-title' }, 'Metrics'));
  const details = h('section', { 'aria-labelledby': 'spec-title' });
  const problems = h('div');
  const events = h('section', { 'aria-labelledby': 'events-title', hidden: true });
  main.append(h('h1', {}, `Job ${shortId(id)}`), status, actions, problems, events, images, curves, metrics, details);

  let shownImages = null;
  const refresh = async () => {
    const [job, progress] = await Promise.all([getJson(base), getJson(`${base}/progress`)]);
    if (!context.isCurrent()) {
      return false;
    }
    renderStatus(status, job);
    renderActions(actions, job, base, problems, refresh);
    renderTrace(curves, progress.items);
    renderMetrics(metrics, job);
    renderEvents(events, job.events || []);
    const imagesNow = (job.images || []).join();
    if (shownImages !== imagesNow) {
      shownImages = imagesNow;
      await renderImages(images, job, base);
    }
    if (!details.hasChildNodes() || FINAL.has(job.status)) {
      renderDetails(details, job);
    }
    return !FINAL.has(job.status);
  };
  if (await refresh()) {
    context.every(POLL_MILLIS, () => refresh().catch((error) => {
      problems.replaceChildren(errorBox(error));
      return error.status !== 401 && error.status !== 404;
    }));
  }
}

function renderStatus(target, job) {
  target.replaceChildren('Status: ', statusBadge(job.status),
    job.workerId ? ` on ${job.workerId}` : '', job.error ? h('span', { class: 'error' }, ` ${job.error}`) : '');
}

function renderActions(target, job, base, problems, refresh) {
  clear(target);
  if (!FINAL.has(job.status)) {
    target.append(h('button', { type: 'button', class: 'danger', onclick: async (event) => {
      event.target.disabled = true;
      try {
        await request(base, { method: 'DELETE' });
        await refresh();
      } catch (error) {
        problems.replaceChildren(errorBox(error));
        event.target.disabled = false;
      }
    } }, 'Cancel job'));
  }
  if (job.experiment) {
    target.append(h('a', { href: `#/experiments/${job.experiment}` }, 'Its experiment'));
  }
}

/** Truth, measurements (when they are an image) and reconstruction: those the job says exist, placeholders for the rest. */
async function renderImages(target, job, base) {
  const kinds = [['truth', 'Truth'], ['measurement', 'Measurements'], ['reconstruction', 'Reconstruction']];
  const available = new Set(job.images || []);
  const figures = await Promise.all(kinds.map(async ([kind, title]) => {
    if (!available.has(kind)) {
      return h('figure', { class: 'tile missing' }, h('div', { class: 'placeholder' }, placeholderText(kind, job)),
        h('figcaption', {}, title));
    }
    const url = await imageUrl(`${base}/image?kind=${kind}`);
    return h('figure', { class: 'tile' },
      h('img', { src: url, alt: `${title} of job ${shortId(job.id)}`, class: 'pixelated', 'data-kind': kind }),
      h('figcaption', {}, title));
  }));
  target.querySelectorAll('img').forEach((img) => releaseImage(img.src));
  target.replaceChildren(target.firstChild, h('div', { class: 'triptych' }, figures));
}

function placeholderText(kind, job) {
  if (kind === 'reconstruction') {
    return FINAL.has(job.status) ? 'none' : 'not yet';
  }
  if (kind === 'measurement' && job.problemKind === 'compressive-sensing') {
    return 'a vector, not an image';
  }
  return 'not given';
}

function renderTrace(target, points) {
  const loss = points.map((p) => [p.iteration, p.loss]);
  const psnr = points.filter((p) => p.psnr !== null && p.psnr !== undefined).map((p) => [p.iteration, p.psnr]);
  const charts = [lineChart({ title: 'Loss', xLabel: 'iteration', yLabel: 'loss', points: loss, logY: true })];
  if (psnr.length > 0) {
    charts.push(lineChart({ title: 'PSNR', xLabel: 'iteration', yLabel: 'PSNR (dB)', points: psnr }));
  }
  target.replaceChildren(target.firstChild, h('div', { class: 'charts' }, charts));
}

function renderMetrics(target, job) {
  const r = job.result;
  const rows = [
    ['Model', job.model], ['Problem', job.problemKind], ['Submitted', formatTime(job.createdAt)],
    ['Started', formatTime(job.startedAt)], ['Finished', formatTime(job.finishedAt)], ['Attempts', job.attempts],
  ];
  if (r) {
    rows.push(['PSNR', `${formatNumber(r.psnr)} dB`], ['SSIM', formatNumber(r.ssim, 4)],
      ['Measurement residual', formatNumber(r.residualNorm, 4)], ['||z||', formatNumber(r.latentNorm, 3)],
      ['Iterations', r.iterations], ['Evaluations', r.evaluations], ['Wall time', `${r.wallMillis} ms`],
      ['Stop reason', r.stopReason || '–'], ['Execution provider', r.executionProvider || '–'],
      ['Model sha256', h('code', {}, r.modelSha256 || '–')]);
  }
  target.replaceChildren(target.firstChild,
    h('dl', { class: 'facts' }, rows.map(([name, value]) => [h('dt', {}, name), h('dd', {}, value ?? '–')])));
}

/** What happened to the job besides its status (e.g. put back in the queue when its worker went silent). */
function renderEvents(target, events) {
  target.hidden = events.length === 0;
  target.replaceChildren(h('h2', { id: 'events-title' }, 'Events'),
    h('ul', { class: 'events' }, events.map((e) => h('li', {}, h('time', { datetime: e.at }, formatTime(e.at)),
      ` ${e.kind}`, e.detail ? `: ${e.detail}` : ''))));
}

function renderDetails(target, job) {
  target.replaceChildren(
    h('h2', { id: 'spec-title' }, 'Spec'),
    h('p', {}, 'Spec hash ', h('code', {}, job.specHash)),
    h('pre', { class: 'json', tabindex: 0, 'aria-label': 'Job spec as JSON' }, JSON.stringify(job.spec, null, 2)),
    h('h2', {}, 'Provenance'),
    job.result && job.result.provenance
      ? h('pre', { class: 'json', tabindex: 0, 'aria-label': 'Provenance as JSON' }, JSON.stringify(job.result.provenance, null, 2))
      : h('p', {}, 'Recorded with the result.'));
}
