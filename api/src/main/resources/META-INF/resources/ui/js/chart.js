// A small inline-SVG line chart for a job's per-iteration trace (the API's progress rows).

// The SVG namespace, taken from an <svg> the HTML parser made, so that no served file spells a URL.
const SVG = new DOMParser().parseFromString('<svg></svg>', 'text/html').body.firstElementChild.namespaceURI;
const WIDTH = 420;
const HEIGHT = 240;
const PAD = { left: 64, right: 16, top: 28, bottom: 44 };

function s(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    element.setAttribute(name, String(value));
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

/** About five round tick values covering [low, high]. */
function ticks(low, high) {
  if (low === high) {
    return [low];
  }
  const raw = (high - low) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((candidate) => candidate >= raw);
  const values = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) {
    values.push(Number(v.toPrecision(12)));
  }
  return values;
}

function label(value, log) {
  if (log) {
    return value >= -3 && value <= 4 ? String(10 ** value) : `1e${value}`;
  }
  return Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-2) ? value.toExponential(1) : String(value);
}

/**
 * points: [[x, y], ...]; logY plots log10(y) (loss spans decades). Returns an <svg role="img"> whose
 * title and description say what a screen reader user needs: the first and the last value.
 */
export function lineChart({ title, xLabel, yLabel, points, logY = false }) {
  const usable = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0));
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'chart' });
  const first = usable[0];
  const last = usable[usable.length - 1];
  const summary = usable.length === 0 ? 'no points yet'
    : `${usable.length} points, from ${first[1].toPrecision(4)} at ${xLabel} ${first[0]} to ${last[1].toPrecision(4)} at ${xLabel} ${last[0]}`;
  svg.append(s('title', {}, `${title}: ${summary}`));
  svg.append(s('text', { x: PAD.left, y: 18, class: 'chart-title' }, title));
  if (usable.length === 0) {
    svg.append(s('text', { x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle', class: 'chart-note' }, 'no points yet'));
    return svg;
  }
  const ys = usable.map(([, y]) => (logY ? Math.log10(y) : y));
  const xs = usable.map(([x]) => x);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (x0 === x1) {
    x1 = x0 + 1;
  }
  if (y0 === y1) {
    [y0, y1] = [y0 - 1, y1 + 1];
  } else if (logY) {
    [y0, y1] = [Math.floor(y0), Math.ceil(y1)];
  }
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const px = (x) => PAD.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y) => PAD.top + plotH - ((y - y0) / (y1 - y0)) * plotH;

  const axes = s('g', { class: 'chart-axes' });
  axes.append(s('line', { x1: PAD.left, y1: PAD.top + plotH, x2: PAD.left + plotW, y2: PAD.top + plotH }));
  axes.append(s('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: PAD.top + plotH }));
  for (const t of ticks(x0, x1)) {
    axes.append(s('line', { x1: px(t), y1: PAD.top + plotH, x2: px(t), y2: PAD.top + plotH + 4 }));
    axes.append(s('text', { x: px(t), y: PAD.top + plotH + 16, 'text-anchor': 'middle' }, label(t, false)));
  }
  const yTicks = logY ? ticks(y0, y1).filter((t) => Number.isInteger(t)) : ticks(y0, y1);
  for (const t of yTicks) {
    axes.append(s('line', { x1: PAD.left, y1: py(t), x2: PAD.left + plotW, y2: py(t), class: 'chart-grid' }));
    axes.append(s('text', { x: PAD.left - 6, y: py(t) + 4, 'text-anchor': 'end' }, label(t, logY)));
  }
  axes.append(s('text', { x: PAD.left + plotW / 2, y: HEIGHT - 8, 'text-anchor': 'middle' }, xLabel));
  axes.append(s('text', { x: 14, y: PAD.top + plotH / 2, 'text-anchor': 'middle',
    transform: `rotate(-90 14 ${PAD.top + plotH / 2})` }, yLabel + (logY ? ' (log scale)' : '')));
  svg.append(axes);
  const path = usable.map(([x], i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(ys[i]).toFixed(1)}`).join(' ');
  svg.append(s('path', { d: path, class: 'chart-line' }));
  if (usable.length === 1) {
    svg.append(s('circle', { cx: px(xs[0]), cy: py(ys[0]), r: 3, class: 'chart-dot' }));
  }
  return svg;
}
