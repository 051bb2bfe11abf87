# shellcheck shell=bash
# Sourced by provision-kubernetes.sh: etcd, kube-apiserver, kube-controller-manager and
# kube-scheduler, all on 127.0.0.1 (flags after Kubernetes' hack/local-up-cluster.sh).

start_etcd() {
  mkdir -p "$K/etcd"
  # No fsync: the rig's data is thrown away with the rig, and fsync on a shared disk is
  # what makes etcd slow (and the API server time out) while the other suites write.
  start_daemon etcd "$BIN/etcd" --name berth-rig --data-dir "$K/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "berth-rig=http://127.0.0.1:$((ETCD_PORT + 1))" \
    --listen-metrics-urls "http://127.0.0.1:$((ETCD_PORT + 2))" \
    --unsafe-no-fsync --log-level warn
  wait_until "etcd health" 60 etcd curl -fs "http://127.0.0.1:$ETCD_PORT/health"
}

start_apiserver() {
  # --advertise-address must not be loopback (the `kubernetes` Service's endpoint would be
  # refused), so it is the rig's own bridge address; the API still listens on 127.0.0.1.
  start_daemon kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --secure-port "$APISERVER_PORT" --advertise-address "$NODE_IP" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction --allow-privileged=true --profiling=false \
    --v 1
  wait_until "API server ready" 120 kube-apiserver \
    curl -fs --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$APISERVER_PORT/readyz"
}

start_controllers() {
  start_daemon kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$K/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$K/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$K/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --use-service-account-credentials=true --service-cluster-ip-range "$SERVICE_CIDR" \
    --leader-elect=false --v 1
  start_daemon kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$K/scheduler.kubeconfig" \
    --authentication-kubeconfig "$K/scheduler.kubeconfig" --authorization-kubeconfig "$K/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" --leader-elect=false --v 1
  # The default service account appears once the controller-manager's token machinery runs;
  # pods cannot be created in a namespace before it.
  wait_until "default service account" 90 kube-controller-manager \
    kctl -n default get serviceaccount default
  daemon_pid kube-scheduler >/dev/null || { log "kube-scheduler exited:"; tail -n 25 "$LOGS/kube-scheduler.log" >&2; return 1; }
}

# Knative Serving's CRDs, from the knative.dev/serving module's own config folder (the Go
# module proxy serves the whole tree), so the API server validates Knative Services.
install_knative_crds() {
  local dir
  dir=$(GOTOOLCHAIN=local GOFLAGS=-modcacherw go mod download -json "knative.dev/serving@v$KNATIVE_SERVING_VERSION" |
    sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir/config/core/300-resources" ] || { log "knative.dev/serving@v$KNATIVE_SERVING_VERSION has no config/core/300-resources"; return 1; }
  kctl apply --server-side --field-manager berth-rig -f "$dir/config/core/300-resources/" --request-timeout 30s >/dev/null
  wait_until "Knative CRDs established" 30 kube-apiserver crd_established services.serving.knative.dev
}

crd_established() {
  [ "$(kctl get crd "$1" -o 'jsonpath={.status.conditions[?(@.type=="Established")].status}')" = True ]
}
