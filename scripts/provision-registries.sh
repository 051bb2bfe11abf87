#!/usr/bin/env bash
# Provisions the registries Berth's registry tests push to, idempotently, all on 127.0.0.1:
#   5000  Debian's docker-registry, no authentication
#   5001  docker-registry with htpasswd basic auth (bcrypt)
#   5002  docker-registry with token auth (auth.token), whose tokens come from
#   5003  the test token server (test/support/tokenServer.ts, run with node + tsx)
# The user, its password and identity token are made here (random, never committed), as are
# the token server's RSA key and self-signed certificate. Everything lives under
# ${BERTH_STATE_DIR:-/var/tmp/berth}/registries; rig.json there tells the tests the URLs and
# where the credentials are. Each server has a pidfile, is left alone when it is ours and
# answers, and is started with setsid so it outlives this script and the test run.
# dockerd treats 127.0.0.0/8 as an insecure registry by default, so it pushes to these over
# plain HTTP; the script checks that and pushes busybox:1.35 once to prove it.
set -euo pipefail

STATE_DIR=${BERTH_STATE_DIR:-/var/tmp/berth}
REG_DIR=$STATE_DIR/registries
STEP_LIMIT=${BERTH_PROVISION_STEP_LIMIT:-900}
STALL_LIMIT=${BERTH_PROVISION_STALL_LIMIT:-240}
SOCK=${BERTH_TEST_SOCKET:-/var/run/docker.sock}
PORT_OPEN=5000 PORT_BASIC=5001 PORT_TOKEN=5002 PORT_TOKEN_SERVER=5003
SERVICE=berth-registry ISSUER=berth-token-server USER_NAME=berth

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=scripts/provision-lib.sh
. "$here/provision-lib.sh"
TAG=provision-registries

mkdir -p "$REG_DIR"
chmod 700 "$REG_DIR"

need_pkgs=()
[ -x /usr/bin/docker-registry ] || need_pkgs+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need_pkgs+=(apache2-utils)
command -v openssl >/dev/null 2>&1 || need_pkgs+=(openssl)
command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  stage "Debian packages (${need_pkgs[*]})" apt_install "$STATE_DIR/apt-registries.log" "${need_pkgs[@]}"
fi

# Secrets: made once, kept (mode 600) so a running registry and the tests agree across runs.
make_secrets() (
  local password identity
  umask 077
  password=$(openssl rand -hex 16)
  identity=$(openssl rand -hex 24)
  printf '{"%s":{"password":"%s","identityToken":"%s"}}\n' "$USER_NAME" "$password" "$identity" >"$REG_DIR/users.json"
  # -i: the password on stdin, never in argv (this rig is what the argv tests check).
  printf '%s' "$password" | htpasswd -iBc "$REG_DIR/htpasswd" "$USER_NAME" 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$ISSUER" \
    -keyout "$REG_DIR/token-key.pem" -out "$REG_DIR/token-cert.pem" 2>/dev/null
)
if [ ! -s "$REG_DIR/users.json" ] || [ ! -s "$REG_DIR/htpasswd" ] || [ ! -s "$REG_DIR/token-key.pem" ] || [ ! -s "$REG_DIR/token-cert.pem" ]; then
  stage "test user, htpasswd (bcrypt), token key and certificate" make_secrets
fi

# registry_config NAME PORT [AUTH-YAML]: one config per registry (rewritten each run; cheap, and a
# running registry keeps the config it started with).
registry_config() {
  local name=$1 port=$2 auth=${3:-}
  mkdir -p "$REG_DIR/$name/data"
  [ -s "$REG_DIR/$name/http-secret" ] || (umask 077 && openssl rand -hex 16 >"$REG_DIR/$name/http-secret")
  cat >"$REG_DIR/$name/config.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $REG_DIR/$name/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: $(cat "$REG_DIR/$name/http-secret")
$auth
EOF
}
registry_config open "$PORT_OPEN"
registry_config basic "$PORT_BASIC" "auth:
  htpasswd:
    realm: berth-basic
    path: $REG_DIR/htpasswd"
registry_config token "$PORT_TOKEN" "auth:
  token:
    realm: http://127.0.0.1:$PORT_TOKEN_SERVER/token
    service: $SERVICE
    issuer: $ISSUER
    rootcertbundle: $REG_DIR/token-cert.pem"

