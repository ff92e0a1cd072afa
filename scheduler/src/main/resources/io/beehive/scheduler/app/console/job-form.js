// The create form. The API names every invalid field in its 422 (`{"errors": ["instances must be ...", ...]}`,
// nested ones by path, e.g. "resources.cpus ..."); each message goes next to the field it names, the rest above
// the form.

import { api } from './api.js';
import { h } from './dom.js';

const FIELDS = [
  { name: 'id', label: 'Job id', input: { required: true, autocomplete: 'off', placeholder: 'web' },
    hint: 'letters, digits, - and _' },
  { name: 'kind', label: 'Kind', select: ['SERVICE', 'BATCH', 'DAEMON'] },
  { name: 'command', label: 'Command', input: { required: true, placeholder: 'python3 -m http.server $PORT0' },
    wide: true },
  { name: 'instances', label: 'Instances', input: { type: 'number', value: '1' }, number: true },
  { name: 'cpus', label: 'CPUs', path: 'resources.cpus', input: { type: 'number', step: 'any', value: '0.1' },
    number: true },
  { name: 'memMb', label: 'Memory (MB)', path: 'resources.memMb', input: { type: 'number', value: '64' },
    number: true },
  { name: 'ports', label: 'Ports', path: 'resources.ports', input: { type: 'number', value: '0' }, number: true },
];

export function jobForm(created) {
  const general = h('div', { id: 'create-errors', class: 'field-error', role: 'alert' });
  const done = h('p', { id: 'create-done', role: 'status' });
  const controls = FIELDS.map(control);
  const form = h('form', { id: 'create-job', novalidate: true, 'aria-labelledby': 'create-title' },
    h('h2', { id: 'create-title' }, 'Create a job'),
    general,
    h('div', { class: 'form-grid' }, controls.map((c) => c.wrapper)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'create-submit' }, 'Create job')),
    done);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    controls.forEach((c) => c.setError(''));
    general.replaceChildren();
    done.textContent = '';
    const body = spec(controls);
    const submit = form.querySelector('#create-submit');
    submit.disabled = true;
    try {
      await api('POST', '/v1/jobs', body);
      done.textContent = `Job ${body.id} created.`;
      controls.find((c) => c.field.name === 'id').input.value = '';
      created();
    } catch (e) {
      const messages = Array.isArray(e.body?.errors) ? e.body.errors : [e.message];
      const unplaced = [];
      for (const message of messages) {
        const target = controls.find((c) => names(c.field).some((n) => mentions(message, n)));
        if (target) {
          target.addError(message);
        } else {
          unplaced.push(message);
        }
      }
      if (unplaced.length) {
        general.replaceChildren(h('p', {}, e.status === 422 ? 'The job is not valid:' : 'The job was not created:'),
          h('ul', {}, unplaced.map((m) => h('li', {}, m))));
      }
      (controls.find((c) => c.input.getAttribute('aria-invalid') === 'true')?.input ?? general).focus?.();
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function control(field) {
  const id = `field-${field.name}`;
  const errorId = `error-${field.name}`;
  const hintId = field.hint ? `hint-${field.name}` : null;
  const error = h('p', { id: errorId, class: 'field-error', 'aria-live': 'polite' });
  const input = field.select
    ? h('select', { id, name: field.name }, field.select.map((o) => h('option', { value: o }, o.toLowerCase())))
    : h('input', { id, name: field.name, ...field.input });
  input.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const wrapper = h('div', { class: field.wide ? 'field wide' : 'field' },
    h('label', { for: id }, field.label),
    input,
    hintId ? h('p', { id: hintId, class: 'hint' }, field.hint) : null,
    error);
  return {
    field,
    input,
    wrapper,
    setError(text) {
      error.textContent = text;
      input.setAttribute('aria-invalid', text ? 'true' : 'false');
    },
    addError(text) {
      this.setError(error.textContent ? `${error.textContent}; ${text}` : text);
    },
  };
}

/** What the form says, as the API's job spec. A number field keeps what was typed when it is not a number, so
 *  the API (not the browser) says what is wrong with it. */
function spec(controls) {
  const body = { resources: {} };
  for (const { field, input } of controls) {
    const raw = input.value.trim();
    if (raw === '') continue;
    const value = field.number && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
    if (field.path) {
      body.resources[field.path.split('.')[1]] = value;
    } else {
      body[field.name] = value;
    }
  }
  return body;
}

const names = (field) => [field.path ?? field.name];

/** "instances must be ...", "resources.cpus must ...", `unknown field "id"`, "id: ...": the message's subject. */
function mentions(message, name) {
  const escaped = name.replace(/\./g, '\\.');
  return new RegExp(`^${escaped}(\\s|:|$)|"${escaped}"`).test(message);
}
