// The Tables tab: the object's tables and views, rows paged, sorted and filtered, cells edited
// in place, rows inserted and deleted, and each table's schema.

import {api, objectPath} from './api.js';
import {confirmButton, errorBox, h, notify, plural, replace, showFormDialog, stored} from './dom.js';
import {closeCellEditor, grid} from './grid.js';
import {exportLink} from './exports.js';
import {affinity, KINDS, valueInput} from './values.js';

const PAGE_SIZES = [25, 50, 100, 250, 500, 1000];
const OPERATORS = [
  ['eq', '='], ['ne', '≠'], ['lt', '<'], ['le', '≤'], ['gt', '>'], ['ge', '≥'],
  ['like', 'like'], ['glob', 'glob'], ['is_null', 'is null'], ['not_null', 'not null'],
];
/** Where each table was left: page, sort, filter, rows or schema. */
const places = new Map();
const lastTable = new Map();

export async function renderTables(panel, ctx) {
  let tables;
  try {
    tables = (await api.tables(ctx.ns, ctx.object)).result;
  } catch (e) {
    replace(panel, errorBox(e, 'Could not read the tables'));
    return;
  }
  const objectKey = ctx.ns + '\n' + ctx.object;
  if (tables.length === 0) {
    replace(panel, h('div', {class: 'empty'},
      h('p', null, 'This object has no SQL tables yet.'),
      h('p', {class: 'muted small'}, 'Create one in the ', h('a', {href: ctx.link('sql')}, 'SQL console'),
        ', e.g. CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT).')));
    return;
  }
  const wanted = ctx.route.table ?? lastTable.get(objectKey);
  const table = tables.find((t) => t.name === wanted) ?? (ctx.route.table ? null : tables[0]);
  const nav = h('nav', {class: 'table-list', 'aria-label': 'Tables'},
    tables.map((t) => h('a', {href: ctx.link('tables', t.name), 'aria-current': t === table ? 'page' : null,
      title: `${t.type} ${t.name}: ${plural(t.rows, 'row')}`},
    h('span', {class: 'table-name'}, t.name),
    t.type !== 'table' ? h('span', {class: 'badge'}, t.type) : null,
    h('span', {class: 'count'}, t.rows.toLocaleString()))));
  const pane = h('div', {class: 'table-pane'});
  replace(panel, h('div', {class: 'tables-layout'}, nav, pane));
  if (!table) {
    replace(pane, errorBox({message: `This object has no table or view named '${ctx.route.table}'; pick one of `
      + tables.map((t) => t.name).join(', ')}, 'No such table'));
    return;
  }
  lastTable.set(objectKey, table.name);
  const placeKey = objectKey + '\n' + table.name;
  const place = places.get(placeKey) ?? {offset: 0, limit: stored.get('rowsPageSize', 100), orderBy: null,
    direction: 'asc', filter: null, view: 'rows'};
  places.set(placeKey, place);
  await new TableView(pane, ctx, table, place).render();
}

class TableView {
  constructor(pane, ctx, table, place) {
    this.pane = pane;
    this.ctx = ctx;
    this.table = table;
    this.place = place;
    this.path = objectPath(ctx.ns, ctx.object);
    this.editable = table.type === 'table' && table.key.length > 0;
    this.content = h('div', {class: 'table-content'});
    this.rowsButton = h('button', {type: 'button', class: 'segment', onclick: () => this.switchTo('rows')}, 'Rows');
    this.schemaButton = h('button', {type: 'button', class: 'segment', onclick: () => this.switchTo('schema')}, 'Schema');
  }

  async render() {
    const t = this.table;
    const flags = [t.type !== 'table' ? t.type : null, t.without_rowid ? 'WITHOUT ROWID' : null, t.strict ? 'STRICT' : null]
      .filter(Boolean);
    replace(this.pane,
      h('div', {class: 'table-head'},
        h('h2', null, t.name, flags.map((f) => h('span', {class: 'badge'}, f))),
        this.editable
          ? h('button', {type: 'button', class: 'primary small', onclick: () => this.openInsert()}, '+ Insert row')
          : null,
        h('div', {class: 'segmented', role: 'group', 'aria-label': 'Show'}, this.rowsButton, this.schemaButton),
        h('div', {class: 'exports'}, h('span', {class: 'muted small'}, 'Export'),
          ['json', 'csv', 'sql'].map((format) => exportLink(format.toUpperCase(),
            `${this.path}/tables/${encodeURIComponent(t.name)}/export`, {format}, `This table as ${format.toUpperCase()}`)))),
      this.content);
    await this.switchTo(this.place.view);
  }

