// Pantau's popup: wires the views to the backend's commands and pushed events.

import { call, on, loadMeta, meta } from './api.js';
import { setLocale, setRules } from './format.js';
import { setLanguage, setStrings, t } from './i18n.js';
import { renderMarket, refreshAges } from './market.js';
import { renderHeadlines, renderHits, markSaved } from './news.js';
import { renderArticle, renderArticleError, renderLeadImage } from './reader.js';
import { renderAlerts } from './alerts.js';
import { renderIndicator } from './indicator.js';
import { renderStatus } from './status.js';
import { fillSettings, readSettings, showSaveError } from './settings.js';
import { bindWordInput } from './words.js';
import { errorText, reportUnhandled } from './errors.js';
import { bindKeys } from './keys.js';
import { bindTaskbar } from './taskbar.js';
import { bindUpdates, refreshUpdates } from './updates.js';
import { listState, withListState } from './dom.js';

const $ = (id) => document.getElementById(id);
const TABS = ['market', 'news', 'search', 'alerts', 'settings'];
const state = {
  view: 'market', previous: 'news', article: null, settings: null, unseenAlerts: 0, alertFilter: 'all',
  indicator: null,
};

function show(view) {
  if (view !== state.view && (view === 'reader' || view === 'indicator')) {
    if (state.view !== 'reader' && state.view !== 'indicator') state.previous = state.view;
  } else if (view !== 'reader' && view !== 'indicator') {
    state.previous = view;
  }
  state.view = view;
  for (const section of document.querySelectorAll('.view')) section.hidden = section.dataset.view !== view;
  for (const tab of document.querySelectorAll('.tab')) {
    const active = tab.dataset.view === view;
    tab.classList.toggle('active', active);
    tab.setAttribute('aria-selected', active ? 'true' : 'false');
    // One tab in the tab order (the active one, else the one the subview came from).
    const current = TABS.includes(view) ? view : state.previous;
    tab.tabIndex = tab.dataset.view === current ? 0 : -1;
  }
  if (view === 'alerts') loadAlerts();
  if (view === 'settings') loadSettings();
  if (view === 'search') $('search-input').focus();
}

async function loadMarket() {
  await withListState($('market'), async () => {
    const market = await call('market');
    state.fallbackInUse = market.readings.some((r) => r.source !== meta.sources.kontan_readings);
    renderMarket($('market'), market, (symbol) => openIndicator(symbol));
    renderStatus($('status'), market);
    if (state.view === 'indicator' && state.indicator) openIndicator(state.indicator.symbol, state.indicator.at, { quiet: true });
    return market.readings.length;
  }, statusError, t('state.no_readings'), {
    label: t('state.refresh'),
    action: () => call('refresh_now').catch(report),
  });
}

/** Puts an error on the status line (the data on screen stays). */
function statusError(e) {
  const text = errorText(e);
  $('status').textContent = text;
  $('status').classList.add('offline');
  return text;
}

const SAVED = '__saved';

async function loadHeadlines() {
  const channel = $('channel-filter').value;
  const emptyText = channel === SAVED ? t('news.none_saved') : t('state.no_headlines');
  let all = [];
  await withListState($('news'), async () => {
    all = await call('headlines', { limit: 150 });
    const filtered = channel === SAVED
      ? await call('saved_headlines', { limit: 150 })
      : channel ? await call('headlines', { channel, limit: 150 }) : all;
    renderHeadlines($('news'), filtered, openArticle, saveHeadline);
    updateChannelFilter(filtered.concat(all));
    return filtered.length;
  }, errorText, emptyText);
  await withListState($('market-news'), async () => {
    renderHeadlines($('market-news'), all.slice(0, 8), openArticle);
    return Math.min(all.length, 8);
  }, errorText, t('state.no_headlines'));
}

/** Saves a headline for later (or takes it out of "Tersimpan"). */
async function saveHeadline(url, saved) {
  try {
    await call('set_saved', { url, saved });
    markSaved(url, saved);
    if ($('channel-filter').value === SAVED) await loadHeadlines();
  } catch (e) {
    $('status').textContent = errorText(e);
  }
}

