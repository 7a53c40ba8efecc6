// The Key-Value tab: the object's storage entries with their values decoded from JSON, filtered
// by key prefix and paged; entries added, edited and deleted.

import {api, ApiError} from './api.js';
import {confirmButton, errorBox, formatBytes, h, notify, replace, showFormDialog} from './dom.js';
import {jsonPreview} from './values.js';

const PAGE = 100;
const places = new Map();

export async function renderKeyValue(panel, ctx) {
  const placeKey = ctx.ns + '\n' + ctx.object;
  const place = places.get(placeKey) ?? {prefix: '', cursors: [''], page: 0};
  places.set(placeKey, place);

  const prefix = h('input', {type: 'search', class: 'search', 'data-search': true, value: place.prefix,
    placeholder: 'Keys starting with…', 'aria-label': 'Filter entries by key prefix', autocomplete: 'off', spellcheck: 'false'});
  const list = h('div', {class: 'kv-list'});
  const pager = h('div', {class: 'pager'});
  let timer = null;

  replace(panel,
    h('div', {class: 'toolbar'},
      h('form', {class: 'filter', role: 'search', onsubmit: (e) => {
        e.preventDefault();
        clearTimeout(timer);
        restart();
      }}, prefix),
      h('span', {class: 'spacer'}),
      h('button', {type: 'button', class: 'primary small', onclick: () => openEntryDialog(ctx, null, saved)}, '+ Add entry')),
    list, pager);

  function restart() {
    place.prefix = prefix.value;
    place.cursors = [''];
    place.page = 0;
    load();
  }

  async function saved() {
    await Promise.all([load(), ctx.refreshSummary()]);
  }

  let generation = 0;

  async function load() {
    const mine = ++generation;
    let answer;
    try {
      answer = await api.kvList(ctx.ns, ctx.object, {prefix: place.prefix, limit: PAGE, cursor: place.cursors[place.page]});
    } catch (e) {
      if (mine !== generation) return;
      replace(list, errorBox(e, 'Could not read the entries'));
      replace(pager);
      return;
    }
    if (mine !== generation) return; // a newer listing is on its way
    const entries = answer.result;
    const next = answer.info?.cursor ?? '';
    place.cursors[place.page + 1] = next;
    if (entries.length === 0) {
      replace(list, h('div', {class: 'empty'}, place.prefix
        ? h('p', null, `No key starts with “${place.prefix}”.`)
        : [h('p', null, 'No key-value entries.'),
          h('p', {class: 'muted small'}, 'Entries are what the object writes with storage().put(key, value).')]));
    } else {
      replace(list, h('div', {class: 'grid-wrap'}, h('table', {class: 'grid kv', 'aria-label': 'Key-value entries'},
        h('thead', null, h('tr', null,
          h('th', {scope: 'col', class: 'actions-col'}, h('span', {class: 'sr-only'}, 'Actions')),
          h('th', {scope: 'col'}, 'Key'), h('th', {scope: 'col'}, 'Value'), h('th', {scope: 'col', class: 'num'}, 'Size'))),
        h('tbody', null, entries.map((entry) => h('tr', {dataset: {key: entry.key}},
          h('td', {class: 'actions-col'},
            h('button', {type: 'button', class: 'ghost small', 'aria-label': `Edit ${entry.key}`,
              onclick: () => openEntryDialog(ctx, entry, saved)}, 'Edit'),
            confirmButton('Delete', 'Confirm', () => remove(entry.key), {'aria-label': `Delete ${entry.key}`,
              title: 'Delete this entry (click twice)'})),
          h('td', {class: 'mono kv-key'}, entry.key),
          h('td', {class: 'kv-value', ondblclick: () => openEntryDialog(ctx, entry, saved)}, jsonPreview(entry)),
          h('td', {class: 'num muted'}, formatBytes(entry.size))))))));
    }
    replace(pager,
      h('button', {type: 'button', class: 'small', disabled: place.page === 0, onclick: () => {
        place.page--;
        load();
      }}, '‹ Previous'),
      h('span', {class: 'muted small page-info'}, entries.length
        ? `Entries ${(place.page * PAGE + 1).toLocaleString()}–${(place.page * PAGE + entries.length).toLocaleString()}` : ''),
      h('button', {type: 'button', class: 'small', disabled: !next, onclick: () => {
        place.page++;
        load();
      }}, 'Next ›'));
    pager.hidden = place.page === 0 && !next;
  }

  async function remove(key) {
    try {
      await api.kvDelete(ctx.ns, ctx.object, key);
    } catch (e) {
      notify(`'${key}' was not deleted: ${e.message}`, 'error');
      return;
    }
    notify(`Deleted '${key}'`);
    await saved();
  }

  prefix.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(restart, 250);
  });
  await load();
  return () => clearTimeout(timer);
}

