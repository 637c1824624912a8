// The settings form: reads and writes {app, alerts} as the backend keeps them.

import { meta } from './api.js';
import { el } from './dom.js';

function parseNumbers(text) {
  return text
    .split(/[;,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => Number(s.includes(',') || /\.\d{3}$/.test(s) ? s.replace(/\./g, '').replace(',', '.') : s))
    .filter((n) => Number.isFinite(n) && n > 0);
}

/** Fills the form. */
export function fillSettings(form, view) {
  const { app, alerts } = view;
  const usd = alerts.symbols['USD/IDR'] ?? {};
  form.watchlist.value = app.watchlist.join(', ');
  form.notifications.checked = app.notifications && alerts.enabled !== false;
  form.day_step.value = usd.day_move?.step_pct ?? '';
  form.fast_threshold.value = usd.fast_move?.threshold_pct ?? '';
  form.fast_window.value = usd.fast_move?.window_minutes ?? '';
  form.levels.value = (usd.levels ?? []).map((l) => new Intl.NumberFormat('id-ID').format(l)).join(', ');
  form.bar_interval.min = meta.floors.bar_secs;
  form.list_interval.min = meta.floors.list_secs;
  form.bar_interval.value = app.bar_interval_secs;
  form.list_interval.value = app.list_interval_secs;
  form.language.value = app.language;
  form.theme.value = app.theme;
  form.start_at_login.checked = app.start_at_login;
  form.keep_popup_ready.checked = app.keep_popup_ready;
  form.hide_on_blur.checked = app.hide_on_blur;
  form.tray_display.value = app.tray_display;
  const box = document.getElementById('channel-choices');
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
}

/** Reads the form back into {app, alerts}, keeping what the form does not show. */
export function readSettings(form, previous) {
  const app = { ...previous.app };
  const alerts = structuredClone(previous.alerts);
  app.watchlist = form.watchlist.value.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  app.notifications = form.notifications.checked;
  app.bar_interval_secs = Math.max(meta.floors.bar_secs, Number(form.bar_interval.value) || previous.app.bar_interval_secs);
  app.list_interval_secs = Math.max(meta.floors.list_secs, Number(form.list_interval.value) || previous.app.list_interval_secs);
  app.language = form.language.value;
  app.theme = form.theme.value;
  app.start_at_login = form.start_at_login.checked;
  app.keep_popup_ready = form.keep_popup_ready.checked;
  app.hide_on_blur = form.hide_on_blur.checked;
  app.tray_display = form.tray_display.value;
  app.channels = [...form.querySelectorAll('input[name=channel]:checked')].map((i) => i.value);
  const usd = alerts.symbols['USD/IDR'] ?? { levels: [], rearm_pct: 0.1 };
  const step = Number(form.day_step.value);
  usd.day_move = step > 0 ? { step_pct: step } : null;
  const fast = Number(form.fast_threshold.value);
  const window = Number(form.fast_window.value);
  usd.fast_move = fast > 0 && window > 0 ? { threshold_pct: fast, window_minutes: Math.round(window) } : null;
  usd.levels = parseNumbers(form.levels.value);
  alerts.symbols['USD/IDR'] = usd;
  return { app, alerts };
}
