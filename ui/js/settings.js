// The settings form: reads and writes {app, alerts} as the backend keeps them. The watchlist is
// picked from the known symbols and ordered; every watchlist indicator has its alert rules; a
// value that cannot be used is said next to its field and nothing is saved.

import { meta } from './api.js';
import { el } from './dom.js';
import { decimal, parseDecimal } from './format.js';
import { t } from './i18n.js';
import { fillWords, readWords } from './words.js';

const $ = (id) => document.getElementById(id);

/** Limits the rule fields accept (the UI says them; the engine would take any positive value). */
export const LIMITS = {
  step: [0.05, 20],
  fast: [0.05, 20],
  window: [5, 720],
};

/** Parses "17.000, 16.500,5" (Indonesian) or "17000; 16500.5" into numbers; `bad` collects what
 * is not a number. */
export function parseLevels(text, bad = []) {
  return text
    .split(/[;\s]+|,\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const n = Number(s.includes(',') || /\.\d{3}$/.test(s) ? s.replace(/\./g, '').replace(',', '.') : s);
      if (!Number.isFinite(n) || n <= 0) bad.push(s);
      return n;
    })
    .filter((n) => Number.isFinite(n) && n > 0);
}

const levelFormat = () => new Intl.NumberFormat('id-ID', { maximumFractionDigits: 4 });

let watchlist = [];
let rules = {};

/** "HH:MM:SS" as the time field shows it. */
const hhmm = (time) => (time ?? '').slice(0, 5);

/** Fills the form; `previewWords(words)` says what each word matched today. */
export function fillSettings(form, view, previewWords) {
  const { app, alerts } = view;
  watchlist = [...app.watchlist];
  rules = structuredClone(alerts.symbols);
  form.notifications.checked = app.notifications;
  form.market_alerts.checked = alerts.enabled !== false;
  form.word_alerts.checked = alerts.word_alerts !== false;
  fillWords(alerts.words ?? [], previewWords);
  const quiet = alerts.quiet_hours;
  form.quiet.checked = Boolean(quiet);
  form.quiet_from.value = hhmm(quiet?.[0]) || '22:00';
  form.quiet_to.value = hhmm(quiet?.[1]) || '06:00';
  form.rupiah_through_quiet.checked = Boolean(alerts.rupiah_through_quiet);
  [form.bar_interval.min, form.bar_interval.max] = meta.intervals.bar_secs;
  [form.list_interval.min, form.list_interval.max] = meta.intervals.list_secs;
  form.bar_interval.value = app.bar_interval_secs;
  form.list_interval.value = app.list_interval_secs;
  form.language.value = app.language;
  form.theme.value = app.theme;
  form.start_at_login.checked = app.start_at_login;
  form.keep_popup_ready.checked = app.keep_popup_ready;
  form.hide_on_blur.checked = app.hide_on_blur;
  form.check_updates.checked = app.check_updates;
  form.tray_display.value = app.tray_display;
  $('no-tray-note').hidden = view.tray_host !== false;
  form.global_shortcut.value = app.global_shortcut ?? '';
  const note = $('shortcut-note');
  note.textContent = view.shortcut?.available === false
    ? t('settings.shortcut_unavailable', { reason: view.shortcut.reason ?? '' })
    : t('settings.shortcut_note');
  note.classList.toggle('field-error', view.shortcut?.available === false);
  form.global_shortcut.disabled = view.shortcut?.available === false;
  const box = $('channel-choices');
  box.replaceChildren();
  for (const c of [...new Set([...meta.channels, ...app.channels])]) {
    const label = el('label');
    const input = el('input');
    input.type = 'checkbox';
    input.name = 'channel';
    input.value = c;
    input.checked = app.channels.includes(c);
    label.append(input, el('span', null, c));
    box.append(label);
  }
  for (const node of form.querySelectorAll('.field-error[id$="-error"]')) node.hidden = true;
  drawWatchlist(form);
}

function move(i, step, form) {
  const j = i + step;
  if (j < 0 || j >= watchlist.length) return;
  [watchlist[i], watchlist[j]] = [watchlist[j], watchlist[i]];
  drawWatchlist(form, watchlist[j], step < 0 ? 'up' : 'down');
}