# answers URL EXPECT: the HTTP status (and for 401 the challenge scheme) is what a healthy server says.
answers() {
  local url=$1 expect=$2 out
  out=$(curl -s -o /dev/null -D - --max-time 2 "$url" 2>/dev/null | tr -d '\r') || return 1
  case $expect in
    200) grep -q '^HTTP/[0-9.]* 200' <<<"$out" ;;
    basic) grep -q '^HTTP/[0-9.]* 401' <<<"$out" && grep -qi '^www-authenticate: basic' <<<"$out" ;;
    bearer) grep -q '^HTTP/[0-9.]* 401' <<<"$out" && grep -qi '^www-authenticate: bearer' <<<"$out" ;;
  esac
}

ours() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# serve NAME URL EXPECT CMD...: starts CMD (in its own session) unless our process already answers.
serve() {
  local name=$1 url=$2 expect=$3 pidfile=$REG_DIR/$1.pid logfile=$REG_DIR/$1.log
  shift 3
  if ours "$pidfile" && answers "$url" "$expect"; then
    log "$name already running (pid $(cat "$pidfile")) and answering at $url"
    return 0
  fi
  if answers "$url" "$expect" || curl -s -o /dev/null --max-time 2 "$url"; then
    log "$url is answered by a process that is not ours (Debian's docker-registry service? systemctl disable --now docker-registry)" >&2
    return 1
  fi
  if ours "$pidfile"; then kill "$(cat "$pidfile")" 2>/dev/null || true; sleep 0.5; fi
  # The child writes its own pid before exec'ing, so the pidfile names the server itself.
  # shellcheck disable=SC2016 # $$ and $@ are the child shell's, on purpose
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    answers "$url" "$expect" && { log "$name started (pid $(cat "$pidfile")), answering at $url"; return 0; }
    sleep 0.25
  done
  tail -n 20 "$logfile" >&2
  log "$name did not answer at $url within 15 s (log: $logfile)" >&2
  return 1
}

serve registry-open "http://127.0.0.1:$PORT_OPEN/v2/" 200 /usr/bin/docker-registry serve "$REG_DIR/open/config.yml"
serve registry-basic "http://127.0.0.1:$PORT_BASIC/v2/" basic /usr/bin/docker-registry serve "$REG_DIR/basic/config.yml"
serve token-server "http://127.0.0.1:$PORT_TOKEN_SERVER/health" 200 \
  env -C "$repo" node --import tsx test/support/tokenServer.ts --port "$PORT_TOKEN_SERVER" \
  --key "$REG_DIR/token-key.pem" --cert "$REG_DIR/token-cert.pem" --users "$REG_DIR/users.json" \
  --issuer "$ISSUER" --service "$SERVICE"
serve registry-token "http://127.0.0.1:$PORT_TOKEN/v2/" bearer /usr/bin/docker-registry serve "$REG_DIR/token/config.yml"

cat >"$REG_DIR/rig.json" <<EOF
{
  "open": "http://127.0.0.1:$PORT_OPEN",
  "basic": "http://127.0.0.1:$PORT_BASIC",
  "token": "http://127.0.0.1:$PORT_TOKEN",
  "tokenServer": "http://127.0.0.1:$PORT_TOKEN_SERVER/token",
  "service": "$SERVICE",
  "user": "$USER_NAME",
  "usersFile": "$REG_DIR/users.json"
}
EOF

# The engine must push to loopback over plain HTTP: Docker's default insecure 127.0.0.0/8.
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker || true)
if [ -n "$DOCKER" ] && timeout 5 "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1; then
  if "$DOCKER" -H "unix://$SOCK" info --format '{{json .RegistryConfig.InsecureRegistryCIDRs}}' | grep -q '127.0.0.0/8'; then
    log "dockerd treats 127.0.0.0/8 as an insecure registry"
  else
    log "dockerd does not list 127.0.0.0/8 as insecure: pushes to the rig will fail (daemon.json insecure-registries)" >&2
    exit 1
  fi
  probe=127.0.0.1:$PORT_OPEN/berth-rig/busybox:1.35
  if ! curl -sf --max-time 2 "http://127.0.0.1:$PORT_OPEN/v2/berth-rig/busybox/tags/list" | grep -q '1.35' &&
    "$DOCKER" -H "unix://$SOCK" image inspect busybox:1.35 >/dev/null 2>&1; then
    push_probe() {
      "$DOCKER" -H "unix://$SOCK" tag busybox:1.35 "$probe" &&
        "$DOCKER" -H "unix://$SOCK" push "$probe" >/dev/null &&
        "$DOCKER" -H "unix://$SOCK" rmi "$probe" >/dev/null
    }
    stage "push check (busybox:1.35 → $probe)" push_probe
  fi
else
  log "no engine on $SOCK: run scripts/provision.sh first for the push check" >&2
fi
log "registries ready: open :$PORT_OPEN, basic :$PORT_BASIC, token :$PORT_TOKEN (token server :$PORT_TOKEN_SERVER); state in $REG_DIR"
