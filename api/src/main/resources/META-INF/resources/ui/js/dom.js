// Building elements without innerHTML: every value from the API becomes text, never markup.

/** h('a', {href: '#/jobs', class: 'x', onclick: fn}, 'text', child, [more]) */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (name === 'value' || name === 'checked' || name === 'selected') {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** replaceChildren that, like h(), skips null, undefined and false (the native one would print "null"). */
export function replace(element, ...children) {
  return append(clear(element), children);
}

/** A labelled form control: a div holding label, control, hint and the slot its API violation goes into. */
export function field(label, control, { hint, field: name } = {}) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  if (name) {
    control.dataset.field = name;
  }
  return h('div', { class: 'field', 'data-field-box': name || null },
    h('label', { for: id }, label), control,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null, error);
}

export function errorBox(error) {
  return h('div', { class: 'error-box', role: 'alert' }, error instanceof Error ? error.message : String(error));
}

export function formatNumber(value, digits = 2) {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits);
}

export function formatTime(iso) {
  if (!iso) {
    return '–';
  }
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined) {
    return '–';
  }
  const s = Math.round(seconds);
  if (s < 90) {
    return `${s} s`;
  }
  if (s < 5400) {
    return `${Math.round(s / 60)} min`;
  }
  return `${(s / 3600).toFixed(1)} h`;
}

export function statusBadge(status) {
  return h('span', { class: `status status-${String(status).toLowerCase()}` }, status);
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : '–';
}
