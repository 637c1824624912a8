// Interface wording: Bahasa Indonesia by default, English when chosen.

const en = {
  'tab.market': 'Market', 'tab.news': 'News', 'tab.search': 'Search', 'tab.alerts': 'Alerts', 'tab.settings': 'Settings',
  'news.latest': 'Latest news', 'news.all': 'All channels', 'news.keys': 'j/k select · Enter read · o open in browser · / search',
  'search.placeholder': 'Search news and articles…', 'search.none': 'Nothing in the cache matches.',
  'reader.back': '← Back', 'reader.browser': 'Open in browser', 'reader.related': 'Read also',
  'alerts.snooze': 'Mute for 1 hour', 'alerts.none': 'No alerts yet.', 'alerts.rupiah_news': 'Latest rupiah news',
  'settings.ticker': 'Ticker', 'settings.watchlist': 'Watchlist (in order)', 'settings.alerts': 'USD/IDR alerts',
  'settings.notifications': 'Desktop notifications', 'settings.day_step': 'Daily move step (%)', 'settings.fast': 'Fast move (%)',
  'settings.window': 'Fast move window (minutes)', 'settings.levels': 'Price levels (comma separated)', 'settings.refresh': 'Refresh',
  'settings.bar_interval': 'Indicators every (s)', 'settings.list_interval': 'Channels every (s)',
  'settings.app': 'App', 'settings.language': 'Language', 'settings.theme': 'Theme', 'theme.system': 'Follow system',
  'theme.light': 'Light', 'theme.dark': 'Dark', 'settings.autostart': 'Start at login', 'settings.save': 'Save', 'settings.saved': 'Saved',
  'confirm.no': 'Cancel', 'confirm.yes': 'Open',
  'status.loading': 'Loading…', 'status.updated': 'Updated {time}', 'status.offline': 'Offline · data {age}',
  'status.layout': 'kontan changed its layout · using the fallback source', 'status.layout_nofallback': 'kontan changed its layout · data {age}',
  'status.nodata': 'No data yet', 'status.closed': 'market closed', 'status.refresh': 'Refresh now',
  'status.cache_moved_aside': 'The cache was damaged · kept aside, started afresh', 'status.cache_in_memory': 'The cache cannot be saved · nothing is kept after exit',
  'market.stale': 'stale', 'market.source': 'source: {source}', 'confirm.leave': 'Open {host}? It is not a kontan address.',
  'reader.reporter': 'Reporter', 'reader.editor': 'Editor', 'reader.source': 'Source', 'reader.offline': 'Offline copy from {age}',
};

const id = {
  'status.loading': 'Memuat…', 'status.updated': 'Diperbarui {time}', 'status.offline': 'Offline · data {age}',
  'status.layout': 'Tata letak kontan berubah · memakai sumber cadangan', 'status.layout_nofallback': 'Tata letak kontan berubah · data {age}',
  'status.nodata': 'Belum ada data', 'status.closed': 'pasar tutup',
  'status.cache_moved_aside': 'Cache rusak · disimpan terpisah, mulai baru', 'status.cache_in_memory': 'Cache tidak bisa disimpan · tidak ada yang tersimpan setelah keluar',
  'market.stale': 'basi', 'market.source': 'sumber: {source}', 'confirm.leave': 'Buka {host}? Ini bukan alamat kontan.',
  'reader.reporter': 'Reporter', 'reader.editor': 'Editor', 'reader.source': 'Sumber', 'reader.offline': 'Salinan offline dari {age}',
};

let language = 'id';
const original = new Map();

/** A phrase with {placeholders} filled in. */
export function t(key, vars = {}) {
  const table = language === 'en' ? en : id;
  let text = table[key] ?? original.get(key) ?? key;
  for (const [k, v] of Object.entries(vars)) text = text.replace(`{${k}}`, v);
  return text;
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
}