async function markAllRead() {
  const channel = $('channel-filter').value;
  try {
    await call('mark_all_read', { channel: channel && channel !== SAVED ? channel : null });
  } catch (e) {
    $('status').textContent = errorText(e);
  }
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
  $('reader').hidden = false;
  $('reader-error').hidden = true;
  $('reader-title').textContent = t('state.loading');
  $('view-reader').setAttribute('aria-busy', 'true');
  $('reader-retry').onclick = () => openArticle(url);
  try {
    const article = await call('article', { url });
    state.article = article;
    renderArticle(article, openArticle);
    call('lead_image', { url: article.url }).then((image) => {
      if (image && state.article === article) renderLeadImage(article, image);
    }).catch(report);
    for (const item of document.querySelectorAll(`li[data-url="${CSS.escape(url)}"]`)) {
      item.classList.remove('unread');
      item.classList.add('read');
    }
  } catch (e) {
    state.article = { url };
    renderArticleError(errorText(e));
  } finally {
    $('view-reader').setAttribute('aria-busy', 'false');
  }
}

/** An indicator's own view; `at` names the alert whose move is highlighted. */
async function openIndicator(symbol, at = null, { quiet = false } = {}) {
  state.indicator = { symbol, at };
  if (!quiet) {
    show('indicator');
    $('indicator-symbol').textContent = symbol;
  }
  const related = $('indicator-related');
  await withListState(related, async () => {
    const detail = await call('indicator', { symbol });
    if (state.indicator?.symbol !== symbol) return detail.related.length;
    renderIndicator(detail, at, openArticle);
    return detail.related.length;
  }, errorText, null);
  if (!quiet) $('indicator-back').focus({ preventScroll: true });
}

// Rust opens kontan links at once and asks the user itself, in a native dialog, about any other.
async function openExternal(url) {
  try {
    await call('open_external', { url });
  } catch (e) {
    $('status').textContent = errorText(e);
  }
}

/** An alert about the news (a story, or a summary of several) rather than an indicator. */
const isWordAlert = (a) => a.rule === meta.word_rules.word || a.rule === meta.word_rules.summary;

async function loadAlerts() {
  for (const b of document.querySelectorAll('#view-alerts [data-filter]')) {
    b.setAttribute('aria-pressed', String(b.dataset.filter === state.alertFilter));
  }
  await withListState($('alerts'), async () => {
    // Opening the inbox sees every alert in it: the count on the tab goes.
    const all = await call('alerts_inbox', { limit: 200 });
    updateAlertCount();
    const wanted = { all: () => true, market: (a) => !isWordAlert(a), words: isWordAlert }[state.alertFilter];
    const alerts = all.filter(wanted);
    renderAlerts($('alerts'), alerts, (a) => {
      if (isWordAlert(a)) {
        // One story opens in the reader; a summary shows the stories it gathered.
        if (a.rule === meta.word_rules.word && a.urls?.length) openArticle(a.urls[0]);
        else { state.alertFilter = 'words'; loadAlerts(); }
        return;
      }
      if (a.symbol === '*') return;
      openIndicator(a.symbol, a.at);
    });
    return alerts.length;
  }, errorText, t('alerts.none'));
}

/** The count on the inbox tab: shown alerts not yet seen, from the cache (so a popup opened
 * after an alert shows it). */
async function updateAlertCount() {
  const unseen = await call('alerts_unseen').catch((e) => { report(e); return 0; });
  state.unseenAlerts = state.view === 'alerts' ? 0 : unseen;
  const badge = $('alert-count');
  badge.hidden = state.unseenAlerts === 0;
  badge.textContent = String(state.unseenAlerts);
}

async function loadSettings() {
  const form = $('settings');
  const box = $('settings-error');
  box.hidden = true;
  form.setAttribute('aria-busy', 'true');
  try {
    state.settings = await call('get_settings');
    fillSettings(form, state.settings, previewWords);
    fillAbout();
    refreshUpdates(call, report);
  } catch (e) {
    box.hidden = false;
    box.textContent = errorText(e);
  } finally {
    form.setAttribute('aria-busy', 'false');
  }
}

/** Which of today's cached headlines each word would have matched (Rust matches). */
const previewWords = (words) => call('word_preview', { words });

/** The About section: version, where the data comes from, the license. */
function fillAbout() {
  const { about } = meta;
  $('about-version').textContent = about.version;
  $('about-kontan').textContent = about.kontan;
  $('about-fallback').textContent = about.fallback;
  $('about-fallback-now').hidden = !state.fallbackInUse;
  $('about-license').textContent = about.license;
}

