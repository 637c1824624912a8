// Interface wording: Bahasa Indonesia by default, English when chosen.

// The phrases live in ui/strings.json, shared with the tray (Rust reads the same file) and
// handed over by the backend's `meta`; Indonesian phrases not in it are the page's own text.
let en = {};
let id = {};

/** Takes the phrase tables ({en, id}) the backend sent. */
export function setStrings(tables) {
  en = tables?.en ?? {};
  id = tables?.id ?? {};
}

let language = 'id';
const original = new Map();

/** A phrase with {placeholders} filled in. */
export function t(key, vars = {}) {
  const table = language === 'en' ? en : id;
  let text = table[key] ?? original.get(key) ?? key;
  // split/join, not String.replace: a value is put in literally ($&, $` and $' stay as they are).
  for (const [k, v] of Object.entries(vars)) text = text.split(`{${k}}`).join(String(v));
  return text;
}

/** Whether a phrase exists for `key` in the current language (or in Indonesian). */
export function has(key) {
  const table = language === 'en' ? en : id;
  return key in table || key in id || original.has(key);
}

/** The language in use: 'id' or 'en'. */
export function currentLanguage() {
  return language;
}

/** Applies a language to every marked element of the page. */
export function setLanguage(lang) {
  language = lang === 'en' ? 'en' : 'id';
  document.documentElement.lang = language;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    const key = el.dataset.i18n;
    if (!original.has(key)) original.set(key, el.textContent);
    el.textContent = language === 'en' ? (en[key] ?? original.get(key)) : original.get(key);
  }
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) {
    const key = el.dataset.i18nPlaceholder;
    if (!original.has(key)) original.set(key, el.placeholder);
    el.placeholder = language === 'en' ? (en[key] ?? original.get(key)) : original.get(key);
  }
  for (const el of document.querySelectorAll('[data-i18n-title]')) {
    const key = el.dataset.i18nTitle;
    if (!original.has(key)) original.set(key, el.title);
    el.title = language === 'en' ? (en[key] ?? original.get(key)) : original.get(key);
  }
  for (const el of document.querySelectorAll('[data-i18n-label]')) {
    const key = el.dataset.i18nLabel;
    if (!original.has(key)) original.set(key, el.getAttribute('aria-label'));
    el.setAttribute('aria-label', language === 'en' ? (en[key] ?? original.get(key)) : original.get(key));
  }
}