/** Draws the ordered watchlist, the "add" picker and one rule editor per entry. */
function drawWatchlist(form, focusSymbol = null, focusWhich = null) {
  saveRuleFields(form);
  const list = $('watchlist');
  list.replaceChildren();
  watchlist.forEach((symbol, i) => {
    const item = el('li');
    item.dataset.symbol = symbol;
    const button = (cls, text, label, action, disabled) => {
      const b = el('button', `icon-button ${cls}`, text);
      b.type = 'button';
      b.setAttribute('aria-label', label);
      b.title = label;
      b.disabled = disabled;
      b.addEventListener('click', action);
      return b;
    };
    item.append(
      el('span', 'symbol', symbol),
      button('up', '↑', t('settings.move_up', { symbol }), () => move(i, -1, form), i === 0),
      button('down', '↓', t('settings.move_down', { symbol }), () => move(i, 1, form), i === watchlist.length - 1),
      button('remove', '✕', t('settings.remove', { symbol }), () => {
        watchlist.splice(i, 1);
        drawWatchlist(form);
      }, watchlist.length === 1),
    );
    list.append(item);
  });
  if (focusSymbol) {
    const target = list.querySelector(`li[data-symbol="${CSS.escape(focusSymbol)}"] button.${focusWhich}`);
    (target && !target.disabled ? target : list.querySelector(`li[data-symbol="${CSS.escape(focusSymbol)}"] button:not(:disabled)`))?.focus();
  }
  const add = $('watchlist-add');
  add.replaceChildren(el('option', null, t('settings.watchlist_pick')));
  add.firstChild.value = '';
  for (const symbol of meta.symbols.filter((s) => !watchlist.includes(s))) {
    const option = el('option', null, symbol);
    option.value = symbol;
    add.append(option);
  }
  add.disabled = add.options.length === 1;
  add.onchange = () => {
    if (!add.value) return;
    watchlist.push(add.value);
    drawWatchlist(form);
    add.focus();
  };
  drawRules(form);
}

/** One rule editor per watchlist indicator. */
function drawRules(form) {
  const box = $('rules');
  box.replaceChildren();
  for (const symbol of watchlist) {
    const r = rules[symbol];
    const key = symbol.replace(/[^A-Za-z0-9]/g, '_');
    const group = el('fieldset', 'rule');
    group.dataset.symbol = symbol;
    const legend = el('legend');
    const on = el('input');
    on.type = 'checkbox';
    on.name = `rule-on-${key}`;
    on.checked = Boolean(r);
    on.setAttribute('aria-label', t('settings.rule_on', { symbol }));
    legend.append(on, el('span', null, ` ${t('settings.rule_for', { symbol })}`));
    group.append(legend);
    const field = (name, labelKey, value, attrs) => {
      const id = `${name}-${key}`;
      const label = el('label');
      const input = el('input');
      input.name = name;
      input.id = id;
      Object.assign(input, attrs);
      input.value = value ?? '';
      input.setAttribute('aria-describedby', `${id}-error`);
      label.append(el('span', null, t(labelKey)), input);
      const error = el('p', 'field-error');
      error.id = `${id}-error`;
      error.setAttribute('role', 'alert');
      error.hidden = true;
      group.append(label, error);
      return input;
    };
    // Percents are written the language's way ("0,5" in Indonesian); either mark is understood.
    const percent = { type: 'text', inputMode: 'decimal', autocomplete: 'off' };
    field('day_step', 'settings.day_step', decimal(r?.day_move?.step_pct), percent);
    field('fast_threshold', 'settings.fast', decimal(r?.fast_move?.threshold_pct), percent);
    field('fast_window', 'settings.window', r?.fast_move?.window_minutes, { type: 'number', step: '5' });
    field('levels', 'settings.levels', (r?.levels ?? []).map((l) => levelFormat().format(l)).join('; '), { type: 'text', placeholder: '17.000; 16.500' });
    const sync = () => {
      for (const input of group.querySelectorAll('label input')) input.disabled = !on.checked;
    };
    on.addEventListener('change', () => {
      if (on.checked && !rules[symbol]) {
        rules[symbol] = structuredClone(meta.default_rules);
        drawRules(form);
        return;
      }
      sync();
    });
    sync();
    box.append(group);
  }
}

/** Keeps what was typed in the rule fields when the list is redrawn. */
function saveRuleFields(form) {
  for (const group of form.querySelectorAll('#rules fieldset.rule')) {
    const symbol = group.dataset.symbol;
    const on = group.querySelector('legend input');
    if (!on.checked) {
      delete rules[symbol];
      continue;
    }
    const read = readRule(group, rules[symbol], []);
    if (read) rules[symbol] = read;
  }
}

function showError(input, message) {
  const box = document.getElementById(`${input.id || input.name}-error`);
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  if (!box) return;
  box.hidden = !message;
  box.textContent = message ?? '';
}

