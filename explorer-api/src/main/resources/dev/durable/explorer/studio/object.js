// One object: what it holds (size, tables, entries, alarm, live or not), export links, and tabs.

import {api, objectPath} from './api.js';
import {errorBox, formatBytes, h, notify, plural, relativeTime, replace} from './dom.js';
import {exportLink} from './exports.js';
import {closeCellEditor} from './grid.js';
import {link, objectLabel, setCrumbs} from './routes.js';
import {renderAlarm} from './alarm.js';
import {renderKeyValue} from './kv.js';
import {renderSql} from './sql.js';
import {renderTables} from './tables.js';

const TABS = [
  ['tables', 'Tables', renderTables],
  ['kv', 'Key-Value', renderKeyValue],
  ['sql', 'SQL', renderSql],
  ['alarm', 'Alarm', renderAlarm],
];

const EXPORTS = [
  ['json', 'JSON', 'Every table and the key-value entries'],
  ['csv', 'CSV (zip)', 'One CSV file per table, and the entries'],
  ['sql', 'SQL', 'Statements that rebuild the object'],
  ['sqlite', 'SQLite file', 'The database file itself'],
];

let page = null;

export async function renderObject(main, route) {
  const key = route.ns + '\n' + route.object;
  if (!page || page.key !== key || !main.contains(page.root)) {
    page = new ObjectPage(main, route);
  }
  return page.show(route);
}

class ObjectPage {
  constructor(main, route) {
    this.key = route.ns + '\n' + route.object;
    this.ns = route.ns;
    this.object = route.object;
    this.summary = null;
    this.leaveTab = null;
    this.tabLinks = new Map();
    this.title = h('h1', {class: 'object-title'});
    this.idLine = h('div', {class: 'id-line'});
    this.stats = h('div', {class: 'stats'});
    this.headError = h('div');
    this.panel = h('section', {class: 'tab-panel', role: 'region', 'aria-live': 'off'});
    const tabs = h('nav', {class: 'tabs', 'aria-label': 'Object views'},
      TABS.map(([id, label]) => {
        const a = h('a', {href: link({ns: this.ns, object: this.object, tab: id}), dataset: {tab: id}},
          label, h('span', {class: 'count'}));
        this.tabLinks.set(id, a);
        return a;
      }));
    const path = objectPath(this.ns, this.object);
    const menu = h('details', {class: 'menu'},
      h('summary', {class: 'button small'}, 'Export'),
      h('div', {class: 'menu-items'}, EXPORTS.map(([format, label, title]) =>
        exportLink(label, path + '/export', {format}, title))));
    menu.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') menu.open = false;
    });
    this.root = h('div', {class: 'object-page'},
      h('div', {class: 'object-head'},
        h('div', {class: 'object-id'}, this.title, this.idLine, this.stats),
        h('div', {class: 'object-actions'},
          h('button', {type: 'button', class: 'small', title: 'Read the object again',
            onclick: () => this.refreshAll()}, 'Refresh'),
          menu)),
      this.headError,
      tabs,
      this.panel);
    replace(main, this.root);
  }

  async show(route) {
    closeCellEditor();
    this.leaveTab?.();
    this.leaveTab = null;
    this.route = route;
    const tab = TABS.find(([id]) => id === route.tab) ?? TABS[0];
    for (const [id, a] of this.tabLinks) {
      if (id === tab[0]) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    this.setCrumbs(tab[1]);
    this.panel.setAttribute('aria-label', tab[1]);
    this.panel.dataset.tab = tab[0];
    const context = {
      ns: this.ns,
      object: this.object,
      route,
      summary: () => this.summary,
      refreshSummary: () => this.refreshSummary(),
      link: (tabId, table, query) => link({ns: this.ns, object: this.object, tab: tabId, table, query}),
    };
    // Each showing renders into a body of its own: one that finishes after the user moved on
    // fills a body no longer in the page, instead of overwriting the newer one.
    const body = h('div', {class: 'tab-body'});
    replace(this.panel, body);
    // An object that cannot be read (a bad id, an unknown namespace) shows why, and no tab.
    if (!(await this.refreshSummary())) {
      body.remove();
      return () => {};
    }
    const leave = await tab[2](body, context);
    if (!body.isConnected) {
      leave?.();
      return () => {};
    }
    this.leaveTab = leave;
    return () => {
      this.leaveTab?.();
      this.leaveTab = null;
    };
  }

  setCrumbs(tabLabel) {
    const name = this.summary?.name ?? (this.object.startsWith('name:') ? this.object.slice(5) : null);
    const label = objectLabel(this.object, name);
    setCrumbs({label: 'Namespaces', href: '#/'}, {label: this.ns, href: link({ns: this.ns})},
      {label, href: link({ns: this.ns, object: this.object})}, {label: tabLabel});
    document.title = `${label} · ${this.ns} · Data studio`;
  }

  async refreshAll() {
    await this.show(this.route);
    notify('Read again');
  }

  async refreshSummary() {
    try {
      this.summary = (await api.summary(this.ns, this.object)).result;
      replace(this.headError);
    } catch (e) {
      replace(this.headError, errorBox(e, 'Could not read this object'));
      return null;
    }
    this.renderSummary();
    return this.summary;
  }

  renderSummary() {
    const s = this.summary;
    replace(this.title,
      s.name ?? h('span', {class: 'muted'}, '(no name)'),
      s.live ? h('span', {class: 'badge live', title: 'An instance is in memory now'}, 'live') : null,
      s.hasStoredData ? null : h('span', {class: 'badge', title: 'No database file yet: nothing is created until you write'}, 'no storage'));
    const tables = s.tables.filter((t) => t.type === 'table').length;
    const alarm = s.alarm?.epoch_millis;
    replace(this.idLine,
      h('span', {class: 'mono id-full', title: 'The object\'s id'}, s.id),
      h('button', {type: 'button', class: 'ghost small', title: 'Copy the id',
        onclick: () => navigator.clipboard?.writeText(s.id).then(() => notify('Id copied'))}, 'Copy'));
    replace(this.stats,
      h('span', {class: 'stat'}, h('span', {class: 'muted'}, 'Size '), formatBytes(s.size.database_bytes)),
      h('span', {class: 'stat'}, plural(tables, 'table')),
      h('span', {class: 'stat'}, plural(s.kv_entries, 'entry', 'entries')),
      h('span', {class: 'stat'}, h('span', {class: 'muted'}, 'Alarm '),
        alarm != null ? h('span', {title: s.alarm.scheduled_time}, relativeTime(alarm)) : 'none'));
    this.tabLinks.get('tables').querySelector('.count').textContent = s.tables.length ? String(s.tables.length) : '';
    this.tabLinks.get('kv').querySelector('.count').textContent = s.kv_entries ? String(s.kv_entries) : '';
    this.tabLinks.get('alarm').querySelector('.count').textContent = alarm != null ? '●' : '';
    this.setCrumbs(TABS.find(([id]) => id === this.panel.dataset.tab)?.[1] ?? 'Tables');
  }
}
