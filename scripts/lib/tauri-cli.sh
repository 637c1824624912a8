# The Tauri CLI 2.x for Pantau's scripts (sourced, not run): `tauri_cli ARGS…` runs it, installing
# it first under target/tauri-cli (from npm, or with cargo when npm is missing; nothing
# system-wide). Used for the Linux bundles (./scripts/package) and the updater's signatures
# (./scripts/release).
tauri_cli_dir=target/tauri-cli

_tauri_cli_run() {
  if [ -x "$tauri_cli_dir/node_modules/.bin/tauri" ]; then "$tauri_cli_dir/node_modules/.bin/tauri" "$@"
  elif [ -x "$tauri_cli_dir/bin/cargo-tauri" ]; then "$tauri_cli_dir/bin/cargo-tauri" tauri "$@"
  else return 127; fi
}

tauri_cli() {
  if ! _tauri_cli_run --version 2>/dev/null | grep -q '^tauri-cli 2\.'; then
    echo "==> installing the Tauri CLI 2.x into $tauri_cli_dir" >&2
    rm -rf "$tauri_cli_dir"
    if command -v npm >/dev/null 2>&1; then
      npm install --prefix "$tauri_cli_dir" --no-save --no-audit --no-fund --loglevel=error "@tauri-apps/cli@^2" >&2
    else
      cargo install tauri-cli --version "^2" --locked --root "$tauri_cli_dir" >&2
    fi
  fi
  _tauri_cli_run "$@"
}
