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

export const ENGINE_EVENT = 'pantau://event';
export const NAVIGATE_EVENT = 'pantau://navigate';
