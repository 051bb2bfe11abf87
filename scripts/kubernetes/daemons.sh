# shellcheck shell=bash
# Sourced by provision-kubernetes.sh: starting, watching and stopping the rig's
# long-running processes. Each runs in its own session (setsid) with its pid in $RUN, so
# `stop` finds exactly what the rig started, and a Ctrl-C in a terminal that started the
# rig reaches the processes only through `stop`.

daemon_pid() { # name -> pid if it is alive
  local f="$RUN/$1.pid" pid
  [ -s "$f" ] || return 1
  pid=$(cat "$f")
  kill -0 "$pid" 2>/dev/null && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" != "" ] && echo "$pid"
}

start_daemon() { # name cmd... ; output goes to $LOGS/<name>.log
  local name=$1
  shift
  if daemon_pid "$name" >/dev/null; then return 0; fi
  mkdir -p "$RUN" "$LOGS"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

# wait_until LABEL SECONDS LOGNAME CMD...: polls CMD until it succeeds; on timeout, or
# if the daemon LOGNAME died, prints the end of its log and fails.
wait_until() {
  local label=$1 limit=$2 logname=$3 deadline=$((SECONDS + $2))
  shift 3
  until "$@" >/dev/null 2>&1; do
    if [ -n "$logname" ] && ! daemon_pid "$logname" >/dev/null; then
      log "$label: $logname exited; the end of $LOGS/$logname.log:"
      tail -n 25 "$LOGS/$logname.log" >&2
      return 1
    fi
    if (( SECONDS >= deadline )); then
      log "$label: not reached after $limit s${logname:+; the end of $LOGS/$logname.log:}"
      [ -n "$logname" ] && tail -n 25 "$LOGS/$logname.log" >&2
      return 1
    fi
    sleep 0.3
  done
}

stop_daemon() { # name [seconds to wait before SIGKILL]
  local name=$1 grace=${2:-15} pid i
  pid=$(daemon_pid "$name") || { rm -f "$RUN/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$RUN/$name.pid"
}