  async switchTo(view, highlightKey, highlightColumn) {
    closeCellEditor();
    this.place.view = view;
    this.rowsButton.setAttribute('aria-pressed', String(view === 'rows'));
    this.schemaButton.setAttribute('aria-pressed', String(view === 'schema'));
    if (view === 'schema') this.renderSchema();
    else await this.renderRows(highlightKey, highlightColumn);
  }

  columnInfo(name) {
    return this.table.columns.find((c) => c.name === name);
  }

  // ---- Rows ----

  async renderRows(highlightKey, highlightColumn) {
    const place = this.place;
    const filterForm = this.filterForm();
    const body = h('div', {class: 'rows-body'});
    // The pager sits above the grid, so it stays in sight however long the page of rows is.
    const pager = h('div', {class: 'pager'});
    replace(this.content,
      h('div', {class: 'toolbar'}, filterForm, pager),
      this.editable ? null : h('p', {class: 'muted small'}, this.table.type === 'table'
        ? 'This table has no key to address a row: edit it with SQL.'
        : `A ${this.table.type}: its rows are read-only here.`),
      body);
    let answer;
    try {
      answer = await api.rows(this.ctx.ns, this.ctx.object, this.table.name, {
        limit: place.limit, offset: place.offset, order_by: place.orderBy,
        direction: place.orderBy ? place.direction : null,
        filter_column: place.filter?.column, filter_op: place.filter?.op,
        filter_value: place.filter && !place.filter.op.endsWith('null') ? place.filter.value : null,
      });
    } catch (e) {
      replace(body, errorBox(e, 'Could not read the rows'));
      return;
    }
    const {columns, rows, key} = answer.result;
    const info = answer.info;
    if (rows.length === 0 && place.offset > 0 && info.total > 0) {
      place.offset = Math.max(0, Math.floor((info.total - 1) / place.limit) * place.limit);
      return this.renderRows(highlightKey, highlightColumn);
    }
    const affinities = columns.map((c) => {
      const col = this.columnInfo(c);
      return col ? affinity(col.type) : 'integer';
    });
    const types = columns.map((c) => this.columnInfo(c)?.type || (this.columnInfo(c) ? 'any' : 'rowid'));
    const keyIndexes = key.map((k) => columns.indexOf(k));
    const keyOf = (row) => Object.fromEntries(key.map((k, i) => [k, row[keyIndexes[i]]]));
    let highlight = null;
    if (highlightKey) {
      const r = rows.findIndex((row) => key.every((k, i) => sameValue(row[keyIndexes[i]], highlightKey[k])));
      if (r >= 0) highlight = {row: r, column: columns.indexOf(highlightColumn)};
    }
    if (rows.length === 0) {
      replace(body, h('div', {class: 'empty'}, place.filter
        ? h('p', null, 'No row matches the filter.')
        : h('p', null, `${this.table.name} has no rows yet.`,
          this.editable ? ' Insert one with “+ Insert row”.' : '')));
    } else {
      replace(body, grid(columns, rows, {
        label: `Rows of ${this.table.name}`,
        affinities,
        types,
        keyColumns: key,
        sort: place.orderBy ? {column: place.orderBy, direction: place.direction} : null,
        onSort: (column) => this.sortBy(column),
        editable: (c) => {
          const col = this.columnInfo(columns[c]);
          return this.editable && col != null && !col.generated;
        },
        onSave: (r, c, value) => this.saveCell(keyOf(rows[r]), columns[c], value),
        rowActions: this.editable ? (r) => confirmButton('Delete', 'Confirm', () => this.deleteRow(keyOf(rows[r])),
          {title: 'Delete this row (click twice)', 'aria-label': `Delete row ${describeKey(keyOf(rows[r]))}`}) : null,
        highlight,
      }));
    }
    this.renderPager(pager, info);
  }

