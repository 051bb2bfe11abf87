#!/usr/bin/env bash
# Provisions what Berth's tests need on a Debian machine, idempotently:
# Debian's Docker engine, busybox-static and shellcheck, a running dockerd, and the local
# base image busybox:1.35 (made from busybox-static; nothing is ever pulled).
# Safe to run again: each step checks before it acts.
set -euo pipefail

SOCK=${BERTH_TEST_SOCKET:-/var/run/docker.sock}
STATE_DIR=${BERTH_STATE_DIR:-/var/tmp/berth}
mkdir -p "$STATE_DIR"

log() { printf '[provision] %s\n' "$*"; }

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
[ -x /bin/busybox ] || need_pkgs+=(busybox-static)
# ShellCheck backs the SC findings on RUN scripts (the linter skips them without it).
command -v shellcheck >/dev/null 2>&1 || need_pkgs+=(shellcheck)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "[provision] missing packages ${need_pkgs[*]} and not root: install them first" >&2; exit 1
  fi
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_pkgs[@]}" >"$STATE_DIR/apt.log" 2>&1 || { cat "$STATE_DIR/apt.log" >&2; exit 1; }
fi

# Debian's client matches the engine (API 1.41); a newer client elsewhere on PATH works too.
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker)

engine_up() { timeout 5 "$DOCKER" -H "unix://$SOCK" version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }

if ! engine_up; then
  log "starting dockerd (log: $STATE_DIR/dockerd.log)"
  # setsid: the daemon must outlive this script and the test run that started it.
  setsid dockerd -H "unix://$SOCK" >>"$STATE_DIR/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 120); do engine_up && break; sleep 0.25; done
  engine_up || { tail -n 30 "$STATE_DIR/dockerd.log" >&2; echo "[provision] dockerd did not answer on $SOCK" >&2; exit 1; }
fi
log "engine answers on $SOCK (API $("$DOCKER" -H "unix://$SOCK" version --format '{{.Server.APIVersion}}'))"

if ! "$DOCKER" -H "unix://$SOCK" image inspect busybox:1.35 >/dev/null 2>&1; then
  log "building base image busybox:1.35 from busybox-static"
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/www" "$root/tmp"
  cp /bin/busybox "$root/bin/"
  for a in sh ls cat echo env sleep httpd wget true false printf ps kill mkdir rm date hostname id grep sed head tail wc nc; do
    ln -sf busybox "$root/bin/$a"
  done
  tar -C "$root" -c . | "$DOCKER" -H "unix://$SOCK" import -c 'CMD ["sh"]' - busybox:1.35 >/dev/null
  rm -rf "$root"
fi
log "base image busybox:1.35 ready"