function checkNumber(input, [min, max], errors, { optional = true } = {}) {
  const text = input.value.trim();
  if (!text) {
    showError(input, optional ? null : t('settings.required'));
    if (!optional) errors.push(input);
    return null;
  }
  const n = parseDecimal(text);
  if (!Number.isFinite(n) || n < min || n > max) {
    showError(input, t('settings.range', { min: decimal(min), max: decimal(max) }));
    errors.push(input);
    return null;
  }
  showError(input, null);
  return n;
}

/** Reads one rule editor; invalid fields are marked and pushed to `errors`. */
function readRule(group, previous, errors) {
  const get = (name) => group.querySelector(`input[name=${name}]`);
  const step = checkNumber(get('day_step'), LIMITS.step, errors);
  const fast = checkNumber(get('fast_threshold'), LIMITS.fast, errors);
  const windowInput = get('fast_window');
  const window = checkNumber(windowInput, LIMITS.window, errors, { optional: fast === null });
  const bad = [];
  const levels = parseLevels(get('levels').value, bad);
  showError(get('levels'), bad.length ? t('settings.bad_levels', { values: bad.join(', ') }) : null);
  if (bad.length) errors.push(get('levels'));
  return {
    rearm_pct: previous?.rearm_pct ?? meta.default_rules.rearm_pct,
    day_move: step ? { step_pct: step } : null,
    fast_move: fast && window ? { threshold_pct: fast, window_minutes: Math.round(window) } : null,
    levels,
  };
}

/** Reads the form back into {app, alerts}, keeping what the form does not show; null (with the
 * messages shown next to their fields and the first one focused) when a value cannot be used. */
export function readSettings(form, previous) {
  const errors = [];
  const app = { ...previous.app };
  const alerts = structuredClone(previous.alerts);
  app.watchlist = [...watchlist];
  const listError = $('watchlist-error');
  listError.hidden = watchlist.length > 0;
  listError.textContent = watchlist.length ? '' : t('settings.watchlist_empty');
  if (!watchlist.length) errors.push($('watchlist-add'));
  app.notifications = form.notifications.checked;
  alerts.enabled = form.market_alerts.checked;
  alerts.word_alerts = form.word_alerts.checked;
  alerts.words = readWords();
  alerts.rupiah_through_quiet = form.rupiah_through_quiet.checked;
  showError(form.quiet_to, null);
  if (form.quiet.checked) {
    const [from, to] = [form.quiet_from.value, form.quiet_to.value];
    if (!from || !to || from === to) {
      showError(form.quiet_to, t('settings.quiet_invalid'));
      errors.push(form.quiet_to);
    } else {
      alerts.quiet_hours = [`${from}:00`, `${to}:00`];
    }
  } else {
    alerts.quiet_hours = null;
  }
  const bar = checkNumber(form.bar_interval, meta.intervals.bar_secs, errors, { optional: false });
  const list = checkNumber(form.list_interval, meta.intervals.list_secs, errors, { optional: false });
  app.bar_interval_secs = bar ?? previous.app.bar_interval_secs;
  app.list_interval_secs = list ?? previous.app.list_interval_secs;
  app.language = form.language.value;
  app.theme = form.theme.value;
  app.start_at_login = form.start_at_login.checked;
  app.keep_popup_ready = form.keep_popup_ready.checked;
  app.hide_on_blur = form.hide_on_blur.checked;
  app.check_updates = form.check_updates.checked;
  app.tray_display = form.tray_display.value;
  app.global_shortcut = form.global_shortcut.value.trim() || null;
  app.channels = [...form.querySelectorAll('input[name=channel]:checked')].map((i) => i.value);
  // Rules follow the watchlist: an indicator taken off it stops alerting (what is not shown
  // here does not notify).
  for (const symbol of Object.keys(alerts.symbols)) if (!watchlist.includes(symbol)) delete alerts.symbols[symbol];
  for (const group of form.querySelectorAll('#rules fieldset.rule')) {
    const symbol = group.dataset.symbol;
    if (!group.querySelector('legend input').checked) {
      delete alerts.symbols[symbol];
      continue;
    }
    alerts.symbols[symbol] = readRule(group, previous.alerts.symbols[symbol], errors);
  }
  if (errors.length) {
    errors[0].focus();
    return null;
  }
  return { app, alerts };
}

/** Shows a backend refusal next to its field (`params.field`), or by the save button. */
export function showSaveError(form, text, field) {
  const input = field ? form.querySelector(`[name="${CSS.escape(field)}"]`) : null;
  if (input) {
    showError(input, text);
    input.focus();
    return;
  }
  const box = $('settings-error');
  box.hidden = false;
  box.textContent = text;
}
