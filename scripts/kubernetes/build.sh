# shellcheck shell=bash
# Sourced by provision-kubernetes.sh: builds the rig's binaries from Go modules into
# $BIN, one component at a time so each prints its own cold/warm time. A binary is
# written under a temporary name and renamed, so an interrupted build never leaves a
# half-written file that a later run would take for done.

# k8s_build_one OUT PKG: builds PKG (a command of the Kubernetes wrapper module) into OUT
# with the version fields Kubernetes' own build sets (hack/lib/version.sh); unstamped,
# the node would report kubeletVersion v0.0.0-master.
k8s_build_one() {
  local out=$1 pkg=$2 ld="-s -w" p
  local minor=${K8S_VERSION#1.}; minor=${minor%%.*}
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=$K8S_BUILD_DATE"
  done
  (cd "$RIG_SRC/kubernetes" && nice -n 10 go build -v -tags selinux,notest -ldflags "$ld" -o "$out.partial" "$pkg") &&
    mv "$out.partial" "$out"
}

etcd_build_one() {
  local out=$1 pkg=$2
  (cd "$RIG_SRC/etcd" && nice -n 10 go build -v -ldflags "-s -w" -o "$out.partial" "$pkg") && mv "$out.partial" "$out"
}

pause_build() {
  (cd "$RIG_SRC/pause" && go build -ldflags "-s -w" -o "$BIN/pause.partial" .) && mv "$BIN/pause.partial" "$BIN/pause"
}

build_component() {
  local name=$1 fn=$2 pkg=$3
  if [ -x "$BIN/$name" ]; then
    log "build $name: cached"
    return 0
  fi
  local t0=$SECONDS
  STEP_LIMIT=$BUILD_LIMIT STALL_LIMIT=$BUILD_STALL limited "build $name" "$LOGS/build-$name.log" "$fn" "$BIN/$name" "$pkg"
  log "build $name: done in $((SECONDS - t0)) s (cold)"
}

build_all() {
  mkdir -p "$BIN" "$LOGS"
  # The Go build is CPU-bound for many minutes; at low priority it leaves the cores to
  # whatever else the machine runs (tests, the editor) and takes what is idle.
  export GOTOOLCHAIN=local GOFLAGS="-modcacherw -trimpath -buildvcs=false" CGO_ENABLED=0
  # The kube-apiserver first: it is the largest and shares most packages with the rest.
  build_component kube-apiserver k8s_build_one k8s.io/kubernetes/cmd/kube-apiserver
  build_component kube-controller-manager k8s_build_one k8s.io/kubernetes/cmd/kube-controller-manager
  build_component kube-scheduler k8s_build_one k8s.io/kubernetes/cmd/kube-scheduler
  build_component kubelet k8s_build_one k8s.io/kubernetes/cmd/kubelet
  build_component kubectl k8s_build_one k8s.io/kubernetes/cmd/kubectl
  build_component etcd etcd_build_one go.etcd.io/etcd/server/v3
  build_component etcdctl etcd_build_one go.etcd.io/etcd/etcdctl/v3
  build_component pause pause_build -
  build_component rigcri k8s_build_one ./rigcri
}
