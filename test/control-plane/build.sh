#!/usr/bin/env bash
# Builds kube-apiserver, etcd (and kubectl when the system has none) from Go modules into a
# version-keyed cache directory outside the repository. Rebuilds only when the pinned versions
# change. Prints the binary directory on stdout; progress goes to stderr.
#
# Honours KUBEBUILDER_ASSETS / TEST_ASSET_KUBE_APISERVER / TEST_ASSET_ETCD: when those name
# existing binaries, nothing is built.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"

log() { printf '[control-plane build] %s\n' "$*" >&2; }

if [ -n "${TEST_ASSET_KUBE_APISERVER:-}" ] && [ -n "${TEST_ASSET_ETCD:-}" ] \
   && [ -x "$TEST_ASSET_KUBE_APISERVER" ] && [ -x "$TEST_ASSET_ETCD" ]; then
  log "using TEST_ASSET_KUBE_APISERVER and TEST_ASSET_ETCD"
  dirname "$TEST_ASSET_KUBE_APISERVER"; exit 0
fi
if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/kube-apiserver" ] && [ -x "$KUBEBUILDER_ASSETS/etcd" ]; then
  log "using KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS"
  echo "$KUBEBUILDER_ASSETS"; exit 0
fi

command -v go >/dev/null || { echo "error: Go is needed to build kube-apiserver and etcd (or set KUBEBUILDER_ASSETS to a directory with kube-apiserver and etcd)" >&2; exit 1; }

CACHE_ROOT="${ELEMENTREPL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/elementrepl-envtest}"
OUT_DIR="$CACHE_ROOT/k8s-${K8S_VERSION#v}-etcd-${ETCD_VERSION#v}-$(go env GOOS)-$(go env GOARCH)"
STAMP="$OUT_DIR/.stamp"
WANT_STAMP="$K8S_VERSION $ETCD_VERSION $(cd "$HERE" && sha256sum go/kube/go.sum go/etcd/go.sum 2>/dev/null | sha256sum | cut -c1-16)"
need_kubectl=0
command -v kubectl >/dev/null || need_kubectl=1

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT_STAMP" ] && [ -x "$OUT_DIR/kube-apiserver" ] && [ -x "$OUT_DIR/etcd" ] \
   && { [ $need_kubectl = 0 ] || [ -x "$OUT_DIR/kubectl" ]; }; then
  log "cached binaries in $OUT_DIR"
  echo "$OUT_DIR"; exit 0
fi

mkdir -p "$OUT_DIR"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
start=$(date +%s)

MINOR_PATCH="${K8S_VERSION#v1.}"; MINOR="${MINOR_PATCH%%.*}"
BUILD_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
LDFLAGS="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LDFLAGS+=" -X ${p}.gitVersion=${K8S_VERSION} -X ${p}.gitMajor=1 -X ${p}.gitMinor=${MINOR}"
  LDFLAGS+=" -X ${p}.gitTreeState=clean -X ${p}.buildDate=${BUILD_DATE}"
done

log "building kube-apiserver ${K8S_VERSION} (first build: downloads modules and compiles ~2k packages; takes minutes)"
( cd "$HERE/go/kube" && go build -trimpath -tags=selinux,notest,grpcnotrace -ldflags "$LDFLAGS" \
    -o "$OUT_DIR/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver ) >&2
mv "$OUT_DIR/kube-apiserver.tmp" "$OUT_DIR/kube-apiserver"
log "kube-apiserver built after $(( $(date +%s) - start ))s"

if [ $need_kubectl = 1 ]; then
  log "no kubectl on PATH: building kubectl ${K8S_VERSION}"
  ( cd "$HERE/go/kube" && go build -trimpath -ldflags "$LDFLAGS" -o "$OUT_DIR/kubectl.tmp" k8s.io/kubernetes/cmd/kubectl ) >&2
  mv "$OUT_DIR/kubectl.tmp" "$OUT_DIR/kubectl"
fi

log "building etcd ${ETCD_VERSION}"
( cd "$HERE/go/etcd" && go build -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${ETCD_VERSION}" \
    -o "$OUT_DIR/etcd.tmp" go.etcd.io/etcd/server/v3 ) >&2
mv "$OUT_DIR/etcd.tmp" "$OUT_DIR/etcd"

echo "$WANT_STAMP" > "$STAMP"
log "done in $(( $(date +%s) - start ))s: $("$OUT_DIR/kube-apiserver" --version) / $("$OUT_DIR/etcd" --version | head -1)"
echo "$OUT_DIR"
