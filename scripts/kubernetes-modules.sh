#!/usr/bin/env bash
# Regenerates the wrapper modules the Kubernetes rig builds from (test/rig/kubernetes,
# test/rig/etcd). Run by hand when the pinned versions change; the output is committed.
#
# Why a wrapper: k8s.io/kubernetes requires its staging modules (k8s.io/api, ...) at
# v0.0.0 and points them at its own tree with `replace`, which only applies when it is the
# main module. So `go install k8s.io/kubernetes/cmd/kubelet@v1.X.Y` is refused and a
# dependent module must replace each staging module by its published v0.X.Y. The list is
# read from Kubernetes' own go.mod, never typed by hand. etcd's server module has replace
# lines too, hence its own wrapper (kept apart so version selection never mixes the two).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/test/rig/versions.sh"
export GOTOOLCHAIN=local GOFLAGS=-modcacherw

k8s=$here/test/rig/kubernetes
rm -f "$k8s/go.mod" "$k8s/go.sum"
cd "$k8s"
go mod init berth.test/kubernetes-rig >/dev/null 2>&1
go mod edit -go="$K8S_GO" -godebug=default=go"${K8S_GO%.*}"
gomod=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
staging=v0.${K8S_VERSION#1.}
awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" {print $1}' "$gomod" | sort -u | while read -r m; do
  go mod edit -replace="$m=$m@$staging"
done
go mod edit -require="k8s.io/kubernetes@v$K8S_VERSION"
for cmd in $K8S_COMMANDS; do go get -tool "k8s.io/kubernetes/cmd/$cmd@v$K8S_VERSION"; done
go mod tidy

etcd=$here/test/rig/etcd
rm -f "$etcd/go.mod" "$etcd/go.sum"
cd "$etcd"
go mod init berth.test/etcd-rig >/dev/null 2>&1
go mod edit -go="$K8S_GO"
go get -tool "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" "go.etcd.io/etcd/etcdctl/v3@v$ETCD_VERSION"
go mod tidy
echo "wrapper modules regenerated for Kubernetes v$K8S_VERSION and etcd v$ETCD_VERSION"
