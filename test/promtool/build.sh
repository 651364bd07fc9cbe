#!/usr/bin/env bash
# Builds promtool (Prometheus' rule checker and rule unit tester) from Go modules into a
# version-keyed cache directory outside the repository (test/lib/go-tool-cache.sh). Rebuilds only
# when the pinned version (or go.sum) changes. Prints the path of the promtool binary on stdout;
# progress goes to stderr.
#
# Honours PROMTOOL: when it names an executable, nothing is built and it is printed as is.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"
# shellcheck source=../lib/go-tool-cache.sh
source "$HERE/../lib/go-tool-cache.sh"
TOOL=promtool

go_tool_prebuilt PROMTOOL
go_tool_require_go "set PROMTOOL to a promtool binary"
BIN="$(go_tool_dir "promtool-${PROMETHEUS_MODULE_VERSION#v}")/promtool"
STAMP="$PROMETHEUS_MODULE_VERSION $(sha256sum "$HERE/go/go.sum" | cut -c1-16)"
go_tool_cached "$BIN" "$STAMP"

# Module v0.X.Y is Prometheus v3.X.Y (the project's Go module numbering since 3.0).
MV="${PROMETHEUS_MODULE_VERSION#v0.}"; PROM_VERSION="3.${MV:1}"
[ "${MV:0:1}" = 3 ] || PROM_VERSION="$PROMETHEUS_MODULE_VERSION"
# remove_all_sd drops the cloud service-discovery plugins (AWS, Azure, GCE, ...): promtool's rule
# commands do not use them, and they are most of the compile time.
go_tool_log "building promtool ${PROM_VERSION} (first build: compiles several hundred packages; takes minutes)"
go_tool_build "$BIN" "$STAMP" "$HERE/go" -tags=remove_all_sd,netgo \
  -ldflags "-s -w -X github.com/prometheus/common/version.Version=${PROM_VERSION}" \
  github.com/prometheus/prometheus/cmd/promtool
go_tool_log "$("$BIN" --version 2>&1 | head -1)"
echo "$BIN"