async function saveSettings(e) {
  e.preventDefault();
  const form = $('settings');
  $('settings-error').hidden = true;
  const next = readSettings(form, state.settings);
  if (!next) return;
  try {
    state.settings = await call('set_settings', { settings: next });
  } catch (err) {
    showSaveError(form, errorText(err), err?.params?.field);
    return;
  }
  applyAppearance(state.settings.app);
  fillSettings(form, state.settings, previewWords);
  refreshUpdates(call, report);
  $('settings-saved').hidden = false;
  setTimeout(() => { $('settings-saved').hidden = true; }, 2000);
  // Wording from the backend (the status line, the lists' ages) follows the language.
  loadMarket();
  loadHeadlines();
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
    const list = $('search-results');
    if (!query) {
      list.replaceChildren();
      listState(list, 'ready');
      return;
    }
    await withListState(list, async () => {
      const hits = await call('search', { query });
      renderHits(list, hits, openArticle);
      return hits.length;
    }, errorText, t('search.none'));
  }, 150);
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
      else if (event.alert.shown) updateAlertCount();
      break;
    default:
      break;
  }
}

/** Logs a failure nobody waits for (it reaches the app's log through `ui_error`). */
function report(e) {
  console.warn('pantau:', e?.kind ?? '', e?.message ?? e);
}

async function start() {
  reportUnhandled(call);
  try {
    await loadMeta();
  } catch (e) {
    $('status').textContent = errorText(e);
    return;
  }
  setStrings(meta.strings);
  setRules(meta);
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => show(tab.dataset.view));
  $('channel-filter').addEventListener('change', loadHeadlines);
  $('mark-all-read').addEventListener('click', markAllRead);
  $('search-input').addEventListener('input', search);
  $('reader-back').addEventListener('click', () => show(state.previous || 'news'));
  $('indicator-back').addEventListener('click', () => show(state.previous || 'market'));
  $('reader-open').addEventListener('click', () => state.article && openExternal(state.article.url));
  $('snooze').addEventListener('click', () => call('snooze_alerts', { minutes: 60 }).catch((e) => { $('status').textContent = errorText(e); }));
  $('refresh').addEventListener('click', () => call('refresh_now').catch((e) => { $('status').textContent = errorText(e); }));
  $('settings').addEventListener('submit', saveSettings);
  bindWordInput();
  for (const b of document.querySelectorAll('#view-alerts [data-filter]')) {
    b.addEventListener('click', () => { state.alertFilter = b.dataset.filter; loadAlerts(); });
  }
  bindKeys({
    view: () => state.view,
    previous: () => state.previous,
    articleUrl: () => state.article?.url,
    show,
    openArticle,
    openExternal,
    saveHeadline,
    hide: () => call('hide_popup').catch(report),
  });

  await on(meta.events.engine, onEngineEvent);
  await on(meta.events.navigate, navigate);
  await bindUpdates(call, on, meta.events, report);
  await bindTaskbar(call, on, meta.events, report);
  // Shown again after being hidden: what it shows is already on screen.
  await on(meta.events.shown, reportPainted);
  // Listening now: the view this popup was opened for (a notification, a tray headline).
  const opened = await call('popup_ready').catch((e) => { report(e); return null; });
  try {
    state.settings = await call('get_settings');
    applyAppearance(state.settings.app);
  } catch (e) {
    report(e);
    setLanguage('id');
  }
  refreshUpdates(call, report);
  // A tab chosen while the page was starting stays chosen.
  show(state.view);
  await Promise.all([loadMarket(), loadHeadlines(), updateAlertCount()]);
  reportPainted();
  if (opened) navigate(opened);
  // Ages ("5 mnt lalu") tick locally; data only changes when the backend says so.
  setInterval(() => refreshAges(document), 30000);
}

function navigate(nav) {
  if (nav.view === 'reader' && nav.url) openArticle(nav.url);
  else if (nav.view === 'indicator' && nav.symbol) openIndicator(nav.symbol, nav.at ?? null);
  else show(nav.view);
}

/** Tells the backend what the popup shows once it is painted (it times opens). */
function reportPainted() {
  requestAnimationFrame(() => {
    call('popup_painted', { indicators: document.querySelectorAll('#market .reading').length }).catch(report);
  });
}

start();
