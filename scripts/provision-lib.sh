# Shared by the provisioning scripts (sourced, not run): stage timing, time limits
# with one retry, apt installs and a clean environment for nested npm runs.
# The caller sets TAG (the log prefix), STEP_LIMIT and STALL_LIMIT (seconds).

log() { printf '[%s] %s\n' "$TAG" "$*"; }

# stage LABEL CMD...: runs CMD and prints how long it took, cold or warm.
stage() {
  local label=$1 t0=$SECONDS
  shift
  log "$label …"
  "$@"
  log "$label: done in $((SECONDS - t0)) s"
}

# limited NAME LOG CMD...: runs CMD (a command or a shell function) with its output in
# LOG. A try that exceeds STEP_LIMIT seconds, or writes nothing for STALL_LIMIT seconds,
# is killed with everything it started; a failed try is repeated once. Exits 1 with
# the step's name, its log and the log's tail when the second try fails too.
limited() {
  local name=$1 logfile=$2 try pid reason size last_size started last_change rc
  shift 2
  for try in 1 2; do
    : >"$logfile"
    # Job control gives the try its own process group, so a kill reaches its children.
    set -m
    ( "$@" ) >>"$logfile" 2>&1 </dev/null &
    pid=$!
    set +m
    # Stopping this script (Ctrl-C in npm start, a CI timeout) stops the try's group too.
    trap 'kill -TERM -- "-$pid" 2>/dev/null; exit 143' TERM INT HUP
    reason='' last_size=-1 started=$SECONDS last_change=$SECONDS
    while kill -0 "$pid" 2>/dev/null; do
      sleep 0.5
      size=$(stat -c %s "$logfile" 2>/dev/null || echo 0)
      if [ "$size" != "$last_size" ]; then last_size=$size last_change=$SECONDS; fi
      if (( SECONDS - last_change >= STALL_LIMIT )); then reason="no output for ${STALL_LIMIT} s"; break; fi
      if (( SECONDS - started >= STEP_LIMIT )); then reason="not finished after ${STEP_LIMIT} s"; break; fi
    done
    trap - TERM INT HUP
    if [ -n "$reason" ]; then
      kill -TERM -- "-$pid" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.3; done
      kill -KILL -- "-$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    else
      rc=0
      wait "$pid" || rc=$?
      [ "$rc" = 0 ] && return 0
      reason="exit $rc"
    fi
    if [ "$try" = 1 ]; then
      log "$name failed ($reason); trying once more (log: $logfile)"
      cp "$logfile" "$logfile.try1" 2>/dev/null || true
    else
      log "$name failed again ($reason); log: $logfile (first try: $logfile.try1); its end:" >&2
      tail -n 40 "$logfile" >&2
      return 1
    fi
  done
}

# apt_install LOG PKG...: Debian packages, with the package lists refreshed first.
apt_install() {
  local logfile=$1
  shift
  if [ "$(id -u)" != 0 ]; then
    log "missing packages $* and not root: install them first" >&2
    return 1
  fi
  limited "apt-get install $*" "$logfile" env DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update -qq && apt-get install -y -qq "$@"' apt "$@"
}

# clean_npm_env [VAR=VALUE...] CMD...: runs CMD without the variables an outer npm
# (npm test, npm start) exports to its scripts, and without its node_modules/.bin
# entries on PATH; NODE24_FIRST, when set, goes first on PATH.
clean_npm_env() {
  local unset=() name path_clean='' dir
  for name in $(compgen -e); do
    case $name in
      npm_* | NPM_* | INIT_CWD | NODE | NODE_OPTIONS | NODE_PATH | NODE_ENV) unset+=(-u "$name") ;;
    esac
  done
  local IFS=:
  for dir in $PATH; do
    case $dir in
      */node_modules/.bin | */node-gyp-bin | '') ;;
      *) path_clean=${path_clean:+$path_clean:}$dir ;;
    esac
  done
  unset IFS
  [ -n "${NODE24_FIRST:-}" ] && path_clean="$NODE24_FIRST:$path_clean"
  env "${unset[@]}" PATH="$path_clean" "$@"
}
