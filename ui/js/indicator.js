// One indicator's own view: its value and move, today's sparkline with an alert's move ringed,
// today's alerts for it, and the newest headlines about it.

import * as fmt from './format.js';
import { el, sparkline, rove } from './dom.js';
import { t } from './i18n.js';
import { direction, moveText } from './market.js';
import { renderHeadlines } from './news.js';

const $ = (id) => document.getElementById(id);

/** The index of the point nearest to `at` (an ISO time), or null. */
function nearestPoint(points, at) {
  if (!at || !points.length) return null;
  const target = Date.parse(at);
  let best = 0;
  for (let i = 1; i < points.length; i += 1) {
    if (Math.abs(Date.parse(points[i].at) - target) < Math.abs(Date.parse(points[best].at) - target)) best = i;
  }
  return best;
}

/** Draws the view from the backend's `indicator` answer; `highlightAt` names the alert whose
 * move is ringed; `onOpenArticle(url)` opens a related headline. */
export function renderIndicator(detail, highlightAt, onOpenArticle) {
  const r = detail.reading;
  $('indicator-symbol').textContent = detail.symbol;
  const head = $('indicator-head');
  head.className = `indicator-head ${r ? direction(r.change) : 'flat'}`;
  $('indicator-value').textContent = r ? fmt.value(r.value) : '–';
  $('indicator-move').textContent = r ? moveText(r) : t('status.nodata');
  const age = $('indicator-age');
  age.textContent = r ? fmt.ago(r.observed_at) : '';
  if (r) age.dataset.time = r.observed_at;
  else delete age.dataset.time;
  $('indicator-stale').hidden = !r?.stale;

  const values = detail.points.map((p) => p.value);
  const mark = nearestPoint(detail.points, highlightAt);
  const chart = sparkline(values, { width: 300, height: 80, mark });
  chart.classList.add('wide');
  $('indicator-chart').replaceChildren(chart);
  $('indicator-chart-empty').hidden = values.length >= 2;
  $('indicator-range').textContent = values.length >= 2
    ? t('indicator.range', { low: fmt.value(Math.min(...values)), high: fmt.value(Math.max(...values)) })
    : '';

  const list = $('indicator-alerts');
  list.replaceChildren();
  // The alert asked for: the one fired at that moment (the cache keeps milliseconds).
  const highlighted = highlightAt ? Date.parse(highlightAt) : NaN;
  for (const a of detail.alerts) {
    const isIt = Math.abs(Date.parse(a.at) - highlighted) < 1000;
    const item = el('li', isIt ? 'highlight' : '');
    item.dataset.at = a.at;
    const when = el('time', 'when', fmt.clockWib(a.at));
    when.dateTime = a.at;
    item.append(when, el('span', 'title', a.title), el('span', 'body', a.body));
    if (isIt) item.setAttribute('aria-current', 'true');
    list.append(item);
  }
  rove(list);
  $('indicator-alerts-empty').hidden = detail.alerts.length > 0;

  // Recent news only (the engine's window, `related_days`), newest first, or a line saying none.
  const recent = { topic: detail.topic, n: String(detail.related_days) };
  $('indicator-related-title').textContent = t('indicator.related', recent);
  renderHeadlines($('indicator-related'), detail.related, onOpenArticle);
  const empty = $('indicator-related-empty');
  empty.textContent = t('indicator.no_related', recent);
  empty.hidden = detail.related.length > 0;
}
