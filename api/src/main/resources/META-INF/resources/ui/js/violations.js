// Shows an API 400's violations ({field, rule}) next to the control whose data-field names that field.
import { h, replace } from './dom.js';

function visible(control) {
  return !control.closest('[hidden]');
}

/** The control for a field: the same name, else the first visible control inside it (truth -> truth.png). */
function controlFor(form, name) {
  const controls = [...form.querySelectorAll('[data-field]')].filter(visible);
  return controls.find((c) => c.dataset.field === name)
    || controls.find((c) => c.dataset.field.startsWith(`${name}.`));
}

export function clearViolations(form, general) {
  form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error').forEach((e) => {
    e.hidden = true;
    e.textContent = '';
  });
  general.replaceChildren();
}

export function showViolations(form, general, violations) {
  const rest = [];
  let first = null;
  for (const violation of violations) {
    const control = controlFor(form, violation.field);
    if (!control) {
      rest.push(violation);
      continue;
    }
    const message = document.getElementById(`${control.id}-error`);
    const rule = violation.field === control.dataset.field ? violation.rule : `${violation.field}: ${violation.rule}`;
    message.textContent = message.textContent ? `${message.textContent}; ${rule}` : rule;
    message.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    first = first || control;
  }
  const count = violations.length;
  replace(general, h('p', { class: 'error' },
    `The API refused the job: ${count} problem${count === 1 ? '' : 's'}${rest.length < count ? ', shown next to their fields' : ''}.`),
  rest.length > 0 ? h('ul', {}, rest.map((v) => h('li', {}, h('code', {}, v.field), ` ${v.rule}`))) : null);
  const details = first && first.closest('details');
  if (details) {
    details.open = true;
  }
  (first || general).focus();
}
