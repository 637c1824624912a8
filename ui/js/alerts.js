// The alert inbox: every alert, shown or only recorded, each opening the move it was about.

import * as fmt from './format.js';
import { el, rove } from './dom.js';
import { t } from './i18n.js';

/** Draws the inbox; `onOpen(alert)` opens the alert's indicator with its move highlighted. */
export function renderAlerts(list, alerts, onOpen) {
  list.replaceChildren();
  for (const a of alerts) {
    const item = el('li', a.shown ? 'shown' : 'muted');
    item.dataset.symbol = a.symbol;
    item.dataset.at = a.at;
    const when = el('time', 'when', fmt.dateWib(a.at));
    when.dateTime = a.at;
    const head = el('span', 'head');
    head.append(el('span', 'title', a.title), when);
    item.append(head, el('span', 'body', a.body));
    if (!a.shown) item.append(el('span', 'badge muted-badge', t('alerts.inbox_only')));
    item.addEventListener('click', () => onOpen(a));
    list.append(item);
  }
  rove(list);
}
