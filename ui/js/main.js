// Pantau's popup: wires the views to the backend's commands and pushed events.

import { call, on, loadMeta, meta } from './api.js';
import { setLocale } from './format.js';
import { setLanguage, setStrings, t } from './i18n.js';
import { renderMarket, refreshAges } from './market.js';
import { renderHeadlines, renderHits, moveSelection, selectedUrl, markSaved, nextUnread, select } from './news.js';
import { renderArticle, renderArticleError } from './reader.js';
import { renderAlerts } from './alerts.js';
import { renderStatus } from './status.js';
import { fillSettings, readSettings } from './settings.js';

const $ = (id) => document.getElementById(id);
const state = { view: 'market', previous: 'news', article: null, settings: null, unseenAlerts: 0 };

function show(view) {
  if (view !== 'reader' && state.view !== 'reader') state.previous = state.view;
  if (view === 'reader' && state.view !== 'reader') state.previous = state.view;
  state.view = view;
  for (const section of document.querySelectorAll('.view')) section.hidden = section.dataset.view !== view;
  for (const tab of document.querySelectorAll('.tab')) tab.classList.toggle('active', tab.dataset.view === view);
  if (view === 'alerts') {
    state.unseenAlerts = 0;
    updateAlertCount();
    loadAlerts();
  }
  if (view === 'settings') loadSettings();
  if (view === 'search') $('search-input').focus();
  if (view === 'news') $('news').focus();
}

async function loadMarket() {
  try {
    const market = await call('market');
    state.fallbackInUse = market.readings.some((r) => r.source !== meta.sources.kontan_readings);
    renderMarket($('market'), market);
    renderStatus($('status'), market);
  } catch (e) {
    $('status').textContent = e.message ?? String(e);
  }
}

const SAVED = '__saved';

async function loadHeadlines() {
  const channel = $('channel-filter').value;
  const all = await call('headlines', { limit: 150 });
  const filtered = channel === SAVED
    ? await call('saved_headlines', { limit: 150 })
    : channel ? await call('headlines', { channel, limit: 150 }) : all;
  renderHeadlines($('market-news'), all.slice(0, 8), openArticle);
  renderHeadlines($('news'), filtered, openArticle, saveHeadline);
  const empty = $('news-empty');
  empty.hidden = !(channel === SAVED && filtered.length === 0);
  empty.textContent = empty.hidden ? '' : t('news.none_saved');
  updateChannelFilter(filtered.concat(all));
}

/** Saves a headline for later (or takes it out of "Tersimpan"). */
async function saveHeadline(url, saved) {
  await call('set_saved', { url, saved });
  markSaved(url, saved);
  if ($('channel-filter').value === SAVED) await loadHeadlines();
}

async function markAllRead() {
  const channel = $('channel-filter').value;
  await call('mark_all_read', { channel: channel && channel !== SAVED ? channel : null });
  await loadHeadlines();
}

function updateChannelFilter(headlines) {
  const select = $('channel-filter');
  const known = new Set([...select.options].map((o) => o.value));
  for (const h of headlines) {
    if (h.channel && !known.has(h.channel)) {
      known.add(h.channel);
      const option = document.createElement('option');
      option.value = h.channel;
      option.textContent = h.channel;
      select.append(option);
    }
  }
}

async function openArticle(url) {
  show('reader');
  $('reader-title').textContent = '…';
  try {
    const article = await call('article', { url });
    state.article = article;
    renderArticle(article, openArticle);
    for (const item of document.querySelectorAll(`li[data-url="${CSS.escape(url)}"]`)) {
      item.classList.remove('unread');
      item.classList.add('read');
    }
  } catch (e) {
    state.article = { url };
    renderArticleError(e);
  }
}

async function openExternal(url) {
  try {
    await call('open_external', { url });
  } catch (e) {
    if (e.kind === meta.needs_confirmation_kind) {
      const host = new URL(url).host;
      $('confirm-text').textContent = t('confirm.leave', { host });
      const dialog = $('confirm');
      dialog.returnValue = '';
      call('popup_dialog', { open: true }).catch(() => {});
      dialog.showModal();
      dialog.onclose = async () => {
        call('popup_dialog', { open: false }).catch(() => {});
        if (dialog.returnValue === 'yes') await call('open_external', { url, confirmed: true });
      };
    } else {
      $('status').textContent = e.message ?? String(e);
    }
  }
}

async function loadAlerts() {
  const [alerts, rupiah] = await Promise.all([call('alerts_inbox', { limit: 100 }), call('search', { query: 'rupiah' })]);
  renderAlerts($('alerts'), $('alerts-empty'), alerts);
  renderHits($('rupiah-news'), rupiah.slice(0, 5), openArticle);
}

function updateAlertCount() {
  const badge = $('alert-count');
  badge.hidden = state.unseenAlerts === 0;
  badge.textContent = String(state.unseenAlerts);
}

async function loadSettings() {
  state.settings = await call('get_settings');
  fillSettings($('settings'), state.settings);
  fillAbout();
}

/** The About section: version, where the data comes from, the license. */
function fillAbout() {
  const { about } = meta;
  $('about-version').textContent = about.version;
  $('about-kontan').textContent = about.kontan;
  $('about-fallback').textContent = about.fallback;
  $('about-fallback-now').hidden = !state.fallbackInUse;
  $('about-license').textContent = about.license;
}

