# shellcheck shell=bash
# Sourced by provision-kubernetes.sh: the node: its own containerd (never dockerd's),
# Debian's CNI plugins on the rig's own bridge, the images pods use, and the kubelet.

CTR() { ctr -a "$CTRD_SOCK" -n k8s.io "$@"; }

write_containerd_config() {
  mkdir -p "$K/containerd" "$K/cni" "$K/certs.d"
  cat >"$K/containerd/config.toml" <<TOML
version = 2
root = "$K/containerd/root"
state = "$K/containerd/state"
plugin_dir = ""
[grpc]
  address = "$CTRD_SOCK"
[ttrpc]
  address = "$CTRD_SOCK.ttrpc"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$K/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # This VM gives root no CAP_SYS_RESOURCE: without this, runc fails every pod sandbox
  # on writing oom_score_adj -998.
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$K/cni"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$K/certs.d"
TOML
  # The test registry is plain HTTP on 127.0.0.1. Every public registry points at a port
  # nothing listens on, so a pod that names an image the rig lacks fails at once with a
  # pull error instead of trying to reach the network.
  local host
  mkdir -p "$K/certs.d/127.0.0.1:$REGISTRY_PORT"
  printf 'server = "http://127.0.0.1:%s"\n[host."http://127.0.0.1:%s"]\n  capabilities = ["pull", "resolve"]\n' \
    "$REGISTRY_PORT" "$REGISTRY_PORT" >"$K/certs.d/127.0.0.1:$REGISTRY_PORT/hosts.toml"
  for host in docker.io registry-1.docker.io registry.k8s.io k8s.gcr.io gcr.io ghcr.io quay.io mcr.microsoft.com public.ecr.aws; do
    mkdir -p "$K/certs.d/$host"
    printf 'server = "https://127.0.0.1:9"\n[host."https://127.0.0.1:9"]\n  capabilities = ["pull", "resolve"]\n' >"$K/certs.d/$host/hosts.toml"
  done
  cat >"$K/cni/10-berth.conflist" <<JSON
{ "cniVersion": "1.0.0", "name": "berth-rig",
  "plugins": [
    { "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": { "type": "host-local", "dataDir": "$K/cni-ipam",
                "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "$NODE_IP" }]] } } ] }
JSON
}

# The bridge exists before anything starts so the node's address (the API server's
# advertised address, the kubelet's) is on an interface the rig itself made.
make_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$NODE_IP/${POD_CIDR#*/}" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  # Pods talk among themselves and to the host; nothing on the bridge is forwarded
  # anywhere else (Docker's FORWARD policy is DROP, so the first rule is needed too).
  iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null ||
    iptables -I FORWARD 1 -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  iptables -C FORWARD -i "$BRIDGE" ! -o "$BRIDGE" -j DROP 2>/dev/null ||
    iptables -I FORWARD 2 -i "$BRIDGE" ! -o "$BRIDGE" -j DROP
}

start_containerd() {
  write_containerd_config
  start_daemon containerd containerd --config "$K/containerd/config.toml"
  wait_until "containerd" 30 containerd ctr -a "$CTRD_SOCK" version
}

# A pod must never pull busybox or the pause image: both are made here. The pause image
# holds the rig's own static program; busybox is the engine rig's busybox:1.35.
image_tar_pause() {
  local dir
  dir=$(mktemp -d)
  cp "$BIN/pause" "$dir/pause"
  tar -C "$dir" -c pause | docker_rig import -c 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null
  rm -rf "$dir"
  docker_rig save "$PAUSE_IMAGE"
}

import_images() {
  local ref need=0
  for ref in "$PAUSE_IMAGE" "$BUSYBOX_IMAGE"; do
    "$BIN/rigcri" "$CTRD_SOCK" image "$ref" >/dev/null 2>&1 || need=1
  done
  [ "$need" = 1 ] || return 0
  image_tar_pause | CTR images import - >/dev/null
  docker_rig save busybox:1.35 | CTR images import - >/dev/null
  # containerd 1.6's CRI layer indexes images by their id and can miss one imported while
  # it runs (seen here: ctr lists busybox, pods fail "not present with pull policy of
  # Never"). It rebuilds that index from the store when it starts, so restart once.
  for ref in "$PAUSE_IMAGE" "$BUSYBOX_IMAGE"; do
    if ! "$BIN/rigcri" "$CTRD_SOCK" image "$ref" >/dev/null 2>&1; then
      log "the runtime does not see $ref after the import; restarting containerd"
      stop_daemon containerd
      start_containerd
      break
    fi
  done
  for ref in "$PAUSE_IMAGE" "$BUSYBOX_IMAGE"; do
    "$BIN/rigcri" "$CTRD_SOCK" image "$ref" >/dev/null || { log "the runtime still does not see $ref"; return 1; }
  done
}

write_kubelet_config() {
  printf 'nameserver 127.0.0.1\n' >"$K/resolv.conf"
  cat >"$K/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$CTRD_SOCK
# This host has cgroup v1 and no systemd; kubelet 1.35+ refuses v1 unless told.
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
address: $NODE_IP
port: $KUBELET_PORT
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
rotateCertificates: false
# Pods look names up at 127.0.0.1, where nothing answers: no lookup leaves the machine.
resolvConf: $K/resolv.conf
clusterDomain: cluster.local
# The disk is shared with everything else here: evict only when it is really full, and
# never collect the imported images (they cannot be pulled back).
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# Since 1.35 the kubelet re-checks, by pulling, an image it once pulled under another
# name before a pod may use it with IfNotPresent. busybox:1.35 shares its image id with
# the copies the tests push to the registry and pull from there, so after one such pull
# every busybox:1.35 pod would try to reach Docker Hub. Nothing here is private.
imagePullCredentialsVerificationPolicy: NeverVerify
YAML
}

start_kubelet() {
  write_kubelet_config
  mkdir -p "$K/kubelet"
  # The Node object outlives a stop with its last status (Ready), and a kubelet that finds
  # the status unchanged does not post it again for minutes: a Ready node counts once this
  # kubelet has renewed the node's lease (its heartbeat, at start and every 10 s). A second
  # early, so that a renewal within the same second compares as later.
  KUBELET_STARTED=$(date -u -d '-1 sec' +%FT%TZ)
  start_daemon kubelet "$BIN/kubelet" --config "$K/kubelet.yaml" --kubeconfig "$K/kubelet.kubeconfig" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --root-dir "$K/kubelet" --v 1
  wait_until "node $NODE_NAME Ready" 120 kubelet node_ready
}

node_ready() {
  local ready renewed
  ready=$(kctl get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}') || return 1
  renewed=$(kctl -n kube-node-lease get lease "$NODE_NAME" -o 'jsonpath={.spec.renewTime}') || return 1
  # RFC 3339 UTC on both sides (the lease's with a fraction), so the strings compare as times.
  [ "$ready" = True ] && [[ "$renewed" > "$KUBELET_STARTED" ]]
}
