// One experiment: progress and ETA, the summary table, the server's plot and image grid, CSV downloads, cancel.
import { download, getJson, imageUrl, releaseImage, request } from '../api.js';
import { errorBox, field, formatNumber, formatSeconds, formatTime, h, replace } from '../dom.js';
import { progressBar } from './experiments.js';

// The axes the API can put on a plot's x (ExperimentPlots.NUMERIC_AXES).
const NUMERIC_AXES = ['ratio', 'm', 'noiseStd', 'noiseNorm', 'gamma', 'lr', 'steps', 'restarts', 'maskSize',
  'missingFraction', 'lambda'];
const POLL_MILLIS = 3000;

export async function experimentPage(main, { params: [id], context }) {
  const base = `api/v1/experiments/${id}`;
  const summary = await getJson(base);
  const progress = h('section', { 'aria-labelledby': 'progress-title', class: 'progress-box' });
  const problems = h('div');
  const table = h('section', { 'aria-labelledby': 'cells-title' });
  const plot = h('section', { 'aria-labelledby': 'plot-title' });
  const grid = h('section', { 'aria-labelledby': 'grid-title' });
  main.append(h('h1', {}, summary.name), h('p', { class: 'muted' }, `Created ${formatTime(summary.createdAt)}`),
    progress, problems,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => download(`${base}?format=csv`, `experiment-${id}.csv`).catch(show) }, 'Download summary CSV'),
      h('button', { type: 'button', class: 'secondary', onclick: () => download(`${base}/jobs.csv`, `experiment-${id}-jobs.csv`).catch(show) }, 'Download per-job CSV')),
    table, plot, grid);
  function show(error) {
    problems.replaceChildren(errorBox(error));
  }

  const plotView = plotSection(plot, base, summary.cells);
  const gridView = summary.imageSet ? gridSection(grid, base, summary.cells) : null;
  let succeeded = -1;
  const update = async (current) => {
    renderProgress(progress, current, base, show, () => reload());
    renderCells(table, current.cells);
    if (current.progress.succeeded !== succeeded) {
      succeeded = current.progress.succeeded;
      await Promise.all([plotView.draw(), gridView ? gridView.draw() : null]);
    }
  };
  const running = (current) => !current.cancelledAt && current.progress.done < current.progress.total;
  const reload = async () => {
    const current = await getJson(base);
    if (!context.isCurrent()) {
      return false;
    }
    await update(current);
    return running(current);
  };
  await update(summary);
  if (running(summary)) {
    context.every(POLL_MILLIS, () => reload().catch((error) => {
      show(error);
      return error.status !== 401 && error.status !== 404;
    }));
  }
}

function renderProgress(target, summary, base, show, after) {
  const p = summary.progress;
  const finished = summary.cancelledAt || p.done >= p.total;
  const parts = [`${p.done} of ${p.total} jobs done`, `${p.succeeded} succeeded`, `${p.running} running`,
    `${p.queued} queued`, `${p.failed} failed`, `${p.cancelled} cancelled`];
  replace(target, h('h2', { id: 'progress-title' }, 'Progress'),
    progressBar(p.done, p.total, 'Jobs done'),
    h('p', { 'aria-live': 'polite' }, parts.join(', '), '. ',
      summary.cancelledAt ? `Cancelled ${formatTime(summary.cancelledAt)}.`
        : finished ? 'Finished.' : `ETA ${formatSeconds(p.etaSeconds)} with ${p.liveWorkers} live worker${p.liveWorkers === 1 ? '' : 's'}.`),
    finished ? null : h('button', { type: 'button', class: 'danger', onclick: async (event) => {
      event.target.disabled = true;
      try {
        await request(base, { method: 'DELETE' });
        await after();
      } catch (error) {
        show(error);
        event.target.disabled = false;
      }
    } }, 'Cancel experiment'));
}

function axisNames(cells) {
  const names = [];
  cells.forEach((cell) => Object.keys(cell.axes).forEach((name) => names.includes(name) || names.push(name)));
  return names;
}

function axisText(value) {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value ?? '–');
}

function stat(s, digits) {
  return s && s.n > 0 ? `${formatNumber(s.mean, digits)} ± ${formatNumber(s.std, digits)}` : '–';
}

function interval(s, digits) {
  return s && s.n > 1 && s.ciLow !== null ? `${formatNumber(s.ciLow, digits)} – ${formatNumber(s.ciHigh, digits)}` : '–';
}

