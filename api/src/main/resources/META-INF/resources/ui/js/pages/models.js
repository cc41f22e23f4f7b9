// The prior registry as cards: kind, training data, image shape, bits/dim, status, a grid of samples.
import { getJson, imageUrl } from '../api.js';
import { formatNumber, h } from '../dom.js';

export async function modelsPage(main) {
  const models = (await getJson('api/v1/models')).items;
  const cards = await Promise.all(models.map(card));
  main.append(h('h1', {}, 'Models'), h('ul', { class: 'cards models' }, cards));
}

async function card(model) {
  const c = model.card || {};
  const shape = Array.isArray(c.imageShape) ? c.imageShape.join(' x ') : 'any';
  const status = model.status || 'ready';
  const facts = [
    ['Kind', model.kind], ['Dataset', c.dataset ? `${c.dataset}${c.split ? ` (${c.split})` : ''}` : '–'],
    ['Image shape', shape], ['Latent size', c.latentSize ?? '–'],
    ['Test bits/dim', c.testBitsPerDim === null || c.testBitsPerDim === undefined ? '–' : formatNumber(c.testBitsPerDim, 2)],
    ['Status', h('span', { class: `status status-${status.toLowerCase()}` }, status)],
  ];
  if (model.statusReason || model.reason) {
    facts.push(['Reason', model.statusReason || model.reason]);
  }
  // baselines without a trained generator: Lasso-DCT, and the Deep Decoder (untrained, fitted per job)
  const sampleless = model.kind === 'lasso-dct' || model.kind === 'deep-decoder';
  let samples = null;
  // Bundle folders carry a grid of generator samples, imported models one drawn by their validation; the
  // server says which (asking for one that does not exist would be a 404 and a console error).
  if (model.hasSamples) {
    const url = await imageUrl(`api/v1/models/${encodeURIComponent(model.id)}/samples.png`).catch(() => null);
    samples = url ? h('img', { src: url, alt: `Samples drawn from ${model.id}`, class: 'pixelated samples' }) : null;
  }
  return h('li', { class: 'card' }, h('h2', {}, model.id),
    samples || h('div', { class: 'placeholder samples' }, sampleless ? 'no trained generator: nothing to sample'
      : (status === 'validating' ? 'samples come with validation' : 'no samples')),
    h('dl', { class: 'facts' }, facts.map(([name, value]) => [h('dt', {}, name), h('dd', {}, value)])));
}
