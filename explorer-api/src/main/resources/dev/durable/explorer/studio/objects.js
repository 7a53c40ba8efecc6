// One namespace's objects: search by name or id, paged with the listing's cursor.

import {api} from './api.js';
import {errorBox, h, replace, stored} from './dom.js';
import {link, setCrumbs} from './routes.js';

const PAGE_SIZES = [50, 100, 500, 1000];

export async function renderNamespace(main, route, namespace) {
  const ns = route.ns;
  let search = route.query.get('search') ?? '';
  let pageSize = stored.get('objectsPageSize', 100);
  let cursors = [''];
  let page = 0;
  let timer = null;
  let generation = 0;

  setCrumbs({label: 'Namespaces', href: '#/'}, {label: ns});
  document.title = `${ns} · Data studio`;

  const input = h('input', {type: 'search', class: 'search', 'data-search': true, value: search,
    placeholder: 'Search by name or id', 'aria-label': 'Search objects by name or id',
    autocomplete: 'off', spellcheck: 'false'});
  const sizeSelect = h('select', {'aria-label': 'Objects per page'},
    PAGE_SIZES.map((n) => h('option', {value: n, selected: n === pageSize}, `${n} per page`)));
  const openByName = h('div', {class: 'open-by-name'});
  const list = h('div', {class: 'objects', 'aria-live': 'polite'});
  const prev = h('button', {type: 'button', class: 'small'}, '‹ Previous');
  const next = h('button', {type: 'button', class: 'small'}, 'Next ›');
  const pageLabel = h('span', {class: 'muted small'});
  const pager = h('div', {class: 'pager'}, prev, pageLabel, next);

  replace(main,
    h('div', {class: 'page-head'},
      h('h1', null, namespace ? namespace.class : ns, ' ', h('span', {class: 'muted h-sub'}, namespace ? ns : '')),
      h('p', {class: 'muted small'}, 'Objects are listed from their files on disk, and while they are in memory; listing wakes none.')),
    h('form', {class: 'toolbar', role: 'search', onsubmit: (e) => {
      e.preventDefault();
      clearTimeout(timer);
      restart();
    }}, input, sizeSelect),
    openByName,
    list,
    pager);

  function restart() {
    search = input.value.trim();
    history.replaceState(null, '', link({ns, query: {search}}));
    cursors = [''];
    page = 0;
    load();
  }

  async function load() {
    const mine = ++generation;
    list.setAttribute('aria-busy', 'true');
    renderOpenByName();
    let answer;
    try {
      answer = await api.objects(ns, {limit: pageSize, cursor: cursors[page], search});
    } catch (e) {
      if (mine !== generation) return;
      replace(list, errorBox(e, 'Could not list the objects'));
      list.removeAttribute('aria-busy');
      pager.hidden = true;
      return;
    }
    if (mine !== generation) return; // a newer search is on its way
    list.removeAttribute('aria-busy');
    const objects = answer.result;
    const nextCursor = answer.info?.cursor ?? '';
    cursors[page + 1] = nextCursor;
    renderList(objects);
    prev.disabled = page === 0;
    next.disabled = !nextCursor;
    pager.hidden = page === 0 && !nextCursor;
    const from = page * pageSize + 1;
    pageLabel.textContent = objects.length ? `Objects ${from.toLocaleString()}–${(from + objects.length - 1).toLocaleString()}` : '';
  }

  function renderOpenByName() {
    replace(openByName, search
      ? h('a', {href: link({ns, object: 'name:' + search}), class: 'small'},
        `Open the object named “${search}” →`)
      : null);
  }

  function renderList(objects) {
    if (objects.length === 0) {
      replace(list, h('div', {class: 'empty'}, search
        ? [h('p', null, `No object's name or id contains “${search}”.`),
          h('p', {class: 'muted small'}, 'Opening an object by name reads it without creating it: nothing is written until you edit it.')]
        : [h('p', null, 'No objects in this namespace yet.'),
          h('p', {class: 'muted small'}, 'An object shows up here once it has stored something, or while it is in memory.')]));
      return;
    }
    replace(list, h('table', {class: 'list objects-list'},
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Name'), h('th', {scope: 'col'}, 'Id'), h('th', {scope: 'col'}, 'State'))),
      h('tbody', null, objects.map((o) => {
        const href = link({ns, object: o.id});
        return h('tr', {dataset: {id: o.id}},
          h('td', {class: 'name'}, h('a', {href}, o.name ?? h('span', {class: 'muted'}, '(no name)'))),
          h('td', {class: 'mono id'}, h('a', {href, title: o.id, tabindex: '-1'}, o.id)),
          h('td', {class: 'state'},
            o.live ? h('span', {class: 'badge live', title: 'An instance is in memory now'}, 'live') : null,
            o.hasStoredData ? null : h('span', {class: 'badge', title: 'Nothing on disk yet'}, 'no storage')));
      }))));
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(restart, 250);
  });
  sizeSelect.addEventListener('change', () => {
    pageSize = Number(sizeSelect.value);
    stored.set('objectsPageSize', pageSize);
    cursors = [''];
    page = 0;
    load();
  });
  prev.addEventListener('click', () => {
    page = Math.max(0, page - 1);
    load();
  });
  next.addEventListener('click', () => {
    if (!cursors[page + 1]) return;
    page++;
    load();
  });

  await load();
  return () => clearTimeout(timer);
}
