// Pantau's own updates, as the backend reports them (`update_status`, the update event): the
// settings' "Pembaruan Pantau" lines, About's line, and the banner when a newer version is out.
// Release notes are text from the network: they go in with `textContent` only.

import { t } from './i18n.js';
import { dateWib } from './format.js';

const $ = (id) => document.getElementById(id);
/** The version whose banner the user put away with "Nanti" (this page's life). */
let later = null;
let last = null;

/** One line for the last check, in the UI's language. */
export function statusLine(status) {
  if (!status.enabled) return t('update.off');
  if (status.checking) return t('update.checking');
  const result = status.last_result;
  if (!result || !status.last_check) return t('update.never');
  const time = dateWib(status.last_check);
  switch (result.result) {
    case 'up_to_date': return t('update.up_to_date', { time });
    case 'newer': return t('update.newer', { time, version: result.version });
    case 'failed': return t('update.failed', { time, reason: result.reason });
    default: return t('update.never');
  }
}

/** What the banner says of who installs the newer version. */
function installLine(status) {
  if (status.route === 'system') return t('update.by_system');
  if (status.route === 'installer') return status.ready ? t('update.by_installer') : '';
  return t('update.by_source');
}

/** Shows `status` everywhere it appears. */
export function renderUpdates(status) {
  last = status;
  const line = statusLine(status);
  $('update-status').textContent = line;
  $('about-updates').textContent = line;
  $('update-check-now').disabled = !status.enabled || status.checking;
  const banner = $('update-banner');
  const newer = status.newer;
  banner.hidden = !newer || newer.version === later;
  $('update-install').hidden = !(newer && status.ready);
  if (newer) {
    const title = status.ready ? 'update.ready_title' : 'update.available_title';
    $('update-banner-title').textContent = t(title, { version: newer.version });
    $('update-banner-body').textContent = installLine(status);
    $('update-banner-notes').textContent = newer.notes;
  }
}

/** Wires the settings' button, the banner's "Nanti" and the update event. */
export async function bindUpdates(call, on, events, report) {
  $('update-check-now').addEventListener('click', () => call('check_updates_now').catch(report));
  $('update-install').addEventListener('click', () => call('install_update').catch(report));
  $('update-later').addEventListener('click', () => {
    later = last?.newer?.version ?? null;
    $('update-banner').hidden = true;
  });
  await on(events.update, renderUpdates);
  await refreshUpdates(call, report);
}

/** Asks the backend for the status again (the language changed, the settings opened). */
export async function refreshUpdates(call, report) {
  try {
    renderUpdates(await call('update_status'));
  } catch (e) {
    report(e);
  }
}
