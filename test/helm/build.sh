#!/usr/bin/env bash
# Builds helm (the Helm CLI) from Go modules into a version-keyed cache directory outside the
# repository. Rebuilds only when the pinned version (or go.sum) changes. Prints the path of the helm
# binary on stdout; progress goes to stderr.
#
# Honours HELM_BIN: when it names an executable, nothing is built and it is printed as is.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"

log() { printf '[helm build] %s\n' "$*" >&2; }

if [ -n "${HELM_BIN:-}" ]; then
  [ -x "$HELM_BIN" ] || { echo "error: HELM_BIN=$HELM_BIN is not an executable" >&2; exit 1; }
  log "using HELM_BIN=$HELM_BIN"
  echo "$HELM_BIN"; exit 0
fi

command -v go >/dev/null || { echo "error: Go is needed to build helm (or set HELM_BIN to a helm binary)" >&2; exit 1; }

CACHE_ROOT="${ELEMENTREPL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/elementrepl-envtest}"
OUT_DIR="$CACHE_ROOT/helm-${HELM_VERSION#v}-$(go env GOOS)-$(go env GOARCH)"
STAMP="$OUT_DIR/.stamp"
WANT_STAMP="$HELM_VERSION $(sha256sum "$HERE/go/go.sum" | cut -c1-16)"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT_STAMP" ] && [ -x "$OUT_DIR/helm" ]; then
  log "cached helm in $OUT_DIR"
  echo "$OUT_DIR/helm"; exit 0
fi

mkdir -p "$OUT_DIR"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
start=$(date +%s)

log "building helm ${HELM_VERSION} (first build: compiles several hundred packages; takes minutes)"
( cd "$HERE/go" && go build -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=${HELM_VERSION} -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
    -o "$OUT_DIR/helm.tmp" helm.sh/helm/v4/cmd/helm ) >&2
mv "$OUT_DIR/helm.tmp" "$OUT_DIR/helm"

echo "$WANT_STAMP" > "$STAMP"
log "done in $(( $(date +%s) - start ))s: $("$OUT_DIR/helm" version --short 2>&1 | head -1)"
echo "$OUT_DIR/helm"
