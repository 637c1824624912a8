// The bridge to Pantau's backend: typed commands and pushed events (the UI never polls).

const tauri = window.__TAURI__;

/** Calls a backend command; errors arrive as {kind, message}. */
export async function call(cmd, args = {}) {
  return tauri.core.invoke(cmd, args);
}

/** Subscribes to a backend event. */
export function on(name, handler) {
  return tauri.event.listen(name, (e) => handler(e.payload));
}

/** Facts the backend owns (event names, error kinds, channels, interval ranges, default alert
 * rules, age and decimal rules, symbols), from `meta`. */
export const meta = {};

/** Asks the backend for its facts once, before anything else. */
export async function loadMeta() {
  Object.assign(meta, await call('meta'));
}
