// Submit a job: the truth from an upload or an image-set entry, a model, a problem and its parameters.
// The API is the one judge of a spec: every 400 violation is shown next to the control of its field.
import { ApiError, getJson, imageUrl, releaseImage, sendJson } from '../api.js';
import { errorBox, field, h } from '../dom.js';
import { showViolations, clearViolations } from '../violations.js';

const text = (name, attributes = {}) => h('input', { type: 'text', name, autocomplete: 'off', ...attributes });
const numeric = (name, attributes = {}) => text(name, { inputmode: 'decimal', ...attributes });
const choice = (name, options, selected) => h('select', { name },
  options.map(([value, label]) => h('option', { value, selected: value === selected }, label)));

export async function submitPage(main) {
  const [models, sets] = await Promise.all([getJson('api/v1/models'), getJson('api/v1/image-sets')]);
  const c = controls(models.items, sets.imageSets);
  const general = h('div', { class: 'form-errors', role: 'alert', tabindex: -1 });
  const form = h('form', { novalidate: true, class: 'submit-form', 'aria-describedby': 'submit-help' },
    h('p', { id: 'submit-help', class: 'hint' }, 'Blank optional fields take the model\'s defaults; seeds default to 0.'),
    h('fieldset', {}, h('legend', {}, 'Image to recover'),
      h('div', { class: 'radios', role: 'radiogroup', 'aria-label': 'Where the image comes from' },
        h('label', {}, c.fromUpload, ' Upload a PNG'), h('label', {}, c.fromSet, ' An image-set entry')),
      c.uploadGroup, c.setGroup),
    h('fieldset', {}, h('legend', {}, 'Model and problem'),
      field('Model', c.model, { field: 'model', hint: 'The prior (or the lasso-dct baseline); its image shape must match the image.' }),
      field('Problem', c.kind, { field: 'problem.kind' }), c.csGroup, c.inpaintGroup, c.noiseGroup),
    h('details', {}, h('summary', {}, 'Solver settings (optional)'), c.solverGroup),
    general,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Submit job')));
  const sync = () => {
    const upload = c.fromUpload.checked;
    c.uploadGroup.hidden = !upload;
    c.setGroup.hidden = upload;
    c.csGroup.hidden = c.kind.value !== 'compressive-sensing';
    c.inpaintGroup.hidden = c.kind.value !== 'inpainting';
    const mask = c.maskKind.value;
    c.maskSize.closest('.field').hidden = mask !== 'center-block';
    c.missing.closest('.field').hidden = mask !== 'random-pixels';
    c.maskSeed.closest('.field').hidden = mask !== 'random-pixels';
    const noise = c.noiseKind.value;
    c.noiseStd.closest('.field').hidden = noise !== 'gaussian';
    c.noiseNorm.closest('.field').hidden = noise !== 'gaussian-norm';
    c.noiseSeed.closest('.field').hidden = noise === 'none';
  };
  form.addEventListener('change', sync);
  sync();
  c.previewOn(c.set, c.index);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearViolations(form, general);
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const job = await sendJson('POST', 'api/v1/jobs', await body(c));
      location.hash = `#/jobs/${job.id}`;
    } catch (error) {
      button.disabled = false;
      if (error instanceof ApiError && error.violations.length > 0) {
        showViolations(form, general, error.violations);
      } else if (error instanceof ApiError && error.status === 401) {
        // the key dialog says it
      } else {
        general.replaceChildren(errorBox(error));
      }
    }
  });
  main.append(h('h1', {}, 'Submit a job'), form);
}

