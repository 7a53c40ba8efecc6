// Export links: the object or one table as JSON, CSV, SQL or the SQLite file.

import {download, downloadUrl, token} from './api.js';
import {h, notify} from './dom.js';

/** An export as a link; with an explorer token the file is fetched with it instead. */
export function exportLink(label, path, query, title) {
  return h('a', {href: downloadUrl(path, query), download: '', class: 'export', title,
    onclick: (e) => {
      if (!token()) return;
      e.preventDefault();
      download(path, query, 'export').catch((error) => notify(error.message, 'error'));
    }}, label);
}
