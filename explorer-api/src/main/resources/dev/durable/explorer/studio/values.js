// SQLite values as the explorer sends them (JSON; big integers as strings; BLOBs as
// {"$blob": base64}), shown in cells and typed back in editors.

import {h} from './dom.js';

const BIG_INTEGER = /^[+-]?\d+$/;

/** SQLite's type affinity of a declared column type (its rules, section 3.1 of "Datatypes"). */
export function affinity(declared) {
  const t = (declared ?? '').toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t === '' || t.includes('BLOB')) return 'blob';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  return 'numeric';
}

export function isBlob(v) {
  return v != null && typeof v === 'object' && typeof v.$blob === 'string';
}

export function blobSize(v) {
  const b64 = v.$blob;
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor(b64.length * 3 / 4) - padding;
}

/** The kind of a value as stored: null, integer, real, text or blob. */
export function kindOf(v, columnAffinity) {
  if (v === null || v === undefined) return 'null';
  if (isBlob(v)) return 'blob';
  if (typeof v === 'number') return Number.isInteger(v) && columnAffinity !== 'real' ? 'integer' : 'real';
  if (typeof v === 'string' && columnAffinity === 'integer' && BIG_INTEGER.test(v)) return 'integer';
  return 'text';
}

/** The text a value reads as in an editor or a copy. */
export function valueText(v, columnAffinity) {
  if (v === null || v === undefined) return '';
  if (isBlob(v)) return v.$blob;
  if (typeof v === 'number' && columnAffinity === 'real' && Number.isInteger(v)) return v.toFixed(1);
  return String(v);
}

/** A cell's content: NULL dimmed, numbers aligned right, BLOBs by size, long text clipped. */
export function cell(v, columnAffinity) {
  const kind = kindOf(v, columnAffinity);
  switch (kind) {
    case 'null':
      return h('span', {class: 'v-null'}, 'NULL');
    case 'blob': {
      const n = blobSize(v);
      return h('span', {class: 'v-blob', title: 'base64: ' + v.$blob.slice(0, 200)}, `BLOB · ${n} byte${n === 1 ? '' : 's'}`);
    }
    case 'integer':
    case 'real':
      return h('span', {class: 'v-num'}, valueText(v, columnAffinity));
    default: {
      const text = String(v);
      return h('span', {class: 'v-text', title: text.length > 40 ? text.slice(0, 2000) : null}, text);
    }
  }
}

/** The kinds an editor offers, in the order of SQLite's storage classes. */
export const KINDS = [
  ['text', 'Text'],
  ['integer', 'Integer'],
  ['real', 'Real'],
  ['blob', 'BLOB (base64)'],
  ['null', 'NULL'],
];

/** The kind an editor starts with: the value's own, else the column's. */
export function editorKind(v, columnAffinity) {
  const kind = kindOf(v, columnAffinity);
  if (kind !== 'null') return kind;
  return {integer: 'integer', real: 'real', numeric: 'integer', text: 'text', blob: 'text'}[columnAffinity] ?? 'text';
}

/**
 * The JSON value to send for what was typed as this kind, or an Error that says what is wrong
 * with it. Integers beyond 2^53 go as strings: SQLite's INTEGER affinity stores them exactly.
 */
export function parseAs(kind, text) {
  switch (kind) {
    case 'null':
      return null;
    case 'text':
      return text;
    case 'integer': {
      const t = text.trim();
      if (!BIG_INTEGER.test(t)) return new Error(`'${text}' is not an integer (digits, with an optional sign)`);
      const n = Number(t);
      return Number.isSafeInteger(n) ? n : t.replace(/^\+/, '');
    }
    case 'real': {
      const t = text.trim();
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) return new Error(`'${text}' is not a number (such as 3.14 or -2e5)`);
      return n;
    }
    case 'blob': {
      const t = text.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) {
        return new Error('Not base64: use A–Z, a–z, 0–9, + and /, padded with = to a multiple of 4 characters');
      }
      return {$blob: t};
    }
    default:
      return new Error(`Unknown kind ${kind}`);
  }
}

/**
 * An input for one value with a kind picker: text gets a text area (Enter saves, Shift+Enter
 * breaks the line), numbers a numeric keyboard. NULL and "default" show as a placeholder, and
 * typing there switches to the column's kind. Returns {element, kind(), read(), focus(), field()}
 * where read() gives the JSON value, an Error saying what is wrong, or undefined for "default".
 */
export function valueInput(initial, columnAffinity, {kinds = KINDS, startKind, label} = {}) {
  let kind = startKind ?? editorKind(initial, columnAffinity);
  const typedKind = editorKind(null, columnAffinity);
  const select = h('select', {class: 'kind', 'aria-label': (label ? label + ' ' : '') + 'type'},
    kinds.map(([k, text]) => h('option', {value: k, selected: k === kind}, text)));
  const holder = h('div', {class: 'value-input'});
  let field = null;
  const render = (text) => {
    if (kind === 'null' || kind === 'default') {
      field = h('input', {type: 'text', class: 'field placeholder-value', 'aria-label': label,
        placeholder: kind === 'null' ? 'NULL' : 'default'});
      field.addEventListener('input', () => {
        if (field.value === '') return;
        const text = field.value;
        kind = typedKind;
        select.value = kind;
        render(text);
        field.focus();
        field.setSelectionRange?.(text.length, text.length);
      });
    } else if (kind === 'text' || kind === 'blob') {
      const lines = Math.min(6, Math.max(1, text.split('\n').length, Math.ceil(text.length / 48)));
      field = h('textarea', {class: 'field', rows: lines, spellcheck: 'false', 'aria-label': label});
      field.value = text;
    } else {
      field = h('input', {type: 'text', class: 'field', spellcheck: 'false', 'aria-label': label,
        inputmode: kind === 'integer' ? 'numeric' : 'decimal'});
      field.value = text;
    }
    holder.replaceChildren(field);
  };
  render(valueText(initial, columnAffinity));
  select.addEventListener('change', () => {
    const text = field.value;
    kind = select.value;
    render(kind === 'null' || kind === 'default' ? '' : text);
    field.focus();
  });
  return {
    element: h('div', {class: 'value-editor'}, select, holder),
    select,
    holder,
    kind: () => kind,
    read: () => (kind === 'default' ? undefined : parseAs(kind, field.value)),
    focus: () => field.focus(),
    field: () => field,
  };
}

/** A key-value entry's value in one line: JSON as JSON, bytes as base64. */
export function jsonPreview(entry) {
  if (entry.encoding === 'base64') {
    return h('span', {class: 'v-blob', title: 'Not JSON: raw bytes in base64'},
      h('span', {class: 'badge'}, 'bytes'), ' ', entry.value.length > 120 ? entry.value.slice(0, 120) + '…' : entry.value);
  }
  const v = entry.value;
  const text = JSON.stringify(v);
  const kind = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
  return h('span', {class: `json json-${kind}`, title: text.length > 60 ? JSON.stringify(v, null, 2).slice(0, 4000) : null},
    text.length > 300 ? text.slice(0, 300) + '…' : text);
}
