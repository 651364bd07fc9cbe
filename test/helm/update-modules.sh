#!/usr/bin/env bash
# Regenerates the Go build module (go/go.mod, go/go.sum) for the version in versions.env.
# Run once per version bump and commit the result; build.sh then only runs `go build`.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod

rm -rf "$HERE/go"; mkdir -p "$HERE/go"
cd "$HERE/go"
go mod init elementrepl.invalid/test/helm >/dev/null 2>&1
go get -tool "helm.sh/helm/v4/cmd/helm@${HELM_VERSION}"
go mod tidy
echo "module updated for helm ${HELM_VERSION}" >&2
