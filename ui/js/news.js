// Headline lists: newest first, channel filter, unread marker, keyboard navigation.

import * as fmt from './format.js';
import { el, rove } from './dom.js';
import { t } from './i18n.js';

/** Draws headlines into `list`; `onOpen(url)` opens one in the reader; with `onSave(url, saved)`
 * each item also gets a ☆/★ toggle that saves it for later. */
export function renderHeadlines(list, headlines, onOpen, onSave) {
  list.replaceChildren();
  for (const h of headlines) {
    const item = el('li', h.read ? 'read' : 'unread');
    item.dataset.url = h.url;
    item.dataset.saved = h.starred ? 'true' : 'false';
    const when = h.published_at ?? h.first_seen;
    const info = el('span', 'info', [h.channel, fmt.ago(when)].filter(Boolean).join(' · '));
    info.dataset.channel = h.channel ?? '';
    item.append(el('span', 'title', h.title), info);
    if (onSave) {
      const toggle = el('button', 'save');
      toggle.type = 'button';
      showSaved(item, toggle, h.starred);
      toggle.addEventListener('click', (e) => {
        e.stopPropagation();
        onSave(h.url, item.dataset.saved !== 'true');
      });
      item.append(toggle);
    }
    item.addEventListener('click', () => onOpen(h.url));
    list.append(item);
  }
  rove(list);
}

/** Marks every item for `url` in the document saved or not. */
export function markSaved(url, saved) {
  for (const item of document.querySelectorAll(`li[data-url="${CSS.escape(url)}"]`)) {
    const toggle = item.querySelector('button.save');
    if (toggle) showSaved(item, toggle, saved);
    else item.dataset.saved = saved ? 'true' : 'false';
  }
}

function showSaved(item, toggle, saved) {
  item.dataset.saved = saved ? 'true' : 'false';
  toggle.textContent = saved ? '★' : '☆';
  toggle.setAttribute('aria-pressed', saved ? 'true' : 'false');
  toggle.setAttribute('aria-label', t(saved ? 'news.unsave' : 'news.save'));
  toggle.title = t(saved ? 'news.unsave' : 'news.save');
}

/** The first unread item after the selected one (or from the top), if any. */
export function nextUnread(list) {
  const items = [...list.children];
  const current = items.findIndex((i) => i.classList.contains('selected'));
  return items.slice(current + 1).find((i) => i.classList.contains('unread'))
    ?? items.slice(0, current + 1).find((i) => i.classList.contains('unread'))
    ?? null;
}

/** Selects `item` in its list. */
export function select(item) {
  for (const i of item.parentElement.children) i.classList.remove('selected');
  item.classList.add('selected');
  rove(item.parentElement);
  item.scrollIntoView({ block: 'nearest' });
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
  rove(list);
}

/** Moves the selection in a list by `step` and returns the selected item. */
export function moveSelection(list, step) {
  const items = [...list.children];
  if (!items.length) return null;
  let current = items.findIndex((i) => i.classList.contains('selected'));
  // With nothing selected yet, the item the keyboard is on counts as selected.
  if (current < 0) current = items.indexOf(document.activeElement);
  const next = Math.max(0, Math.min(items.length - 1, current < 0 ? 0 : current + step));
  items.forEach((i) => i.classList.remove('selected'));
  items[next].classList.add('selected');
  rove(list);
  // The keyboard follows the selection (Enter then opens it, Tab leaves the list).
  items[next].focus({ preventScroll: true });
  items[next].scrollIntoView({ block: 'nearest' });
  return items[next];
}

/** The selected item's URL, if any. */
export function selectedUrl(list) {
  return list.querySelector('li.selected')?.dataset.url ?? null;
}
