#!/usr/bin/env bash
# Regenerates the two Go build modules (go.mod/go.sum) for the versions in versions.env.
# Run once per version bump and commit the result; build.sh then only runs `go build`.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/versions.env"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
STAGING_VERSION="v0.${K8S_VERSION#v1.}"

rm -rf "$HERE/go/kube" "$HERE/go/etcd"; mkdir -p "$HERE/go/kube" "$HERE/go/etcd"
cd "$HERE/go/kube"
go mod init elementrepl.invalid/envtest/kube >/dev/null 2>&1
KGOMOD="$(go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" | sed -n 's/^[[:space:]]*"GoMod":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')"
[ -s "$KGOMOD" ] || { echo "could not get go.mod of k8s.io/kubernetes@${K8S_VERSION}" >&2; exit 1; }
mapfile -t STAGING < <(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\)[[:space:]]*=>[[:space:]]*\./staging/.*#\1#p' "$KGOMOD" | sort -u)
[ "${#STAGING[@]}" -gt 0 ] || { echo "no ./staging replaces in $KGOMOD" >&2; exit 1; }
for m in "${STAGING[@]}"; do go mod edit -replace="${m}=${m}@${STAGING_VERSION}"; done
GD="$(sed -n 's/^godebug[[:space:]]\{1,\}\([^ (][^ ]*\)$/\1/p' "$KGOMOD" | head -n1)"
[ -z "$GD" ] || go mod edit -godebug="$GD"
go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@${K8S_VERSION}"
go get -tool "k8s.io/kubernetes/cmd/kubectl@${K8S_VERSION}"
go mod tidy

cd "$HERE/go/etcd"
go mod init elementrepl.invalid/envtest/etcd >/dev/null 2>&1
go get -tool "go.etcd.io/etcd/server/v3@${ETCD_VERSION}"
go mod tidy
echo "modules updated for ${K8S_VERSION} / ${ETCD_VERSION}" >&2
