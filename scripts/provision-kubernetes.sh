#!/usr/bin/env bash
# Many names set here are read only by the sourced parts (scripts/kubernetes/*.sh).
# shellcheck disable=SC2034
# The Kubernetes rig: a real single-node cluster built from Go modules, for the tests of
# Berth's Kubernetes backend (nothing can be pulled or downloaded here, and no Debian
# package has Kubernetes).
#
#   provision-kubernetes.sh [start]  build what is missing (cached outside the repo), start
#                                    etcd, the control plane, containerd and the kubelet,
#                                    wait for a Ready node and a running busybox pod
#   provision-kubernetes.sh stop     stop everything it started; no process, mount or
#                                    network interface is left
#   provision-kubernetes.sh status   what runs, and the sum of its processes' RSS (exit 3: not all)
#   provision-kubernetes.sh reset    stop, then delete the cluster's state (not the binaries)
#   provision-kubernetes.sh build    only build the binaries
#
# The admin kubeconfig (context `berth-rig`) is $BERTH_STATE_DIR/kubernetes/admin.kubeconfig.
# Every address is 127.0.0.1 or on the rig's own bridge (berth-cni0, 10.88.0.0/16).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
TAG=provision-kubernetes
# shellcheck source=scripts/provision-lib.sh
. "$here/provision-lib.sh"
# shellcheck source=test/rig/versions.sh
. "$repo/test/rig/versions.sh"
for part in build pki daemons control-plane node; do
  # shellcheck source=/dev/null
  . "$here/kubernetes/$part.sh"
done

# Binaries are built once per machine and version. They live apart from BERTH_CACHE, which
# CI empties every run to prove the editor's cold install: a 10-minute Go build each run
# would prove nothing more (the cold build's own figure is printed when it happens).
BIN=${BERTH_KUBERNETES_CACHE:-/var/cache/berth/kubernetes}/v$K8S_VERSION/bin
K=${BERTH_STATE_DIR:-/var/tmp/berth}/kubernetes
RUN=$K/run LOGS=$K/logs PKI=$K/pki
RIG_SRC=$repo/test/rig
CTRD_SOCK=$K/containerd/containerd.sock
NODE_NAME=berth-node BRIDGE=berth-cni0
NODE_IP=10.88.0.1 POD_CIDR=10.88.0.0/16 SERVICE_CIDR=10.96.0.0/16 SERVICE_IP=10.96.0.1
ETCD_PORT=2379 APISERVER_PORT=6443 KCM_PORT=10257 SCHEDULER_PORT=10259
KUBELET_PORT=10250 KUBELET_HEALTHZ_PORT=10248 REGISTRY_PORT=5000
PAUSE_IMAGE=localhost/berth-rig/pause:1 BUSYBOX_IMAGE=docker.io/library/busybox:1.35
BUILD_LIMIT=${BERTH_KUBERNETES_BUILD_LIMIT:-3600} BUILD_STALL=${BERTH_KUBERNETES_BUILD_STALL:-900}
# apt and the other short steps, as in the other provisioning scripts.
STEP_LIMIT=${BERTH_PROVISION_STEP_LIMIT:-900} STALL_LIMIT=${BERTH_PROVISION_STALL_LIMIT:-240}
K8S_BUILD_DATE=$(date -u +%FT%TZ)
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker)
docker_rig() { "$DOCKER" -H "unix://${BERTH_TEST_SOCKET:-/var/run/docker.sock}" "$@"; }
kctl() { "$BIN/kubectl" --kubeconfig "$K/admin.kubeconfig" --request-timeout 10s "$@"; }

