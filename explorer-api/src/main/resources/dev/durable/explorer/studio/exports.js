// Export links: the object or one table as JSON, CSV, SQL or the SQLite file.

import {download, downloadUrl, token} from './api.js';
import {h, notify} from './dom.js';

/** An export as a plain link (it streams to disk); with an explorer token it is fetched with it. */
export function exportLink(label, path, query, title) {
  return h('a', {href: downloadUrl(path, query), download: '', class: 'export', title,
    onclick: (e) => {
      if (!token()) return;
      e.preventDefault();
      download(path, query, 'export').catch((error) => notify(error.message, 'error'));
    }}, label);
}
