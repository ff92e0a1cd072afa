// Building the page from data without innerHTML: task output and job ids are shown as text, never parsed.

/** h('td', {class: 'x', onclick: fn}, 'text', child, [more]) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : String(child));
    }
  }
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A time in the viewer's zone, in a <time> element whose title names the zone. */
export function time(value) {
  if (value === undefined || value === null || value === '') {
    return '—';
  }
  const date = typeof value === 'number' ? new Date(value) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    return String(value);
  }
  return h('time', { datetime: date.toISOString(), title: `${zone}` }, dateTime.format(date));
}

/** "3 s", "4 min", "2 h", "5 d": how long ago, for ages. */
export function age(millis) {
  if (!millis) {
    return '—';
  }
  const seconds = Math.max(0, Math.round((Date.now() - millis) / 1000));
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

export function duration(millis) {
  if (millis === undefined || millis === null) return '—';
  return millis < 10000 ? `${millis} ms` : `${(millis / 1000).toFixed(1)} s`;
}

/** A table in a scrollable region: wide tables scroll sideways on a narrow screen instead of the page. */
export function table(caption, headings, rows, { empty = 'None.' } = {}) {
  if (rows.length === 0) {
    return h('p', { class: 'empty' }, empty);
  }
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: 0 },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headings.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)));
}

export function stateBadge(state) {
  const short = (state ?? 'unknown').replace(/^TASK_/, '').toLowerCase();
  return h('span', { class: `badge state-${short}` }, short);
}