function applyAppearance(app) {
  document.documentElement.dataset.theme = app.theme;
  setLocale(app.language);
  setLanguage(app.language);
}

let searchTimer = null;
function search() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(async () => {
    const query = $('search-input').value.trim();
    const hits = query ? await call('search', { query }) : [];
    renderHits($('search-results'), hits, openArticle);
    $('search-empty').hidden = !query || hits.length > 0;
  }, 150);
}

function onKey(e) {
  if (e.target.matches('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
  const list = state.view === 'search' ? $('search-results') : state.view === 'market' ? $('market-news') : $('news');
  if (e.key === '/') {
    e.preventDefault();
    show('search');
  } else if (e.key === 'j' || e.key === 'ArrowDown') {
    if (state.view === 'reader') return;
    e.preventDefault();
    moveSelection(list, 1);
  } else if (e.key === 'k' || e.key === 'ArrowUp') {
    if (state.view === 'reader') return;
    e.preventDefault();
    moveSelection(list, -1);
  } else if (e.key === 'Enter') {
    const url = selectedUrl(list);
    if (url && state.view !== 'reader') openArticle(url);
  } else if (e.key === 'n' && state.view !== 'search') {
    // The next unread headline of the news list, opened in the reader.
    if (state.view !== 'news' && state.view !== 'reader') return;
    const next = nextUnread($('news'));
    if (next) {
      select(next);
      openArticle(next.dataset.url);
    }
  } else if (e.key === 's' && state.view !== 'search') {
    const url = state.view === 'reader' ? state.article?.url : selectedUrl(list);
    if (!url) return;
    const item = document.querySelector(`li[data-url="${CSS.escape(url)}"]`);
    saveHeadline(url, item?.dataset.saved !== 'true');
  } else if (e.key === 'o') {
    const url = state.view === 'reader' ? state.article?.url : selectedUrl(list);
    if (url) openExternal(url);
  } else if (e.key === 'Escape' || e.key === 'Backspace') {
    if (state.view === 'reader') show(state.previous || 'news');
    else if (e.key === 'Escape' && !document.querySelector('dialog[open]')) call('hide_popup');
  }
}

function onEngineEvent(event) {
  switch (event.event) {
    case 'cached':
    case 'indicators_updated':
      loadMarket();
      break;
    case 'source_status':
      // Only the bar's health (and the fallback's) shows on the market strip and status line.
      if (event.source === meta.sources.bar || event.source === meta.sources.fallback) loadMarket();
      break;
    case 'headlines_updated':
      loadHeadlines();
      break;
    case 'alert':
      if (state.view === 'alerts') loadAlerts();
      else if (event.alert.shown) {
        state.unseenAlerts += 1;
        updateAlertCount();
      }
      break;
    default:
      break;
  }
}

async function start() {
  await loadMeta();
  setStrings(meta.strings);
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => show(tab.dataset.view));
  $('channel-filter').addEventListener('change', loadHeadlines);
  $('mark-all-read').addEventListener('click', markAllRead);
  $('search-input').addEventListener('input', search);
  $('reader-back').addEventListener('click', () => show(state.previous || 'news'));
  $('reader-open').addEventListener('click', () => state.article && openExternal(state.article.url));
  $('snooze').addEventListener('click', () => call('snooze_alerts', { minutes: 60 }));
  $('refresh').addEventListener('click', () => call('refresh_now'));
  $('confirm-yes').addEventListener('click', () => $('confirm').close('yes'));
  $('confirm-no').addEventListener('click', () => $('confirm').close('no'));
  $('settings').addEventListener('submit', async (e) => {
    e.preventDefault();
    const next = readSettings($('settings'), state.settings);
    state.settings = await call('set_settings', { settings: next });
    applyAppearance(state.settings.app);
    fillSettings($('settings'), state.settings);
    $('settings-saved').hidden = false;
    setTimeout(() => { $('settings-saved').hidden = true; }, 2000);
  });
  document.addEventListener('keydown', onKey);

  await on(meta.events.engine, onEngineEvent);
  await on(meta.events.navigate, navigate);
  // Shown again after being hidden: what it shows is already on screen.
  await on(meta.events.shown, reportPainted);
  // Listening now: the view this popup was opened for (a notification, a tray headline).
  const opened = await call('popup_ready');
  const settings = await call('get_settings');
  state.settings = settings;
  applyAppearance(settings.app);
  // A tab chosen while the page was starting stays chosen.
  show(state.view);
  await Promise.all([loadMarket(), loadHeadlines()]);
  reportPainted();
  if (opened) navigate(opened);
  // Ages ("5 mnt lalu") tick locally; data only changes when the backend says so.
  setInterval(() => refreshAges(document), 30000);
}

function navigate(nav) {
  if (nav.view === 'reader' && nav.url) openArticle(nav.url);
  else show(nav.view);
}

/** Tells the backend what the popup shows once it is painted (it times opens). */
function reportPainted() {
  requestAnimationFrame(() => {
    call('popup_painted', { indicators: document.querySelectorAll('#market .reading').length });
  });
}

start();
