// Numbers and times the Indonesian way (or English when chosen).

import { t as phrase } from './i18n.js';

let locale = 'id-ID';
const cache = new Map();
// Rust's rules for ages and decimals (`meta.ages`, `meta.numbers`), given once at start.
let ages = {};
let numbers = {};

/** Takes the backend's rules for ages and decimals (from `meta`). */
export function setRules(meta) {
  ages = meta.ages;
  numbers = meta.numbers;
}

/** Switches number and time wording between Indonesian and English. */
export function setLocale(language) {
  locale = language === 'en' ? 'en-US' : 'id-ID';
  cache.clear();
}

function formatter(decimals) {
  const key = `${locale}:${decimals}`;
  if (!cache.has(key)) {
    cache.set(key, new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }));
  }
  return cache.get(key);
}

/** "16.689", "79,00", "1.965.000". */
export function number(value, decimals) {
  return formatter(decimals).format(value);
}

/** Value with the bar's precision: whole numbers without decimals. */
export function value(v) {
  return number(v, Number.isInteger(v) ? 0 : 2);
}

/** "+79,00" / "-1.000". */
export function change(v) {
  const decimals = Number.isInteger(v) && Math.abs(v) >= numbers.whole_change_from ? 0 : 2;
  return (v > 0 ? '+' : '') + number(v, decimals);
}

/** "0,47%" (no sign; the arrow carries it). */
export function percent(v) {
  return number(Math.abs(v), 2) + '%';
}

/** A setting's decimal as the language writes it, no more decimals than it has: "0,5" in
 * Indonesian, "0.5" in English; '' for none. */
export function decimal(v) {
  if (v === null || v === undefined || !Number.isFinite(Number(v))) return '';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 4, useGrouping: false }).format(v);
}

/** Reads a decimal typed in either language: "0,5", "0.5", "1.000,5", "1,000.5"; NaN when it is
 * not one number. */
export function parseDecimal(text) {
  let s = String(text).trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!/^[+-]?[\d.,]*\d[\d.,]*$/.test(s)) return NaN;
  const comma = s.lastIndexOf(',');
  const dot = s.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) {
    // Both: the later one is the decimal mark, the other groups thousands.
    const [group, mark] = comma > dot ? ['.', ','] : [',', '.'];
    s = s.split(group).join('').replace(mark, '.');
  } else if (comma >= 0) {
    s = s.replace(',', '.');
  }
  return (s.match(/\./g) ?? []).length > 1 ? NaN : Number(s);
}

/** "▲", "▼" or "=". */
export function arrow(v) {
  return v > 0 ? '▲' : v < 0 ? '▼' : '=';
}

/** "baru saja", "5 mnt lalu", "3 jam lalu", "2 hari lalu" (the phrases are in ui/strings.json). */
export function ago(iso, now = Date.now()) {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const minutes = Math.max(0, Math.floor((now - t) / 60000));
  if (minutes < 1) return phrase('age.now');
  if (minutes < ages.hours_from_minutes) return phrase('age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < ages.days_from_hours) return phrase('age.hours', { n: hours });
  return phrase('age.days', { n: Math.floor(hours / 24) });
}

/** "08:21 WIB" for a time, shown in Jakarta time whatever the machine's zone. */
export function clockWib(iso) {
  const t = typeof iso === 'number' ? new Date(iso) : new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  const hm = new Intl.DateTimeFormat('id-ID', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Jakarta' }).format(t);
  return `${hm.replace('.', ':')} WIB`;
}

/** "Selasa, 29 April 2025 · 08:20 WIB". */
export function dateWib(iso) {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  const day = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' }).format(t);
  return `${day} · ${clockWib(iso)}`;
}