const FORMATS = [
  ['json', 'JSON', 'Any JSON value: 42, "text", [1, 2], {"a": true}'],
  ['text', 'Text', 'Stored as a JSON string'],
  ['base64', 'Bytes (base64)', 'Raw bytes, not JSON'],
];

/** Adds an entry (entry null) or edits one; calls onSaved after the write. */
function openEntryDialog(ctx, entry, onSaved) {
  const adding = entry == null;
  let format = adding ? 'json' : entry.encoding === 'base64' ? 'base64' : typeof entry.value === 'string' ? 'text' : 'json';
  const initial = adding ? '' : format === 'json' ? JSON.stringify(entry.value, null, 2) : entry.value;
  const key = h('input', {type: 'text', class: 'field mono', 'aria-label': 'Key', value: adding ? '' : entry.key,
    readOnly: !adding, spellcheck: 'false', autocomplete: 'off'});
  const formatSelect = h('select', {'aria-label': 'Value format'},
    FORMATS.map(([f, label]) => h('option', {value: f, selected: f === format}, label)));
  const hint = h('span', {class: 'muted small'});
  const value = h('textarea', {class: 'field mono', rows: 10, spellcheck: 'false', 'aria-label': 'Value'});
  value.value = initial;
  const error = h('div', {class: 'dialog-error'});
  const save = h('button', {type: 'submit', class: 'primary'}, adding ? 'Add' : 'Save');
  const showHint = () => {
    hint.textContent = FORMATS.find(([f]) => f === format)[2];
  };
  formatSelect.addEventListener('change', () => {
    const before = format;
    format = formatSelect.value;
    // Keep what was typed, converted where it is clear: a JSON string becomes its text and back.
    if (before === 'json' && format === 'text') {
      try {
        const parsed = JSON.parse(value.value);
        if (typeof parsed === 'string') value.value = parsed;
      } catch {
        // Not JSON: keep the text as it is.
      }
    } else if (before === 'text' && format === 'json' && value.value !== '') {
      value.value = JSON.stringify(value.value);
    }
    showHint();
  });
  showHint();

  const dialog = h('dialog', {class: 'kv-dialog', 'aria-label': adding ? 'Add an entry' : `Edit ${entry.key}`},
    h('form', {method: 'dialog'},
      h('h3', null, adding ? 'Add a key-value entry' : 'Edit entry'),
      h('div', {class: 'form-row'}, h('label', null, h('span', {class: 'field-name'}, 'Key')), key),
      h('div', {class: 'form-row'}, h('label', null, h('span', {class: 'field-name'}, 'Value')),
        h('div', {class: 'stack'}, h('div', {class: 'format-line'}, formatSelect, hint), value)),
      error,
      h('div', {class: 'dialog-actions'},
        h('span', {class: 'hint'}, 'Ctrl+Enter saves · Esc cancels'),
        h('button', {type: 'button', onclick: () => dialog.close()}, 'Cancel'),
        save)));

  const body = () => {
    const text = value.value;
    if (format === 'text') return {value: text};
    if (format === 'base64') {
      const b64 = text.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
        return new Error('Not base64: use A–Z, a–z, 0–9, + and /, padded with = to a multiple of 4 characters');
      }
      return {base64: b64};
    }
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return new Error(`Not valid JSON (${e.message}). To store it as a string, choose Text.`);
    }
    if (parsed === null) return new Error('null cannot be stored: delete the entry instead.');
    return {value: parsed};
  };

  const send = async () => {
    const k = key.value;
    if (adding && k === '') {
      replace(error, errorBox(new Error('Give the entry a key.')));
      key.focus();
      return;
    }
    const b = body();
    if (b instanceof Error) {
      replace(error, errorBox(b));
      value.focus();
      return;
    }
    save.disabled = true;
    try {
      if (adding && await exists(ctx, k)) {
        replace(error, errorBox(new Error(`An entry '${k}' exists already: edit it in the list instead. Nothing was changed.`)));
        return;
      }
      await api.kvPut(ctx.ns, ctx.object, k, b);
      dialog.close();
      notify(adding ? `Added '${k}'` : `Saved '${k}'`);
      await onSaved();
    } catch (e) {
      replace(error, errorBox(e, 'Not saved'));
    } finally {
      save.disabled = false;
    }
  };

  showFormDialog(dialog, send, (e) => {
    if (e.target === key) {
      e.preventDefault();
      value.focus();
    }
  });
  (adding ? key : value).focus();
}

async function exists(ctx, key) {
  try {
    await api.kvGet(ctx.ns, ctx.object, key);
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return false;
    throw e;
  }
}
