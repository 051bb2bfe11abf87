#!/usr/bin/env bash
# Provisions what Berth's tests need on a Debian machine, idempotently:
# Debian's Docker engine, busybox-static and shellcheck, a running dockerd, and the local
# base image busybox:1.35 (made from busybox-static; nothing is ever pulled).
# Safe to run again: each step checks before it acts, and prints its wall time.
set -euo pipefail

SOCK=${BERTH_TEST_SOCKET:-/var/run/docker.sock}
STATE_DIR=${BERTH_STATE_DIR:-/var/tmp/berth}
STEP_LIMIT=${BERTH_PROVISION_STEP_LIMIT:-900}
STALL_LIMIT=${BERTH_PROVISION_STALL_LIMIT:-240}
mkdir -p "$STATE_DIR"

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/provision-lib.sh
. "$here/provision-lib.sh"
TAG=provision

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
[ -x /bin/busybox ] || need_pkgs+=(busybox-static)
# ShellCheck backs the SC findings on RUN scripts (the linter skips them without it).
command -v shellcheck >/dev/null 2>&1 || need_pkgs+=(shellcheck)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  stage "Debian packages (${need_pkgs[*]})" apt_install "$STATE_DIR/apt.log" "${need_pkgs[@]}"
fi

# Debian's client matches the engine (API 1.41); a newer client elsewhere on PATH works too.
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker)

engine_up() { timeout 5 "$DOCKER" -H "unix://$SOCK" version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }

start_dockerd() {
  # setsid: the daemon must outlive this script and the test run that started it.
  setsid dockerd -H "unix://$SOCK" >>"$STATE_DIR/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do engine_up && return 0; sleep 0.25; done
  tail -n 30 "$STATE_DIR/dockerd.log" >&2
  log "dockerd did not answer on $SOCK within 30 s (log: $STATE_DIR/dockerd.log)" >&2
  return 1
}
if ! engine_up; then
  stage "starting dockerd (log: $STATE_DIR/dockerd.log)" start_dockerd
fi
log "engine answers on $SOCK (API $("$DOCKER" -H "unix://$SOCK" version --format '{{.Server.APIVersion}}'))"

base_image() {
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/www" "$root/tmp"
  cp /bin/busybox "$root/bin/"
  for a in sh ls cat echo env sleep httpd wget true false printf ps kill mkdir rm date hostname id grep sed head tail wc nc; do
    ln -sf busybox "$root/bin/$a"
  done
  tar -C "$root" -c . | "$DOCKER" -H "unix://$SOCK" import -c 'CMD ["sh"]' - busybox:1.35 >/dev/null
  rm -rf "$root"
}
if ! "$DOCKER" -H "unix://$SOCK" image inspect busybox:1.35 >/dev/null 2>&1; then
  stage "base image busybox:1.35 from busybox-static" base_image
fi
log "base image busybox:1.35 ready"
