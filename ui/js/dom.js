// Building DOM from data: text goes in through textContent only, never as markup.

import { t } from './i18n.js';

/** An element with a class and text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A small SVG line of values (today's readings); decoration only, so screen readers skip it.
 * With `mark` (an index into `values`), that point is ringed: the move an alert was about. */
export function sparkline(values, { width = 60, height = 26, mark = null } = {}) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  if (!values || values.length < 2) return svg;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  // Room at the ends for the ring around a marked point.
  const pad = mark === null ? 0 : 4;
  const x = (i) => pad + (i / (values.length - 1)) * (width - 2 * pad);
  const y = (v) => height - 2 - ((v - min) / span) * (height - 4);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', values.map((v, i) => `${x(i)},${y(v)}`).join(' '));
  svg.append(line);
  if (mark !== null && mark >= 0 && mark < values.length) {
    const rule = document.createElementNS(SVG, 'line');
    rule.setAttribute('class', 'mark-rule');
    rule.setAttribute('x1', x(mark));
    rule.setAttribute('x2', x(mark));
    rule.setAttribute('y1', 0);
    rule.setAttribute('y2', height);
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('class', 'mark');
    dot.setAttribute('cx', x(mark));
    dot.setAttribute('cy', y(values[mark]));
    dot.setAttribute('r', 3);
    svg.append(rule, dot);
  }
  return svg;
}

/** Shows a list's state under it: 'loading', 'empty' (with `text`), 'error' (with `text`), or
 * nothing ('ready'); an empty or error state gets a button when `retry` is given (labelled
 * `retryLabel`, "Coba lagi" by default). The list keeps what it showed: the last good data stays
 * on screen under an error. */
export function listState(list, state, { text = '', retry = null, retryLabel = t('state.retry') } = {}) {
  let box = list.nextElementSibling;
  if (!box?.classList.contains('list-state')) {
    box = el('div', 'list-state');
    box.setAttribute('role', 'status');
    list.after(box);
  }
  list.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
  box.dataset.state = state;
  box.hidden = state === 'ready';
  box.replaceChildren();
  if (state === 'loading') box.append(el('span', 'spinner', t('state.loading')));
  if (state === 'empty') box.append(el('span', 'empty-text', text));
  if (state === 'error') box.append(el('span', 'error-text', text));
  if (retry && (state === 'empty' || state === 'error')) {
    const again = el('button', 'retry', retryLabel);
    again.type = 'button';
    again.addEventListener('click', retry);
    box.append(again);
  }
}

/** Runs `load` for `list` with its loading and error states: loading shows only when the list is
 * empty (a refresh keeps what is on screen), an error keeps the list and offers a retry. `empty`
 * is the empty state's text; `onEmpty` ({label, action}) adds a button to it. */
export async function withListState(list, load, errorText, empty, onEmpty = null) {
  if (!list.children.length) listState(list, 'loading');
  try {
    const count = await load();
    if (count === 0 && empty) {
      listState(list, 'empty', { text: empty, retry: onEmpty?.action, retryLabel: onEmpty?.label });
    } else {
      listState(list, 'ready');
    }
  } catch (e) {
    listState(list, 'error', { text: errorText(e), retry: () => withListState(list, load, errorText, empty, onEmpty) });
  }
}

/** Keeps one item of `list` in the tab order (the selected one, else the first), so Tab reaches
 * the list once and the arrow keys move within it. */
export function rove(list) {
  const items = [...list.children];
  const current = items.find((i) => i.classList.contains('selected')) ?? items[0];
  for (const i of items) i.tabIndex = i === current ? 0 : -1;
}
