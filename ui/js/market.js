// The market strip: every indicator, its move, today's sparkline, age, stale badge and source.

import { meta as backend } from './api.js';
import * as fmt from './format.js';
import { el, rove, sparkline } from './dom.js';
import { t } from './i18n.js';

/** "▲ 79,00 (0,47%)". */
export function moveText(r) {
  return `${fmt.arrow(r.change)} ${fmt.change(r.change)} (${fmt.percent(r.change_pct)})`;
}

/** 'up', 'down' or 'flat'. */
export function direction(change) {
  return change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
}

/** Draws the market strip from the backend's `market` answer; `onOpen(symbol)` opens an
 * indicator's own view. */
export function renderMarket(list, market, onOpen) {
  const selected = list.querySelector('li.selected')?.dataset.symbol;
  list.replaceChildren();
  for (const r of market.readings) {
    const row = el('li', `reading ${direction(r.change)}${r.stale ? ' stale' : ''}`);
    row.dataset.symbol = r.symbol;
    if (r.symbol === selected) row.classList.add('selected');
    const symbol = el('span', 'symbol', r.symbol);
    const value = el('span', 'value', fmt.value(r.value));
    const move = el('span', 'move', moveText(r));
    const meta = el('span', 'meta');
    const age = el('span', 'age', fmt.ago(r.observed_at));
    age.dataset.time = r.observed_at;
    meta.append(age);
    if (r.stale) meta.append(el('span', 'badge stale-badge', t('market.stale')));
    if (r.source !== backend.sources.kontan_readings) meta.append(el('span', 'badge source-badge', t('market.source', { source: r.source })));
    row.append(symbol, value, sparkline(market.sparklines[r.symbol]), meta, move);
    if (onOpen) row.addEventListener('click', () => onOpen(r.symbol));
    list.append(row);
  }
  rove(list);
}

/** Re-writes every "n mnt lalu" without asking the backend. */
export function refreshAges(root) {
  for (const node of root.querySelectorAll('[data-time]')) node.textContent = fmt.ago(node.dataset.time);
}
