// The status line: "Diperbarui 08:21 WIB", "Offline · data 12 mnt lalu",
// "Tata letak kontan berubah · memakai sumber cadangan".

import { meta } from './api.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { errorText } from './errors.js';

/** Writes the status line from the market answer; a damaged or unwritable cache is said first. */
export function renderStatus(node, market) {
  node.classList.remove('offline', 'layout', 'cache');
  writeStatus(node, market);
  const notice = market.cache_notice;
  if (notice) {
    node.textContent = `${t(`status.cache_${notice.kind}`)} · ${node.textContent}`;
    // The tooltip names the file the damaged cache was kept as.
    node.title = notice.message;
    node.classList.add('cache');
  }
}

function writeStatus(node, market) {
  const bar = market.sources.find((s) => s.source === meta.sources.bar);
  const newest = market.readings.reduce((max, r) => Math.max(max, Date.parse(r.observed_at)), 0);
  const barError = bar?.error_kind ? errorText({ kind: bar.error_kind, message: bar.error_message }) : '';
  if (!market.readings.length) {
    node.textContent = barError ? `${t('status.nodata')} · ${barError}` : t('status.nodata');
    node.title = barError;
    if (barError) node.classList.add('offline');
    return;
  }
  const age = fmt.ago(newest);
  if (bar && bar.failures > 0) {
    if (meta.layout_error_kinds.includes(bar.error_kind)) {
      const fallback = market.readings.some((r) => r.source !== meta.sources.kontan_readings && !r.stale);
      node.textContent = fallback ? t('status.layout') : t('status.layout_nofallback', { age });
      node.classList.add('layout');
    } else {
      node.textContent = t('status.offline', { age });
      node.classList.add('offline');
    }
    node.title = barError;
    return;
  }
  node.title = '';
  const state = marketState(market.market_state);
  node.textContent = t('status.updated', { time: fmt.clockWib(newest) }) + (state ? ` · ${state}` : '');
}

/** "Bursa libur: Hari Suci Nyepi …", "jeda siang, buka 13.30 WIB", "pasar tutup"; nothing when open. */
function marketState(state) {
  if (!state || state.state === 'open') return '';
  if (state.state === 'holiday') return t('status.holiday', { name: state.name });
  if (state.state === 'break') {
    return state.opens ? t('status.break_until', { time: fmt.clockWib(Date.parse(state.opens)) }) : t('status.break');
  }
  return t('status.closed');
}
