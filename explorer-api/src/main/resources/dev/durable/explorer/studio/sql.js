// The SQL console: run statements on the object (Ctrl/Cmd+Enter), see the last statement's rows
// in a grid, errors inline with where they point, the query plan, and a history of what ran.

import {api} from './api.js';
import {errorBox, h, plural, relativeTime, replace, stored} from './dom.js';
import {grid} from './grid.js';

const MAX_SHOWN = 1000;
const HISTORY = 'sqlHistory';
const HISTORY_SIZE = 50;
/** Per object: what was typed, and the last outcome, kept while the page is open. */
const drafts = new Map();

export async function renderSql(panel, ctx) {
  const key = ctx.ns + '\n' + ctx.object;
  const draft = drafts.get(key) ?? {sql: '', params: '', outcome: null};
  drafts.set(key, draft);
  let historyAt = -1;

  const editor = h('textarea', {class: 'sql-input mono', rows: 7, spellcheck: 'false', 'aria-label': 'SQL',
    autocomplete: 'off', autocapitalize: 'off',
    placeholder: 'SELECT name, type FROM sqlite_master;\n\nCtrl+Enter (⌘+Enter) runs. With text selected, runs only the selection.'});
  editor.value = draft.sql;
  const params = h('input', {type: 'text', class: 'field mono', 'aria-label': 'Parameters',
    placeholder: 'Parameters, e.g. [1, "a"]', spellcheck: 'false', value: draft.params});
  const runButton = h('button', {type: 'button', class: 'primary', onclick: () => run()}, 'Run');
  const explainButton = h('button', {type: 'button', onclick: () => explain()}, 'Explain');
  const output = h('div', {class: 'sql-output', 'aria-live': 'polite'});
  const historyList = h('ol', {class: 'history-list'});

  replace(panel, h('div', {class: 'sql-layout'},
    h('div', {class: 'sql-main'},
      editor,
      h('div', {class: 'sql-actions'},
        runButton, explainButton, params,
        h('span', {class: 'hint'}, 'Ctrl+Enter runs · Ctrl+↑/↓ history')),
      output),
    h('aside', {class: 'sql-history', 'aria-label': 'History'},
      h('div', {class: 'history-head'}, h('h3', null, 'History'),
        h('button', {type: 'button', class: 'ghost small', onclick: () => {
          stored.set(HISTORY, []);
          renderHistory();
        }}, 'Clear')),
      historyList)));

  const save = () => {
    draft.sql = editor.value;
    draft.params = params.value;
  };
  editor.addEventListener('input', save);
  params.addEventListener('input', save);
  for (const field of [editor, params]) {
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        run();
      } else if (e.key === 'Enter' && field === params) {
        e.preventDefault();
        run();
      } else if ((e.ctrlKey || e.metaKey) && (e.key === 'ArrowUp' || e.key === 'ArrowDown') && field === editor) {
        e.preventDefault();
        recall(e.key === 'ArrowUp' ? 1 : -1);
      }
    });
  }

  function recall(step) {
    const history = stored.get(HISTORY, []);
    if (!history.length) return;
    historyAt = Math.max(-1, Math.min(history.length - 1, historyAt + step));
    editor.value = historyAt < 0 ? '' : history[historyAt].sql;
    save();
  }

  /** The text to run (the selection, if any) and where it starts in the editor. */
  function statement() {
    const {selectionStart: from, selectionEnd: to} = editor;
    if (to > from && editor.value.slice(from, to).trim()) return {text: editor.value.slice(from, to), start: from};
    return {text: editor.value, start: 0};
  }

  function readParams() {
    const raw = params.value.trim();
    if (!raw) return [];
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      return new Error(`Parameters are not valid JSON (${e.message}); write an array such as [1, "a"]`);
    }
    return Array.isArray(parsed) ? parsed : new Error('Parameters must be a JSON array, such as [1, "a"]');
  }

  async function run() {
    const {text, start} = statement();
    if (!text.trim()) {
      draft.outcome = {error: new Error('Write a statement to run, such as SELECT * FROM sqlite_master')};
      renderOutcome();
      editor.focus();
      return;
    }
    const values = readParams();
    if (values instanceof Error) {
      draft.outcome = {error: values};
      renderOutcome();
      params.focus();
      return;
    }
    runButton.disabled = true;
    output.setAttribute('aria-busy', 'true');
    const started = performance.now();
    try {
      const answer = await api.query(ctx.ns, ctx.object, text, values);
      draft.outcome = {result: answer.result[answer.result.length - 1], ms: performance.now() - started};
      remember(text, true);
    } catch (e) {
      draft.outcome = {error: e, text, start};
      remember(text, false);
    } finally {
      runButton.disabled = false;
      output.removeAttribute('aria-busy');
    }
    historyAt = -1;
    renderOutcome();
    renderHistory();
    if (draft.outcome.error) pointAt(draft.outcome);
    await ctx.refreshSummary();
  }

  async function explain() {
    const {text} = statement();
    const values = readParams();
    if (values instanceof Error || !text.trim()) {
      draft.outcome = {error: values instanceof Error ? values : new Error('Write a statement to explain')};
      renderOutcome();
      return;
    }
    try {
      const plan = (await api.explain(ctx.ns, ctx.object, text.trim().replace(/;\s*$/, ''), values)).result;
      draft.outcome = {plan};
    } catch (e) {
      draft.outcome = {error: e, text, start: 0};
    }
    renderOutcome();
  }

  function renderOutcome() {
    const o = draft.outcome;
    if (!o) {
      replace(output, h('p', {class: 'muted small'}, 'Results show here. Statements run inside the object\'s input gate without waking it; several statements run in order, and the last one\'s rows are shown.'));
      return;
    }
    if (o.error) {
      replace(output, h('div', {class: 'sql-error'}, errorBox(o.error, 'SQL error'), where(o)));
      return;
    }
    if (o.plan) {
      replace(output, h('div', {class: 'plan'}, h('h3', null, 'Query plan'),
        h('pre', {class: 'sql-text'}, planText(o.plan))));
      return;
    }
    const r = o.result;
    const meta = h('p', {class: 'sql-meta muted small'},
      r.columns.length ? plural(r.rows.length, 'row') + ' · ' : 'Done · ',
      `${plural(r.meta.rows_read, 'row')} read · ${plural(r.meta.rows_written, 'row')} written · ${Math.round(o.ms)} ms`,
      r.rows.length > MAX_SHOWN ? ` · showing the first ${MAX_SHOWN.toLocaleString()}` : '');
    if (!r.columns.length) {
      replace(output, meta);
      return;
    }
    const shown = r.rows.slice(0, MAX_SHOWN);
    // Columns of numbers read right-aligned, like a table's INTEGER and REAL columns.
    const affinities = r.columns.map((_, c) => (shown.some((row) => typeof row[c] === 'number')
      && shown.every((row) => row[c] === null || typeof row[c] === 'number') ? 'integer' : null));
    replace(output, meta, shown.length
      ? grid(r.columns, shown, {affinities, label: 'Query results'})
      : h('div', {class: 'empty'}, h('p', null, 'No rows.')));
  }

  function renderHistory() {
    const history = stored.get(HISTORY, []);
    if (!history.length) {
      replace(historyList, h('li', {class: 'muted small empty-history'}, 'Statements you run show here.'));
      return;
    }
    replace(historyList, history.map((item) => h('li', null,
      h('button', {type: 'button', class: `history-item ${item.ok ? '' : 'failed'}`, title: item.sql,
        onclick: () => {
          editor.value = item.sql;
          save();
          editor.focus();
        }},
      h('span', {class: 'mono history-sql'}, item.sql.trim().split('\n')[0].slice(0, 120)),
      h('span', {class: 'muted small'}, item.ok ? '' : 'failed · ', relativeTime(item.at))))));
  }

  /** Selects the part of the statement an error points at. */
  function pointAt(outcome) {
    const spot = locate(outcome);
    if (!spot) return;
    editor.focus();
    editor.setSelectionRange(spot.from, spot.to);
  }

  function locate(outcome) {
    const message = outcome.error?.message ?? '';
    const near = /near "((?:[^"]|"")*)"/.exec(message);
    const offset = /at offset (\d+)/.exec(message);
    if (!near && !offset) return null;
    const token = near ? near[1] : '';
    const text = outcome.text ?? '';
    let at = offset ? Number(offset[1]) : -1;
    if (token && (at < 0 || text.slice(at, at + token.length) !== token)) at = text.indexOf(token);
    if (at < 0 || at > text.length) return null;
    const from = outcome.start + at;
    return {from, to: from + Math.max(1, token.length)};
  }

  function where(outcome) {
    const spot = locate(outcome);
    if (!spot) return null;
    const before = editor.value.slice(0, spot.from);
    const line = before.split('\n').length;
    const column = spot.from - before.lastIndexOf('\n');
    const lineText = editor.value.split('\n')[line - 1] ?? '';
    return h('div', {class: 'error-where'},
      h('span', {class: 'muted small'}, `Line ${line}, column ${column}`),
      h('pre', {class: 'sql-text'}, lineText + '\n' + ' '.repeat(Math.max(0, column - 1)) + '^'.repeat(Math.max(1, spot.to - spot.from))));
  }

  function remember(sql, ok) {
    const history = stored.get(HISTORY, []).filter((item) => item.sql !== sql);
    history.unshift({sql, ok, at: Date.now()});
    stored.set(HISTORY, history.slice(0, HISTORY_SIZE));
  }

  renderOutcome();
  renderHistory();
  editor.focus();
}

function planText(plan) {
  const depth = new Map([[0, -1]]);
  return plan.map((step) => {
    const d = (depth.get(step.parent) ?? -1) + 1;
    depth.set(step.id, d);
    return '  '.repeat(d) + (d ? '└ ' : '') + step.detail;
  }).join('\n') || '(no plan)';
}