  filterForm() {
    const place = this.place;
    const column = h('select', {'aria-label': 'Filter column'},
      h('option', {value: ''}, 'Filter on…'),
      (this.table.key.length && !this.columnInfo(this.table.key[0]) ? [this.table.key[0]] : [])
        .concat(this.table.columns.map((c) => c.name))
        .map((name) => h('option', {value: name, selected: place.filter?.column === name}, name)));
    const op = h('select', {'aria-label': 'Filter operator'},
      OPERATORS.map(([value, label]) => h('option', {value, selected: (place.filter?.op ?? 'eq') === value}, label)));
    const value = h('input', {type: 'text', 'aria-label': 'Filter value', placeholder: 'value', value: place.filter?.value ?? '',
      'data-search': true, spellcheck: 'false'});
    const sync = () => {
      value.disabled = op.value.endsWith('null');
    };
    op.addEventListener('change', sync);
    sync();
    const clear = h('button', {type: 'button', class: 'ghost small', hidden: !place.filter, onclick: () => {
      place.filter = null;
      place.offset = 0;
      this.renderRows();
    }}, 'Clear');
    return h('form', {class: 'filter', onsubmit: (e) => {
      e.preventDefault();
      if (!column.value) {
        column.focus();
        return;
      }
      place.filter = {column: column.value, op: op.value, value: value.value};
      place.offset = 0;
      this.renderRows();
    }}, column, op, value, h('button', {type: 'submit', class: 'small'}, 'Filter'), clear);
  }

  renderPager(pager, info) {
    const place = this.place;
    const from = info.total === 0 ? 0 : info.offset + 1;
    const to = info.offset + info.count;
    const size = h('select', {'aria-label': 'Rows per page', onchange: (e) => {
      place.limit = Number(e.target.value);
      stored.set('rowsPageSize', place.limit);
      place.offset = 0;
      this.renderRows();
    }}, PAGE_SIZES.map((n) => h('option', {value: n, selected: n === place.limit}, `${n} rows`)));
    replace(pager,
      h('button', {type: 'button', class: 'small', disabled: info.offset === 0, onclick: () => {
        place.offset = Math.max(0, place.offset - place.limit);
        this.renderRows();
      }, 'aria-label': 'Previous page', title: 'Previous page'}, '‹'),
      h('span', {class: 'muted small page-info'}, info.total === 0 ? 'No rows'
        : `Rows ${from.toLocaleString()}–${to.toLocaleString()} of ${info.total.toLocaleString()}${place.filter ? ' matching' : ''}`),
      h('button', {type: 'button', class: 'small', disabled: to >= info.total, onclick: () => {
        place.offset += place.limit;
        this.renderRows();
      }, 'aria-label': 'Next page', title: 'Next page'}, '›'),
      size);
  }

  sortBy(column) {
    const place = this.place;
    if (place.orderBy !== column) {
      place.orderBy = column;
      place.direction = 'asc';
    } else if (place.direction === 'asc') {
      place.direction = 'desc';
    } else {
      place.orderBy = null;
      place.direction = 'asc';
    }
    place.offset = 0;
    this.renderRows();
  }

  async saveCell(key, column, value) {
    const answer = await api.updateRow(this.ctx.ns, this.ctx.object, this.table.name, key, {[column]: value});
    notify(`Saved ${column} of row ${describeKey(key)}`);
    await Promise.all([this.renderRows(answer.result.key, column), this.refreshCounts()]);
  }

  async deleteRow(key) {
    try {
      await api.deleteRow(this.ctx.ns, this.ctx.object, this.table.name, key);
    } catch (e) {
      notify(`Row ${describeKey(key)} was not deleted: ${e.message}`, 'error');
      return;
    }
    notify(`Deleted row ${describeKey(key)}`);
    await Promise.all([this.renderRows(), this.refreshCounts()]);
  }

  /** The summary and the table list's counts after an edit. */
  async refreshCounts() {
    const summary = await this.ctx.refreshSummary();
    const t = summary?.tables.find((x) => x.name === this.table.name);
    const link = this.pane.parentElement?.querySelector(`.table-list a[aria-current] .count`);
    if (t && link) link.textContent = t.rows.toLocaleString();
  }

