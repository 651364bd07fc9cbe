#!/usr/bin/env bash
# Builds kstatus-compute (main.go: the kstatus library's Compute over objects on stdin) into a
# version-keyed cache directory outside the repository, as test/control-plane/build.sh does for
# the control plane. Rebuilds only when go.mod/go.sum (the pinned cli-utils and apimachinery) or
# main.go change. Prints the binary's path on stdout; progress goes to stderr.
#
# Honours KSTATUS_COMPUTE: when it names an executable, nothing is built and it is printed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf '[kstatus build] %s\n' "$*" >&2; }

if [ -n "${KSTATUS_COMPUTE:-}" ]; then
  [ -x "$KSTATUS_COMPUTE" ] || { echo "error: KSTATUS_COMPUTE=$KSTATUS_COMPUTE is not an executable" >&2; exit 1; }
  log "using KSTATUS_COMPUTE=$KSTATUS_COMPUTE"
  echo "$KSTATUS_COMPUTE"; exit 0
fi

command -v go >/dev/null || { echo "error: Go is needed to build the kstatus helper (or set KSTATUS_COMPUTE to a built one)" >&2; exit 1; }

CLI_UTILS="$(sed -n 's#^[[:space:]]*sigs\.k8s\.io/cli-utils[[:space:]]\{1,\}\(v[^ ]*\).*#\1#p' "$HERE/go.mod")"
[ -n "$CLI_UTILS" ] || { echo "error: no sigs.k8s.io/cli-utils version in $HERE/go.mod" >&2; exit 1; }
CACHE_ROOT="${ELEMENTREPL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/elementrepl-envtest}"
OUT_DIR="$CACHE_ROOT/kstatus-cli-utils-${CLI_UTILS#v}-$(go env GOOS)-$(go env GOARCH)"
BIN="$OUT_DIR/kstatus-compute"
STAMP="$OUT_DIR/.stamp"
WANT_STAMP="$CLI_UTILS $(go env GOVERSION) $(cd "$HERE" && sha256sum go.mod go.sum main.go | sha256sum | cut -c1-16)"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT_STAMP" ] && [ -x "$BIN" ]; then
  log "cached binary $BIN"
  echo "$BIN"; exit 0
fi

mkdir -p "$OUT_DIR"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
start=$(date +%s)
log "building kstatus-compute with sigs.k8s.io/cli-utils ${CLI_UTILS} (first build compiles k8s.io/api and apimachinery: a minute or two)"
# A temporary name per build: concurrent builds (two test runs) never see a half-written binary.
TMP="$BIN.tmp.$$"
( cd "$HERE" && go build -trimpath -ldflags "-s -w" -o "$TMP" . ) >&2
mv "$TMP" "$BIN"
echo "$WANT_STAMP" > "$STAMP"
log "done in $(( $(date +%s) - start ))s"
echo "$BIN"
