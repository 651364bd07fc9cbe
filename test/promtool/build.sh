#!/usr/bin/env bash
# Builds promtool (Prometheus' rule checker and rule unit tester) from Go modules into a
# version-keyed cache directory outside the repository. Rebuilds only when the pinned version
# (or go.sum) changes. Prints the path of the promtool binary on stdout; progress goes to stderr.
#
# Honours PROMTOOL: when it names an executable, nothing is built and it is printed as is.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"

log() { printf '[promtool build] %s\n' "$*" >&2; }

if [ -n "${PROMTOOL:-}" ]; then
  [ -x "$PROMTOOL" ] || { echo "error: PROMTOOL=$PROMTOOL is not an executable" >&2; exit 1; }
  log "using PROMTOOL=$PROMTOOL"
  echo "$PROMTOOL"; exit 0
fi

command -v go >/dev/null || { echo "error: Go is needed to build promtool (or set PROMTOOL to a promtool binary)" >&2; exit 1; }

CACHE_ROOT="${ELEMENTREPL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/elementrepl-envtest}"
OUT_DIR="$CACHE_ROOT/promtool-${PROMETHEUS_MODULE_VERSION#v}-$(go env GOOS)-$(go env GOARCH)"
STAMP="$OUT_DIR/.stamp"
WANT_STAMP="$PROMETHEUS_MODULE_VERSION $(sha256sum "$HERE/go/go.sum" | cut -c1-16)"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT_STAMP" ] && [ -x "$OUT_DIR/promtool" ]; then
  log "cached promtool in $OUT_DIR"
  echo "$OUT_DIR/promtool"; exit 0
fi

mkdir -p "$OUT_DIR"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
start=$(date +%s)

# Module v0.X.Y is Prometheus v3.X.Y (the project's Go module numbering since 3.0).
MV="${PROMETHEUS_MODULE_VERSION#v0.}"; PROM_VERSION="3.${MV:1}"
[ "${MV:0:1}" = 3 ] || PROM_VERSION="$PROMETHEUS_MODULE_VERSION"
# remove_all_sd drops the cloud service-discovery plugins (AWS, Azure, GCE, ...): promtool's rule
# commands do not use them, and they are most of the compile time.
log "building promtool ${PROM_VERSION} (first build: compiles several hundred packages; takes minutes)"
( cd "$HERE/go" && go build -trimpath -tags=remove_all_sd,netgo \
    -ldflags "-s -w -X github.com/prometheus/common/version.Version=${PROM_VERSION}" \
    -o "$OUT_DIR/promtool.tmp" github.com/prometheus/prometheus/cmd/promtool ) >&2
mv "$OUT_DIR/promtool.tmp" "$OUT_DIR/promtool"

echo "$WANT_STAMP" > "$STAMP"
log "done in $(( $(date +%s) - start ))s: $("$OUT_DIR/promtool" --version 2>&1 | head -1)"
echo "$OUT_DIR/promtool"