  openInsert() {
    closeCellEditor();
    const fields = this.table.columns.filter((c) => !c.generated).map((c) => {
      const aff = affinity(c.type);
      const autoKey = c.primary_key_position > 0 && this.table.primary_key.length === 1 && aff === 'integer'
        && !this.table.without_rowid;
      const start = c.default != null || autoKey ? 'default' : c.not_null ? undefined : 'null';
      const input = valueInput(null, aff, {kinds: [['default', 'Default'], ...KINDS], startKind: start, label: c.name});
      const notes = [c.type || 'any type', c.not_null ? 'NOT NULL' : null,
        c.primary_key_position ? 'key' : null, autoKey ? 'automatic when left default' : null,
        c.default != null ? `default ${c.default}` : null].filter(Boolean).join(' · ');
      return {column: c, input, row: h('div', {class: 'form-row'},
        h('label', null, h('span', {class: 'field-name'}, c.name), h('span', {class: 'muted small'}, notes)), input.element)};
    });
    const error = h('div', {class: 'dialog-error'});
    const submit = h('button', {type: 'submit', class: 'primary'}, 'Insert');
    const dialog = h('dialog', {class: 'insert-dialog', 'aria-label': `Insert a row into ${this.table.name}`},
      h('form', {method: 'dialog'},
        h('h3', null, 'Insert a row into ', h('span', {class: 'mono'}, this.table.name)),
        h('div', {class: 'form-rows'}, fields.map((f) => f.row)),
        error,
        h('div', {class: 'dialog-actions'},
          h('span', {class: 'hint'}, 'Ctrl+Enter inserts · Esc cancels'),
          h('button', {type: 'button', onclick: () => dialog.close()}, 'Cancel'),
          submit)));
    const send = async () => {
      const values = {};
      for (const f of fields) {
        const v = f.input.read();
        if (v instanceof Error) {
          replace(error, errorBox(v, f.column.name));
          f.input.focus();
          return;
        }
        if (v !== undefined) values[f.column.name] = v;
      }
      submit.disabled = true;
      try {
        const answer = await api.insertRow(this.ctx.ns, this.ctx.object, this.table.name, values);
        dialog.close();
        notify(`Inserted row ${describeKey(answer.result.key)}`);
        await Promise.all([this.switchTo('rows', answer.result.key, this.table.key[0]), this.refreshCounts()]);
      } catch (e) {
        replace(error, errorBox(e, 'Not inserted'));
      } finally {
        submit.disabled = false;
      }
    };
    showFormDialog(dialog, send, (e) => {
      if (e.target.tagName === 'INPUT') {
        e.preventDefault(); // Enter in a one-line field moves on instead of submitting half a row
      }
    });
    const first = fields.find((f) => f.input.kind() !== 'default') ?? fields[0];
    first?.input.focus();
  }

  // ---- Schema ----

  renderSchema() {
    const t = this.table;
    replace(this.content,
      h('table', {class: 'list schema'},
        h('thead', null, h('tr', null, ['Column', 'Type', 'Not null', 'Default', 'Key', 'Generated']
          .map((c) => h('th', {scope: 'col'}, c)))),
        h('tbody', null, t.columns.map((c) => h('tr', null,
          h('td', {class: 'mono'}, c.name),
          h('td', {class: 'mono'}, c.type || h('span', {class: 'muted'}, 'any')),
          h('td', null, c.not_null ? 'yes' : ''),
          h('td', {class: 'mono'}, c.default ?? ''),
          h('td', null, c.primary_key_position ? `primary key${t.primary_key.length > 1 ? ' #' + c.primary_key_position : ''}` : ''),
          h('td', null, c.generated ? 'yes' : ''))))),
      h('p', {class: 'muted small'}, t.key.length
        ? `Rows are addressed by ${t.key.join(', ')}${t.primary_key.length ? '' : ' (the rowid)'} when edited.`
        : 'Rows cannot be addressed one by one here.'),
      h('h3', null, 'Indexes'),
      t.indexes.length
        ? h('ul', {class: 'indexes'}, t.indexes.map((i) => h('li', null,
          h('span', {class: 'mono'}, i.name), ' on ', h('span', {class: 'mono'}, i.columns.join(', ')),
          i.unique ? h('span', {class: 'badge'}, 'unique') : null,
          i.partial ? h('span', {class: 'badge'}, 'partial') : null,
          i.origin === 'pk' ? h('span', {class: 'badge'}, 'primary key') : null)))
        : h('p', {class: 'muted small'}, 'None.'),
      h('h3', null, 'Definition'),
      h('pre', {class: 'sql-text'}, t.sql ?? ''));
  }
}

function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
}

function describeKey(key) {
  return Object.entries(key ?? {}).map(([k, v]) => `${k} = ${typeof v === 'string' ? `'${v}'` : JSON.stringify(v)}`).join(', ');
}
