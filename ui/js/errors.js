// Errors in the user's language, and nothing failing unseen.

import { t, has } from './i18n.js';

/** A backend error ({kind, message, params}) in the UI's language; the English message only
 * when no phrase exists for its kind. Parameters a phrase names but the error lacks (a source's
 * stored status carries none) take their parenthesis with them. */
export function errorText(error) {
  if (!error) return t('error.unknown');
  const kind = error.kind;
  if (kind && has(`error.${kind}`)) {
    const text = t(`error.${kind}`, error.params ?? {});
    return text.replace(/\s*\([^()]*\{[a-z_]+\}[^()]*\)/g, '').replace(/\{[a-z_]+\}/g, '').trim();
  }
  return error.message ?? String(error);
}

/** Sends every error the page did not handle to the app's log (where the end-to-end suite
 * looks for them, and where a bug report finds them). */
export function reportUnhandled(call) {
  const send = (message) => {
    try {
      call('ui_error', { message: String(message).slice(0, 2000) }).catch(() => {});
    } catch {
      // The bridge itself is gone: nothing more to do.
    }
  };
  window.addEventListener('error', (e) => send(`${e.message} at ${e.filename}:${e.lineno}`));
  window.addEventListener('unhandledrejection', (e) => {
    const reason = e.reason;
    send(`unhandled rejection: ${reason?.kind ? `${reason.kind}: ${reason.message}` : reason?.stack ?? reason}`);
  });
  const consoleError = console.error.bind(console);
  console.error = (...args) => {
    consoleError(...args);
    send(`console.error: ${args.map((a) => a?.message ?? a).join(' ')}`);
  };
}