function controls(models, sets) {
  const c = {};
  c.fromUpload = h('input', { type: 'radio', name: 'source', value: 'upload', checked: true });
  c.fromSet = h('input', { type: 'radio', name: 'source', value: 'set', disabled: sets.length === 0 });
  c.file = h('input', { type: 'file', name: 'truth-file', accept: 'image/png' });
  c.uploadGroup = h('div', {}, field('PNG file', c.file, { field: 'truth.png', hint: 'The truth; measurements are simulated from it.' }));
  c.set = choice('imageSet', sets.map((s) => [s.id, `${s.name} (${s.count} images, ${s.shape.join('x')})`]));
  c.index = numeric('index', { value: '0', inputmode: 'numeric' });
  c.preview = h('div', { class: 'preview', 'aria-live': 'polite' });
  c.setGroup = h('div', { class: 'row' }, field('Image set', c.set, { field: 'truth.imageSet' }),
    field('Index in the set', c.index, { field: 'truth.index' }), c.preview);
  c.previewOn = (set, index) => {
    const show = async () => {
      const old = c.preview.querySelector('img');
      const i = Number.parseInt(index.value, 10);
      const chosen = sets.find((s) => s.id === set.value);
      if (!chosen || !Number.isInteger(i) || i < 0 || i >= chosen.count) {
        c.preview.replaceChildren();
      } else {
        const url = await imageUrl(`api/v1/image-sets/${chosen.id}/thumbnails/${i}`);
        c.preview.replaceChildren(h('img', { src: url, alt: `Image ${i} of ${chosen.name}`, class: 'pixelated thumb' }));
      }
      if (old) {
        releaseImage(old.src);
      }
    };
    set.addEventListener('change', show);
    index.addEventListener('change', show);
    show().catch(() => c.preview.replaceChildren());
  };
  c.model = choice('model', models.map((m) => [m.id, `${m.id} (${m.kind}${shape(m)})`]), 'lasso-dct');
  c.kind = choice('problem', [['compressive-sensing', 'compressive sensing'], ['denoising', 'denoising'],
    ['inpainting', 'inpainting']], 'compressive-sensing');
  c.m = numeric('m', { value: '100', inputmode: 'numeric' });
  c.operator = choice('operator', [['gaussian', 'Gaussian'], ['subsampled-dct', 'subsampled DCT']], 'gaussian');
  c.seed = numeric('seed', { inputmode: 'numeric' });
  c.csGroup = h('div', { class: 'row' }, field('Measurements m', c.m, { field: 'problem.m', hint: 'At most n, the number of pixel values.' }),
    field('Operator', c.operator, { field: 'problem.operator' }), field('Operator seed', c.seed, { field: 'problem.seed' }));
  c.maskKind = choice('mask', [['center-block', 'centre block'], ['random-pixels', 'random pixels']], 'center-block');
  c.maskSize = numeric('mask-size', { value: '8', inputmode: 'numeric' });
  c.missing = numeric('missing-fraction', { value: '0.5' });
  c.maskSeed = numeric('mask-seed', { inputmode: 'numeric' });
  c.inpaintGroup = h('div', { class: 'row' }, field('Mask', c.maskKind, { field: 'problem.mask.kind' }),
    field('Block side (pixels)', c.maskSize, { field: 'problem.mask.size' }),
    field('Missing fraction', c.missing, { field: 'problem.mask.missingFraction' }),
    field('Mask seed', c.maskSeed, { field: 'problem.mask.seed' }));
  c.noiseKind = choice('noise', [['gaussian-norm', 'Gaussian, by norm'], ['gaussian', 'Gaussian, by std'], ['none', 'none']], 'gaussian-norm');
  c.noiseStd = numeric('noise-std', { value: '0.1' });
  c.noiseNorm = numeric('noise-norm', { value: '0.1' });
  c.noiseSeed = numeric('noise-seed', { inputmode: 'numeric' });
  c.noiseGroup = h('div', { class: 'row' }, field('Noise', c.noiseKind, { field: 'problem.noise.kind' }),
    field('Noise std', c.noiseStd, { field: 'problem.noise.std' }),
    field('Noise norm ||e||', c.noiseNorm, { field: 'problem.noise.norm' }),
    field('Noise seed', c.noiseSeed, { field: 'problem.noise.seed' }));
  c.optimizer = choice('optimizer', [['', 'the model\'s default'], ['fista', 'FISTA'], ['lbfgs', 'L-BFGS'], ['adam', 'Adam']], '');
  c.lineSearch = choice('lineSearch', [['', 'the model\'s default'], ['strong-wolfe', 'strong Wolfe'],
    ['none', 'none (fixed step, the paper\'s)']], '');
  c.steps = numeric('steps', { inputmode: 'numeric' });
  c.lr = numeric('lr');
  c.gamma = numeric('gamma');
  c.lambda = numeric('lambda');
  c.restarts = numeric('restarts', { inputmode: 'numeric' });
  c.solverGroup = h('div', { class: 'row' }, field('Optimizer', c.optimizer, { field: 'solver.optimizer' }),
    field('L-BFGS line search', c.lineSearch, { field: 'solver.lineSearch' }),
    field('Steps', c.steps, { field: 'solver.steps' }), field('Learning rate', c.lr, { field: 'solver.lr' }),
    field('gamma (weight of ||z||²)', c.gamma, { field: 'solver.gamma' }),
    field('lambda (Lasso)', c.lambda, { field: 'solver.lambda' }), field('Restarts', c.restarts, { field: 'solver.restarts' }));
  return c;
}

function shape(model) {
  const s = model.card && model.card.imageShape; // [C, H, W]
  return Array.isArray(s) ? `, ${s.join('x')}` : ', any shape';
}

/** A typed number when the text is one; otherwise the text itself, so that the API names the field's rule. */
function value(control) {
  const raw = control.value.trim();
  if (raw === '') {
    return undefined;
  }
  const number = Number(raw);
  return Number.isFinite(number) ? number : raw;
}

function put(target, name, v) {
  if (v !== undefined && v !== '') {
    target[name] = v;
  }
  return target;
}

async function body(c) {
  const problem = { kind: c.kind.value };
  if (problem.kind === 'compressive-sensing') {
    put(problem, 'm', value(c.m));
    put(problem, 'operator', c.operator.value);
    put(problem, 'seed', value(c.seed));
  }
  if (problem.kind === 'inpainting') {
    const mask = { kind: c.maskKind.value };
    if (mask.kind === 'center-block') {
      put(mask, 'size', value(c.maskSize));
    } else {
      put(mask, 'missingFraction', value(c.missing));
      put(mask, 'seed', value(c.maskSeed));
    }
    problem.mask = mask;
  }
  const noise = { kind: c.noiseKind.value };
  if (noise.kind === 'gaussian') {
    put(noise, 'std', value(c.noiseStd));
  }
  if (noise.kind === 'gaussian-norm') {
    put(noise, 'norm', value(c.noiseNorm));
  }
  if (noise.kind !== 'none') {
    put(noise, 'seed', value(c.noiseSeed));
  }
  problem.noise = noise;
  const solver = {};
  put(solver, 'optimizer', c.optimizer.value);
  put(solver, 'lineSearch', c.lineSearch.value);
  for (const name of ['steps', 'lr', 'gamma', 'lambda', 'restarts']) {
    put(solver, name, value(c[name]));
  }
  const job = { model: c.model.value, problem };
  if (Object.keys(solver).length > 0) {
    job.solver = solver;
  }
  if (c.fromUpload.checked) {
    job.truth = c.file.files.length > 0 ? { png: await base64(c.file.files[0]) } : {};
  } else {
    job.truth = put({ imageSet: c.set.value }, 'index', value(c.index));
  }
  return job;
}

function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
