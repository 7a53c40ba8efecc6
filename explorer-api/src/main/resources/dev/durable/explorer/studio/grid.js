// A grid of rows: sortable headers, typed cells, and (for tables) a cell editor that opens with
// a double click or Enter on a focused cell.

import {errorBox, h} from './dom.js';
import {cell, valueInput} from './values.js';

let openEditor = null;

/** Closes the cell editor, if one is open (on navigation, refresh, Escape). */
export function closeCellEditor() {
  openEditor?.close();
}

/**
 * @param columns column names
 * @param rows arrays of values
 * @param options.affinities per column: integer, real, text, blob or numeric
 * @param options.types per column: the declared type shown under the name
 * @param options.keyColumns names of the columns that address a row (marked)
 * @param options.sort {column, direction} and options.onSort(column) to make headers sortable
 * @param options.editable(columnIndex) whether a column's cells can be edited
 * @param options.onSave(rowIndex, columnIndex, value) saves an edit (throws to keep it open)
 * @param options.rowActions(rowIndex) an element for the leading actions cell
 * @param options.highlight {row, column} a cell to flash (just saved)
 */
export function grid(columns, rows, options = {}) {
  const {affinities = [], types = [], keyColumns = [], sort, onSort, editable, onSave, rowActions,
    highlight, label} = options;
  const head = h('tr', null,
    rowActions ? h('th', {class: 'actions-col', scope: 'col'}, h('span', {class: 'sr-only'}, 'Actions')) : null,
    columns.map((name, i) => {
      const sorted = sort?.column === name ? sort.direction : null;
      const caption = [
        h('span', {class: 'col-name'}, name),
        keyColumns.includes(name) ? h('span', {class: 'key-mark', title: 'Addresses the row'}, 'key') : null,
        types[i] ? h('span', {class: 'col-type'}, types[i]) : null,
      ];
      return h('th', {scope: 'col', 'aria-sort': sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : null,
        class: affinities[i] === 'integer' || affinities[i] === 'real' ? 'num' : null},
        onSort
          ? h('button', {type: 'button', class: 'sort', onclick: () => onSort(name),
            title: `Sort by ${name}`},
          caption, h('span', {class: 'sort-mark', 'aria-hidden': 'true'}, sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''))
          : caption);
    }));
  const body = h('tbody');
  rows.forEach((row, r) => {
    const tr = h('tr', null, rowActions ? h('td', {class: 'actions-col'}, rowActions(r)) : null);
    row.forEach((value, c) => {
      const canEdit = editable?.(c);
      const td = h('td', {
        class: [canEdit ? 'editable' : null, highlight?.row === r && highlight?.column === c ? 'flash' : null]
          .filter(Boolean).join(' ') || null,
        title: canEdit ? 'Double-click or press Enter to edit; arrow keys move' : null,
        dataset: {row: r, column: columns[c]},
      }, cell(value, affinities[c]));
      if (canEdit) {
        const open = () => editCell(td, columns[c], value, affinities[c], types[c],
          (v) => onSave(r, c, v));
        td.addEventListener('dblclick', open);
        td.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === 'F2') {
            e.preventDefault();
            open();
          }
        });
      }
      tr.append(td);
    });
    body.append(tr);
  });
  const table = h('table', {class: 'grid', 'aria-label': label ?? null}, h('thead', null, head), body);
  roveFocus(body);
  return h('div', {class: 'grid-wrap'}, table);
}

const MOVES = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};

/**
 * One Tab stop for the whole grid, and the arrow keys to move between editable cells: a page of
 * a thousand rows does not cost a thousand Tab presses.
 */
function roveFocus(body) {
  const cells = body.querySelectorAll('td.editable');
  if (!cells.length) return;
  cells.forEach((td, i) => td.setAttribute('tabindex', i === 0 ? '0' : '-1'));
  let current = cells[0];
  body.addEventListener('focusin', (e) => {
    const td = e.target.closest?.('td.editable');
    if (!td || td === current) return;
    current.setAttribute('tabindex', '-1');
    td.setAttribute('tabindex', '0');
    current = td;
  });
  body.addEventListener('keydown', (e) => {
    const move = MOVES[e.key];
    const td = e.target.closest?.('td.editable');
    if (!move || !td || e.altKey || e.ctrlKey || e.metaKey) return;
    const tr = td.parentElement;
    let target = null;
    if (move[0]) {
      target = body.rows[tr.sectionRowIndex + move[0]]?.cells[td.cellIndex] ?? null;
    } else {
      for (let c = td.cellIndex + move[1]; c >= 0 && c < tr.cells.length && !target; c += move[1]) {
        if (tr.cells[c].classList.contains('editable')) target = tr.cells[c];
      }
    }
    if (target?.classList.contains('editable')) {
      e.preventDefault();
      target.focus();
      target.scrollIntoView({block: 'nearest', inline: 'nearest'});
    }
  });
}

/** Opens the editor over a cell; Enter saves, Escape cancels, errors stay in the editor. */
function editCell(td, column, value, columnAffinity, declared, save) {
  closeCellEditor();
  const input = valueInput(value, columnAffinity, {label: column});
  const error = h('div', {class: 'editor-error'});
  const saveButton = h('button', {type: 'button', class: 'primary small'}, 'Save');
  const editor = h('div', {class: 'cell-editor', role: 'dialog', 'aria-label': `Edit ${column}`},
    h('div', {class: 'cell-editor-title'},
      h('span', {class: 'cell-editor-name'}, h('strong', null, column), declared ? h('span', {class: 'muted'}, ' ' + declared) : null),
      input.select),
    input.holder,
    error,
    h('div', {class: 'cell-editor-actions'},
      h('span', {class: 'hint'}, 'Enter saves · Esc cancels'),
      h('button', {type: 'button', class: 'small', onclick: () => close(true)}, 'Cancel'),
      saveButton));

  const outside = (e) => {
    if (!editor.contains(e.target)) close(false);
  };
  function close(refocus) {
    document.removeEventListener('mousedown', outside, true);
    editor.remove();
    if (openEditor?.editor === editor) openEditor = null;
    if (refocus && td.isConnected) td.focus();
  }
  async function submit() {
    const v = input.read();
    if (v instanceof Error) {
      error.replaceChildren(errorBox(v));
      input.focus();
      return;
    }
    saveButton.disabled = true;
    try {
      await save(v);
      close(false);
    } catch (e) {
      error.replaceChildren(errorBox(e, 'Not saved'));
      input.focus();
    } finally {
      saveButton.disabled = false;
    }
  }
  saveButton.addEventListener('click', submit);
  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
    } else if (e.key === 'Enter' && !e.shiftKey && e.target.tagName !== 'BUTTON' && e.target.tagName !== 'SELECT') {
      e.preventDefault();
      submit();
    }
  });

  document.body.append(editor);
  const rect = td.getBoundingClientRect();
  const width = Math.min(Math.max(rect.width, 340), document.documentElement.clientWidth - 16);
  const left = Math.min(rect.left, document.documentElement.clientWidth - width - 8);
  editor.style.width = width + 'px';
  editor.style.left = Math.max(8, left) + window.scrollX + 'px';
  const below = rect.top + editor.offsetHeight > window.innerHeight - 8;
  editor.style.top = (below ? Math.max(8, rect.bottom - editor.offsetHeight) : rect.top) + window.scrollY + 'px';
  openEditor = {editor, close: () => close(false)};
  document.addEventListener('mousedown', outside, true);
  input.focus();
  const field = input.field();
  if (field.select && !field.disabled) field.select();
}
