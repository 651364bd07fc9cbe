#!/usr/bin/env bash
# Builds kstatus-compute (main.go: the kstatus library's Compute over objects on stdin) into a
# version-keyed cache directory outside the repository (test/lib/go-tool-cache.sh). Rebuilds only
# when go.mod/go.sum (the pinned cli-utils and apimachinery), main.go or the Go version change.
# Prints the binary's path on stdout; progress goes to stderr.
#
# Honours KSTATUS_COMPUTE: when it names an executable, nothing is built and it is printed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/go-tool-cache.sh
source "$HERE/../lib/go-tool-cache.sh"
TOOL=kstatus

go_tool_prebuilt KSTATUS_COMPUTE
go_tool_require_go "set KSTATUS_COMPUTE to a built one"
CLI_UTILS="$(sed -n 's#^[[:space:]]*sigs\.k8s\.io/cli-utils[[:space:]]\{1,\}\(v[^ ]*\).*#\1#p' "$HERE/go.mod")"
[ -n "$CLI_UTILS" ] || { echo "error: no sigs.k8s.io/cli-utils version in $HERE/go.mod" >&2; exit 1; }
BIN="$(go_tool_dir "kstatus-cli-utils-${CLI_UTILS#v}")/kstatus-compute"
STAMP="$CLI_UTILS $(go env GOVERSION) $(cd "$HERE" && sha256sum go.mod go.sum main.go | sha256sum | cut -c1-16)"
go_tool_cached "$BIN" "$STAMP"

go_tool_log "building kstatus-compute with sigs.k8s.io/cli-utils ${CLI_UTILS} (first build compiles k8s.io/api and apimachinery: a minute or two)"
go_tool_build "$BIN" "$STAMP" "$HERE" -ldflags "-s -w" .
echo "$BIN"
