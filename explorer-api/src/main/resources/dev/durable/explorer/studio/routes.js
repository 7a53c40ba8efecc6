// Where the user is: the URL's hash names the namespace, object, tab and table.

import {h, replace} from './dom.js';

/** Where the hash points: {view, ns, object, tab, table, query}. */
export function parseRoute(hash) {
  const [path, qs] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const query = new URLSearchParams(qs ?? '');
  if (parts[0] === 'ns' && parts[1]) {
    if (parts[2] === 'o' && parts[3]) {
      return {view: 'object', ns: parts[1], object: parts[3], tab: parts[4] ?? 'tables', table: parts[5] ?? null, query};
    }
    return {view: 'namespace', ns: parts[1], query};
  }
  return {view: 'home', query};
}

/** The hash of a place: link({ns}), link({ns, object, tab, table}). */
export function link({ns, object, tab, table, query}) {
  const e = encodeURIComponent;
  let out = '#/';
  if (ns) out += `ns/${e(ns)}`;
  if (ns && object) out += `/o/${e(object)}`;
  if (ns && object && tab) out += `/${e(tab)}`;
  if (ns && object && tab && table) out += `/${e(table)}`;
  const q = new URLSearchParams(Object.entries(query ?? {}).filter(([, v]) => v != null && v !== '')).toString();
  return q ? `${out}?${q}` : out;
}

/** The label of an object: its name, else its id shortened. */
export function objectLabel(object, name) {
  if (name) return name;
  if (object.startsWith('name:')) return object.slice(5);
  return object.slice(0, 12) + '…';
}

export function setCrumbs(...items) {
  replace(document.getElementById('crumbs'), items.flatMap((item, i) => [
    i > 0 ? h('span', {class: i === 1 ? 'sep sep-home' : 'sep', 'aria-hidden': 'true'}, '/') : null,
    item.href && i < items.length - 1 ? h('a', {href: item.href, class: i === 0 ? 'crumb-home' : null}, item.label)
      : h('span', {'aria-current': i === items.length - 1 ? 'page' : null, class: i === 0 ? 'crumb-home' : null}, item.label),
  ]));
}

