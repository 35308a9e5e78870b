#!/usr/bin/env bash
# Install the build/test tools this repo needs; idempotent and silent when all is present.
#   scripts/setup.sh            Rust wasm target, trunk, wasm-bindgen-cli (= Cargo.lock), npm packages
#   scripts/setup.sh --browser  ... plus Debian chromium + chromium-driver (for tests/e2e and bench)
# Prints one line per thing it installs. Long tool output goes to a log shown only on failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION=0.21.14
want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$cargo_bin:"*) ;; *) PATH="$cargo_bin:$PATH" ;; esac

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run DESCRIPTION CMD...: announce, run with output captured, dump the log if it fails.
run() {
  local what=$1; shift
  echo "setup: installing $what"
  if ! "$@" >"$log" 2>&1; then
    echo "setup: FAILED installing $what: $*" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

# 1. Rust target for the browser build.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  run "rustup target wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown
fi

# 2. trunk (bundler / dev server).
if ! trunk --version 2>/dev/null | grep -qw "$TRUNK_VERSION"; then
  run "trunk $TRUNK_VERSION (cargo install, several minutes)" \
    cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# 3. wasm-bindgen-cli: must equal the wasm-bindgen crate version in Cargo.lock exactly.
wbg_version=$(awk '
  /^\[\[package\]\]/ { in_wbg = 0 }
  /^name = "wasm-bindgen"$/ { in_wbg = 1; next }
  in_wbg && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock 2>/dev/null || true)
if [[ -z "$wbg_version" ]]; then
  echo "setup: cannot find the wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wbg_version"; then
  # No --locked: wasm-bindgen-cli's own lockfile pins crates that no longer build on current Rust.
  run "wasm-bindgen-cli $wbg_version (cargo install, several minutes)" \
    cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# 4. npm packages (wasm-opt from binaryen, playwright-core).
if [[ ! -f package-lock.json ]]; then
  run "npm packages (npm install)" npm install --no-audit --no-fund
elif [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  run "npm packages (npm ci)" npm ci --no-audit --no-fund
fi

# 5. Optional: Debian Chromium + ChromeDriver for the browser tests.
if (( want_browser )) && [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  run "apt package lists (apt-get update)" "${sudo[@]}" apt-get update
  run "chromium + chromium-driver (apt)" \
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi
