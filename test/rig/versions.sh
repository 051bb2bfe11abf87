# Versions the Kubernetes rig is pinned to (sourced by the scripts that build and run it).
# Kubernetes 1.36 is the newest minor whose go.mod asks for a Go this machine has (1.38 needs
# Go 1.27) and whose kubelet still falls back to its own cgroup driver setting with
# containerd 1.6, Debian's containerd (the fallback is removed in 1.38).
K8S_VERSION=1.36.3
K8S_GO=1.26.0
# etcd 3.6 is the line Kubernetes 1.36 is tested with (its client is 3.6).
ETCD_VERSION=3.6.16
K8S_COMMANDS="kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl"
# Knative Serving's CRDs come from this module's config/core/300-resources (its controllers
# are not run: the API server validates Knative Services against the CRD schemas, and
# nothing reconciles them).
KNATIVE_SERVING_VERSION=0.51.0
