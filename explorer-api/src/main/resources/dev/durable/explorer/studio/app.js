// The data studio: namespaces → objects → one object (tables, key-value, SQL, alarm).
// The URL's hash holds where the user is, so reload, back and bookmarks work.

import {api, onUnauthorized, setToken, token} from './api.js';
import {errorBox, h, replace} from './dom.js';
import {closeCellEditor} from './grid.js';
import {renderNamespace} from './objects.js';
import {renderObject} from './object.js';
import {link, parseRoute, setCrumbs} from './routes.js';

const main = document.getElementById('main');
const sidebar = document.getElementById('namespaces');

let namespaces = null;
let leaving = null;

async function loadNamespaces() {
  try {
    namespaces = (await api.namespaces()).result;
    renderSidebar();
  } catch (e) {
    namespaces = null;
    replace(sidebar, errorBox(e, 'Namespaces'));
  }
}

function renderSidebar() {
  if (!namespaces) return;
  const current = parseRoute(location.hash).ns;
  if (namespaces.length === 0) {
    replace(sidebar, h('p', {class: 'muted small'}, 'No namespaces: bind a Durable Object class in durable.jsonc.'));
    return;
  }
  replace(sidebar, h('ul', {class: 'ns-list'}, namespaces.map((ns) =>
    h('li', null, h('a', {href: link({ns: ns.id}), class: ns.id === current ? 'current' : null,
      'aria-current': ns.id === current ? 'page' : null},
    h('span', {class: 'ns-class'}, ns.class), h('span', {class: 'ns-id'}, ns.id))))));
}

function renderHome() {
  setCrumbs({label: 'Namespaces'});
  document.title = 'Data studio · durable';
  const body = h('div');
  replace(main, h('h1', null, 'Namespaces'),
    h('p', {class: 'muted'}, 'Each Durable Object class bound in durable.jsonc is a namespace. Pick one to see its objects.'),
    body);
  if (!namespaces) {
    body.append(h('p', {class: 'muted'}, 'Loading…'));
    return;
  }
  if (namespaces.length === 0) {
    body.append(h('p', {class: 'empty'}, 'No namespaces yet: bind a class under durable_objects.bindings in durable.jsonc.'));
    return;
  }
  body.append(h('table', {class: 'list'},
    h('thead', null, h('tr', null, h('th', null, 'Namespace'), h('th', null, 'Class'), h('th', null, 'Script'))),
    h('tbody', null, namespaces.map((ns) => h('tr', null,
      h('td', null, h('a', {href: link({ns: ns.id})}, ns.id)),
      h('td', null, ns.class),
      h('td', null, ns.script))))));
}

let routing = 0;

async function route() {
  const mine = ++routing;
  closeCellEditor();
  if (leaving) {
    leaving();
    leaving = null;
  }
  const r = parseRoute(location.hash);
  renderSidebar();
  document.body.dataset.view = r.view;
  let leave = null;
  try {
    if (r.view === 'namespace') {
      leave = await renderNamespace(main, r, namespaces?.find((n) => n.id === r.ns));
    } else if (r.view === 'object') {
      leave = await renderObject(main, r);
    } else {
      if (!namespaces) await loadNamespaces();
      if (mine === routing) renderHome();
    }
  } catch (e) {
    if (mine === routing) replace(main, errorBox(e, 'Could not show this page'));
  }
  // A page that finished after the user moved on stops its timers at once.
  if (mine === routing) leaving = leave;
  else leave?.();
}

function askForToken(error) {
  const dialog = document.getElementById('token-dialog');
  if (dialog.open) return;
  const input = dialog.querySelector('input');
  const message = dialog.querySelector('.token-error');
  replace(message, token() ? errorBox(error) : null);
  input.value = '';
  dialog.showModal();
}

function setUpTokenDialog() {
  const dialog = document.getElementById('token-dialog');
  dialog.querySelector('form').addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(dialog.querySelector('input').value.trim());
    dialog.close();
    loadNamespaces().then(route);
  });
  dialog.querySelector('[data-cancel]').addEventListener('click', () => dialog.close());
}

function setUpKeys() {
  document.addEventListener('keydown', (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName ?? '');
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const search = main.querySelector('[data-search]');
      if (search) {
        e.preventDefault();
        search.focus();
        search.select?.();
      }
    }
  });
}

// The skip link moves focus without touching the hash, which holds the route.
document.querySelector('.skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
onUnauthorized(askForToken);
setUpTokenDialog();
setUpKeys();
window.addEventListener('hashchange', route);
document.getElementById('refresh-namespaces').addEventListener('click', () => loadNamespaces());
loadNamespaces().then(route);
