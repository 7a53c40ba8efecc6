// Small DOM helpers: build elements, show errors and notices, format sizes and times.

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'open',
  'textContent', 'readOnly', 'indeterminate']);

/**
 * Builds an element: h('button', {class: 'primary', onclick: run}, 'Run').
 * Children may be strings, nodes, arrays or null (skipped).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (PROPERTIES.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces an element's content. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** An error as a readable block: what failed, the explorer's message, and its code. */
export function errorBox(error, what) {
  const code = error?.code != null ? `code ${error.code}` : null;
  const status = error?.status ? `HTTP ${error.status}` : null;
  return h('div', {class: 'error-box', role: 'alert'},
    what ? h('strong', null, what + ': ') : null,
    h('span', {class: 'error-message'}, error?.message ?? String(error)),
    code || status ? h('span', {class: 'error-code'}, [status, code].filter(Boolean).join(' · ')) : null);
}

/** A short notice in the corner that fades away (successes; errors stay in the page). */
export function notify(message, kind = 'ok') {
  const area = document.getElementById('toasts');
  const toast = h('div', {class: `toast toast-${kind}`}, message);
  area.append(toast);
  setTimeout(() => toast.classList.add('leaving'), 2600);
  setTimeout(() => toast.remove(), 3000);
}

/** A button that asks once more before doing something that cannot be undone. */
export function confirmButton(label, confirmLabel, action, props = {}) {
  let armed = false;
  let timer = null;
  const button = h('button', {type: 'button', class: 'ghost quiet-danger', ...props}, label);
  const disarm = () => {
    armed = false;
    clearTimeout(timer);
    button.textContent = label;
    button.classList.remove('armed');
  };
  button.addEventListener('click', async (event) => {
    event.stopPropagation();
    if (!armed) {
      armed = true;
      button.textContent = confirmLabel;
      button.classList.add('armed');
      timer = setTimeout(disarm, 4000);
      return;
    }
    disarm();
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
    }
  });
  button.addEventListener('blur', disarm);
  return button;
}

/**
 * Shows a modal form dialog: submitting or Ctrl/Cmd+Enter calls send(); Enter in a field calls
 * onEnter(event) instead (to move on rather than submit half a form); closing removes it.
 */
export function showFormDialog(dialog, send, onEnter) {
  dialog.querySelector('form').addEventListener('submit', (e) => {
    e.preventDefault();
    send();
  });
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    } else if (e.key === 'Enter') {
      onEnter(e);
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

export function formatBytes(n) {
  if (n == null) return '–';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function plural(n, one, many = one + 's') {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** "in 5 minutes", "3 seconds ago": how far a time is from now, rounded as people say it. */
export function relativeTime(epochMillis, now = Date.now()) {
  const diff = epochMillis - now;
  const seconds = Math.abs(diff) / 1000;
  if (seconds < 1) return diff >= 0 ? 'now' : 'just now';
  let text;
  if (seconds < 45) text = plural(Math.round(seconds), 'second');
  else if (seconds < 45 * 60) text = plural(Math.max(1, Math.round(seconds / 60)), 'minute');
  else if (seconds < 22 * 3600) text = plural(Math.max(1, Math.round(seconds / 3600)), 'hour');
  else text = plural(Math.max(1, Math.round(seconds / 86400)), 'day');
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** A local date and time with seconds, e.g. "2030-01-01 12:00:00". */
export function localDateTime(epochMillis) {
  const d = new Date(epochMillis);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Keeps a value per key in the browser, surviving reloads (falls back to memory). */
export const stored = {
  get(key, fallback) {
    try {
      const raw = localStorage.getItem('durable.studio.' + key);
      return raw == null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem('durable.studio.' + key, JSON.stringify(value));
    } catch {
      // Storage full or blocked: the value lives only until the page closes.
    }
  },
};
