// The popup's keyboard: tabs move with the arrow keys; j/k or ↑/↓ move in a list, Enter opens,
// `/` searches, `n` opens the next unread headline, `s` saves, `o` opens in the browser, Esc and
// Backspace go back (Esc hides the popup from a top view). What a key does comes from the app
// (`bindKeys`' actions); this module only decides which.

import { moveSelection, nextUnread, select, selectedUrl } from './news.js';

const $ = (id) => document.getElementById(id);

/** The list a key acts on: the one with the focus, else the view's main list. */
function activeList(target, app) {
  const focused = target.closest?.('ol, ul');
  if (focused && focused.closest('.view') && !focused.closest('#reader')) return focused;
  const view = app.view();
  return view === 'search' ? $('search-results') : view === 'market' ? $('market-news') : $('news');
}

function onTabKey(e, app) {
  const tab = e.target.closest('.tab');
  if (!tab || !['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return false;
  const tabs = [...document.querySelectorAll('.tab')];
  const i = tabs.indexOf(tab);
  const next = e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1
    : (i + (e.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length;
  e.preventDefault();
  app.show(tabs[next].dataset.view);
  tabs[next].focus();
  return true;
}

function onKey(e, app) {
  const view = app.view();
  if (e.target.matches('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
  if (onTabKey(e, app)) return;
  const list = activeList(e.target, app);
  // A button of its own (☆, ↑, Coba lagi) keeps its keys; a tab lets them reach the view's list.
  const isButton = e.target.matches('button');
  const onButton = isButton && !e.target.matches('.tab');
  if (e.key === '/') {
    e.preventDefault();
    app.show('search');
  } else if (e.key === 'j' || e.key === 'ArrowDown') {
    if (view === 'reader' || onButton) return;
    e.preventDefault();
    moveSelection(list, 1);
  } else if (e.key === 'k' || e.key === 'ArrowUp') {
    if (view === 'reader' || onButton) return;
    e.preventDefault();
    moveSelection(list, -1);
  } else if (e.key === 'Enter' || e.key === ' ') {
    if (isButton || view === 'reader') return;
    const item = list.querySelector('li.selected') ?? (e.target.matches('li') ? e.target : null);
    if (item) {
      e.preventDefault();
      item.click();
    }
  } else if (e.key === 'n' && view !== 'search') {
    // The next unread headline of the news list, opened in the reader.
    if (view !== 'news' && view !== 'reader') return;
    const next = nextUnread($('news'));
    if (next) {
      select(next);
      app.openArticle(next.dataset.url);
    }
  } else if (e.key === 's' && view !== 'search') {
    const url = view === 'reader' ? app.articleUrl() : selectedUrl(list);
    if (!url) return;
    const item = document.querySelector(`li[data-url="${CSS.escape(url)}"]`);
    app.saveHeadline(url, item?.dataset.saved !== 'true');
  } else if (e.key === 'o') {
    const url = view === 'reader' ? app.articleUrl() : selectedUrl(list);
    if (url) app.openExternal(url);
  } else if (e.key === 'Escape' || e.key === 'Backspace') {
    if (view === 'reader' || view === 'indicator') app.show(app.previous() || 'news');
    else if (e.key === 'Escape') app.hide();
  }
}

/** Listens for the popup's keys; `app` gives the view on show and the actions keys take:
 * {view, previous, articleUrl, show, openArticle, openExternal, saveHeadline, hide}. */
export function bindKeys(app) {
  document.addEventListener('keydown', (e) => onKey(e, app));
}
