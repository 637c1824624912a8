// The alert inbox: every alert, shown or only recorded.

import * as fmt from './format.js';
import { el } from './dom.js';

/** Draws the inbox. */
export function renderAlerts(list, empty, alerts) {
  list.replaceChildren();
  empty.hidden = alerts.length > 0;
  for (const a of alerts) {
    const item = el('li', a.shown ? 'shown' : 'muted');
    item.dataset.symbol = a.symbol;
    const when = el('span', 'body', `${a.body}`);
    item.append(el('span', 'title', a.title), when);
    item.title = fmt.dateWib(a.at);
    list.append(item);
  }
}
