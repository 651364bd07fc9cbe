#!/usr/bin/env bash
# Builds helm (the Helm CLI) from Go modules into a version-keyed cache directory outside the
# repository (test/lib/go-tool-cache.sh). Rebuilds only when the pinned version (or go.sum) changes.
# Prints the path of the helm binary on stdout; progress goes to stderr.
#
# Honours HELM_BIN: when it names an executable, nothing is built and it is printed as is.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"
# shellcheck source=../lib/go-tool-cache.sh
source "$HERE/../lib/go-tool-cache.sh"
TOOL=helm

go_tool_prebuilt HELM_BIN
go_tool_require_go "set HELM_BIN to a helm binary"
BIN="$(go_tool_dir "helm-${HELM_VERSION#v}")/helm"
STAMP="$HELM_VERSION $(sha256sum "$HERE/go/go.sum" | cut -c1-16)"
go_tool_cached "$BIN" "$STAMP"

go_tool_log "building helm ${HELM_VERSION} (first build: compiles several hundred packages; takes minutes)"
go_tool_build "$BIN" "$STAMP" "$HERE/go" \
  -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=${HELM_VERSION} -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
  helm.sh/helm/v4/cmd/helm
go_tool_log "$("$BIN" version --short 2>&1 | head -1)"
echo "$BIN"