preflight() {
  local pkgs=()
  command -v go >/dev/null || { log "no Go toolchain on PATH: the rig builds Kubernetes from Go modules"; exit 1; }
  command -v containerd >/dev/null || pkgs+=(containerd)
  command -v runc >/dev/null || pkgs+=(runc)
  [ -x /usr/lib/cni/bridge ] || pkgs+=(containernetworking-plugins)
  command -v iptables >/dev/null || pkgs+=(iptables)
  command -v openssl >/dev/null || pkgs+=(openssl)
  if [ ${#pkgs[@]} -gt 0 ]; then
    mkdir -p "$LOGS"
    stage "Debian packages (${pkgs[*]})" apt_install "$LOGS/apt.log" "${pkgs[@]}"
  fi
  if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
    log "note: cgroup v2 host; the rig was verified on cgroup v1 (failCgroupV1: false)"
  fi
}

smoke_pod() {
  # A new pod each start: one left from the last run would still say Ready.
  kctl delete pod berth-rig-smoke --ignore-not-found --grace-period 0 --force >/dev/null 2>&1
  kctl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: berth-rig-smoke, namespace: default, labels: {app: berth-rig-smoke}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: httpd
    image: busybox:1.35
    imagePullPolicy: Never
    command: [httpd, -f, -p, "8080", -h, /etc]
YAML
  if ! kctl wait --for=condition=Ready pod/berth-rig-smoke --timeout=90s >/dev/null; then
    log "the smoke pod did not become Ready:"
    kctl get events --field-selector involvedObject.name=berth-rig-smoke -o custom-columns=REASON:.reason,MESSAGE:.message >&2 || true
    return 1
  fi
}

rss_sum() {
  local total=0 name pid rss
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet; do
    pid=$(daemon_pid "$name") || continue
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    printf '  %-24s %6d MiB\n' "$name" $((rss / 1024))
    total=$((total + rss))
  done
  # The shims and pods belong to the rig too.
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CTRD_SOCK" || true); do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + rss))
  done
  printf '  %-24s %6d MiB (with the runtime shims)\n' "sum of RSS" $((total / 1024))
}

cmd_start() {
  local t0=$SECONDS
  preflight
  stage "build (Kubernetes v$K8S_VERSION, etcd v$ETCD_VERSION)" build_all
  local up=$SECONDS
  stage "engine rig (busybox:1.35 source)" bash "$here/provision.sh" >/dev/null
  mkdir -p "$K" "$RUN" "$LOGS"
  stage "certificates" make_pki
  stage "bridge $BRIDGE" make_bridge
  stage "etcd" start_etcd
  stage "kube-apiserver" start_apiserver
  stage "controller-manager and scheduler" start_controllers
  stage "containerd" start_containerd
  stage "images (pause, busybox)" import_images
  stage "kubelet to node Ready" start_kubelet
  stage "Knative Serving CRDs (v$KNATIVE_SERVING_VERSION)" install_knative_crds
  stage "busybox pod running" smoke_pod
  log "cluster up in $((SECONDS - up)) s (whole run $((SECONDS - t0)) s); kubeconfig $K/admin.kubeconfig, context berth-rig"
  log "kubectl for checks by hand: $BIN/kubectl --kubeconfig $K/admin.kubeconfig"
  rss_sum
}

# Unmounts everything the rig left under its state folder, deepest first.
unmount_rig() {
  local m
  awk -v k="$K/" 'index($5, k) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

cmd_stop() {
  stop_daemon kubelet
  if daemon_pid containerd >/dev/null && [ -x "$BIN/rigcri" ]; then
    "$BIN/rigcri" "$CTRD_SOCK" remove-pods >/dev/null || log "could not remove the pods through the runtime; killing them"
  fi
  stop_daemon containerd
  # A shim outlives its containerd; it and its pod's processes are the rig's too.
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CTRD_SOCK" || true); do
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  done
  stop_daemon kube-scheduler
  stop_daemon kube-controller-manager
  stop_daemon kube-apiserver
  stop_daemon etcd
  unmount_rig
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link show master "$BRIDGE" 2>/dev/null | awk -F'[ :@]+' '/^[0-9]+:/ {print $2}' | while read -r dev; do
      ip link delete "$dev" 2>/dev/null || true
    done
    ip link delete "$BRIDGE"
  fi
  while iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null; do :; done
  while iptables -D FORWARD -i "$BRIDGE" ! -o "$BRIDGE" -j DROP 2>/dev/null; do :; done
  log "stopped"
}

# Exit 0 when every component runs, 3 otherwise (as init scripts' status does).
cmd_status() {
  local name down=0
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet; do
    if daemon_pid "$name" >/dev/null; then log "$name: running"; else log "$name: stopped"; down=3; fi
  done
  [ "$down" = 0 ] && rss_sum
  return "$down"
}

case ${1:-start} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_stop && rm -rf "$K" && log "state removed" ;;
  build) preflight && stage "build (Kubernetes v$K8S_VERSION, etcd v$ETCD_VERSION)" build_all ;;
  *) echo "usage: $0 [start|stop|status|reset|build]" >&2; exit 2 ;;
esac