function renderCells(target, cells) {
  const axes = axisNames(cells);
  const head = [...axes, 'jobs', 'succeeded', 'failed', 'PSNR (dB), mean ± std', 'PSNR 95% CI', 'SSIM, mean ± std',
    'SSIM 95% CI', 'median wall time'];
  const failures = cells.flatMap((cell) => cell.failures || []);
  replace(target, h('h2', { id: 'cells-title' }, 'Summary'),
    h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Summary table' },
      h('table', { class: 'data', id: 'cells' },
        h('caption', {}, 'One row per cell: every axis but images and seeds'),
        h('thead', {}, h('tr', {}, head.map((name) => h('th', { scope: 'col' }, name)))),
        h('tbody', {}, cells.map((cell) => h('tr', {},
          axes.map((name) => h('td', {}, axisText(cell.axes[name]))),
          h('td', { class: 'num' }, cell.jobs), h('td', { class: 'num' }, cell.succeeded),
          h('td', { class: 'num' }, cell.failed), h('td', { class: 'num' }, stat(cell.psnr, 2)),
          h('td', { class: 'num' }, interval(cell.psnr, 2)), h('td', { class: 'num' }, stat(cell.ssim, 3)),
          h('td', { class: 'num' }, interval(cell.ssim, 3)),
          h('td', { class: 'num' }, cell.medianWallMillis === null || cell.medianWallMillis === undefined
            ? '–' : formatSeconds(cell.medianWallMillis / 1000))))))),
    failures.length === 0 ? null : h('div', {}, h('h3', {}, 'Failures'),
      h('ul', {}, failures.map((f) => h('li', {}, h('a', { href: `#/jobs/${f.job}` }, f.job.slice(0, 8)), ` ${f.reason}`)))));
}

/** The server's plot (SVG) of a metric against a numeric axis, one line per model. */
function plotSection(target, base, cells) {
  const axes = axisNames(cells).filter((name) => NUMERIC_AXES.includes(name));
  if (axes.length === 0) {
    target.replaceChildren(h('h2', { id: 'plot-title' }, 'Plot'), h('p', {}, 'This grid has no numeric axis to plot against.'));
    return { draw: async () => {} };
  }
  const x = h('select', { name: 'x' }, axes.map((name) => h('option', { value: name }, name)));
  const metric = h('select', { name: 'metric' }, h('option', { value: 'psnr' }, 'PSNR'), h('option', { value: 'ssim' }, 'SSIM'));
  const scale = h('select', { name: 'scale' }, h('option', { value: 'linear' }, 'linear'), h('option', { value: 'log' }, 'log'));
  const figure = h('figure', { class: 'plot' });
  const form = h('form', { class: 'filters', 'aria-label': 'Plot settings' },
    field('x axis', x), field('Metric', metric), field('x scale', scale),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Redraw')));
  target.replaceChildren(h('h2', { id: 'plot-title' }, 'Plot'), form, figure);
  const draw = async () => {
    const query = new URLSearchParams({ x: x.value, metric: metric.value, scale: scale.value });
    const url = await imageUrl(`${base}/plot.svg?${query}`);
    const old = figure.querySelector('img');
    figure.replaceChildren(h('img', { src: url, id: 'plot', class: 'plot-image',
      alt: `${metric.selectedOptions[0].text} against ${x.value}, one line per model with error bars` }),
    h('figcaption', {}, `${metric.selectedOptions[0].text} against ${x.value} (mean and 95% interval per model)`));
    if (old) {
      releaseImage(old.src);
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    draw();
  });
  return { draw };
}

/** The server's image grid at one cell per model: rows are images, columns truth, measurements, models. */
function gridSection(target, base, cells) {
  const choices = new Map();
  for (const cell of cells) {
    const rest = Object.fromEntries(Object.entries(cell.axes)
      .filter(([name, value]) => name !== 'model' && (value === null || typeof value !== 'object')));
    const key = new URLSearchParams(rest).toString();
    if (!choices.has(key)) {
      choices.set(key, Object.entries(rest).map(([name, value]) => `${name} ${value}`).join(', ') || 'the only cell');
    }
  }
  const select = h('select', { name: 'cell' }, [...choices].map(([value, label]) => h('option', { value }, label)));
  const figure = h('figure', { class: 'grid' });
  const form = h('form', { class: 'filters', 'aria-label': 'Image grid settings' }, field('Cell', select),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')));
  target.replaceChildren(h('h2', { id: 'grid-title' }, 'Image grid'), form, figure);
  const draw = async () => {
    const url = await imageUrl(`${base}/grid.png${select.value ? `?${select.value}` : ''}`);
    const old = figure.querySelector('img');
    const img = h('img', { src: url, id: 'grid', class: 'pixelated grid-image',
      alt: `Image grid at ${select.selectedOptions[0].text}: truth, measurements and each model's reconstruction per image` });
    // Tiles are drawn at the images' size (32 pixels): enlarge by a whole factor, so pixels stay square.
    img.addEventListener('load', () => {
      img.style.width = `${img.naturalWidth * Math.max(1, Math.floor(720 / img.naturalWidth))}px`;
    });
    figure.replaceChildren(img,
    h('figcaption', {}, `Rows: images; columns: truth, measurements, then each model (${select.selectedOptions[0].text})`));
    if (old) {
      releaseImage(old.src);
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    draw();
  });
  return { draw };
}
