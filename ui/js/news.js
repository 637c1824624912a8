// Headline lists: newest first, channel filter, unread marker, keyboard navigation.

import * as fmt from './format.js';
import { el } from './dom.js';

/** Draws headlines into `list`; `onOpen(url)` opens one in the reader. */
export function renderHeadlines(list, headlines, onOpen) {
  list.replaceChildren();
  for (const h of headlines) {
    const item = el('li', h.read ? 'read' : 'unread');
    item.dataset.url = h.url;
    item.tabIndex = -1;
    const when = h.published_at ?? h.first_seen;
    const info = el('span', 'info', [h.channel, fmt.ago(when)].filter(Boolean).join(' · '));
    info.dataset.channel = h.channel ?? '';
    item.append(el('span', 'title', h.title), info);
    item.addEventListener('click', () => onOpen(h.url));
    list.append(item);
  }
}

/** Search hits: title and the words around the match. */
export function renderHits(list, hits, onOpen) {
  list.replaceChildren();
  for (const h of hits) {
    const item = el('li', 'hit');
    item.dataset.url = h.url;
    item.append(el('span', 'title', h.title), el('span', 'snippet', h.snippet));
    item.addEventListener('click', () => onOpen(h.url));
    list.append(item);
  }
}

/** Moves the selection in a list by `step` and returns the selected item. */
export function moveSelection(list, step) {
  const items = [...list.children];
  if (!items.length) return null;
  const current = items.findIndex((i) => i.classList.contains('selected'));
  const next = Math.max(0, Math.min(items.length - 1, current < 0 ? 0 : current + step));
  items.forEach((i) => i.classList.remove('selected'));
  items[next].classList.add('selected');
  items[next].scrollIntoView({ block: 'nearest' });
  return items[next];
}

/** The selected item's URL, if any. */
export function selectedUrl(list) {
  return list.querySelector('li.selected')?.dataset.url ?? null;
}
