# shellcheck shell=bash
# Sourced by provision-kubernetes.sh: the cluster's certificates (one CA, made with
# openssl) and a kubeconfig per component. Made once per state folder and kept, so a
# restart reuses them and clients holding the admin kubeconfig keep working.

pki_leaf() { # name CN O(or empty) extensions
  local name=$1 cn=$2 org=$3 ext=$4
  openssl req -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -out "$PKI/$name.csr" \
    -subj "/CN=$cn${org:+/O=$org}" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 825 -out "$PKI/$name.crt" -extfile <(printf '%s\n' "$ext") 2>/dev/null
  rm -f "$PKI/$name.csr"
}

kubeconfig_for() { # file user cert-name context
  local file=$1 user=$2 cert=$3 ctx=${4:-berth-rig}
  cat >"$file.partial" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: berth-rig
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $PKI/ca.crt
users:
- name: $user
  user:
    client-certificate: $PKI/$cert.crt
    client-key: $PKI/$cert.key
contexts:
- name: $ctx
  context: {cluster: berth-rig, user: $user, namespace: default}
current-context: $ctx
YAML
  mv "$file.partial" "$file"
}

make_pki() {
  if [ -s "$PKI/done" ]; then return 0; fi
  rm -rf "$PKI" && mkdir -p "$PKI" && chmod 700 "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=berth-rig-ca \
    -keyout "$PKI/ca.key" -out "$PKI/ca.crt" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign,digitalSignature 2>/dev/null
  local srv=$'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth'
  local cli=$'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth'
  pki_leaf apiserver kube-apiserver "" "$srv
subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:$NODE_IP,IP:$SERVICE_IP"
  pki_leaf kubelet-serving "$NODE_NAME" "" "$srv
subjectAltName=DNS:$NODE_NAME,DNS:localhost,IP:127.0.0.1,IP:$NODE_IP"
  # Client identities: the Node authorizer admits the kubelet only under system:node:<name>
  # in system:nodes; the default RBAC binds the controller-manager and scheduler names.
  pki_leaf admin kubernetes-admin system:masters "$cli"
  pki_leaf controller-manager system:kube-controller-manager "" "$cli"
  pki_leaf scheduler system:kube-scheduler "" "$cli"
  pki_leaf kubelet-client "system:node:$NODE_NAME" system:nodes "$cli"
  pki_leaf apiserver-kubelet-client kube-apiserver-kubelet-client system:masters "$cli"
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  kubeconfig_for "$K/admin.kubeconfig" berth-admin admin
  kubeconfig_for "$K/controller-manager.kubeconfig" controller-manager controller-manager
  kubeconfig_for "$K/scheduler.kubeconfig" scheduler scheduler
  kubeconfig_for "$K/kubelet.kubeconfig" kubelet kubelet-client
  date -u +%FT%TZ >"$PKI/done"
}
