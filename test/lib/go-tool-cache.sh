# Shared by the build scripts of the Go tools the tests use (helm, promtool, the kstatus helper):
# a prebuilt binary named by an environment variable wins; otherwise the binary lives in a
# version-keyed directory under the cache shared with the control-plane binaries, is rebuilt only
# when its stamp changes, and is written under a temporary name so that two concurrent builds never
# see a half-written binary. Source it, set TOOL (log name), then call the functions in order.
# shellcheck shell=bash

go_tool_log() { printf '[%s build] %s\n' "$TOOL" "$*" >&2; }

# go_tool_prebuilt VAR: when $VAR names an executable, print it and exit; when it names anything else, fail.
go_tool_prebuilt() {
  local var="$1" value="${!1:-}"
  [ -n "$value" ] || return 0
  [ -x "$value" ] || { echo "error: $var=$value is not an executable" >&2; exit 1; }
  go_tool_log "using $var=$value"
  echo "$value"; exit 0
}

# go_tool_require_go HINT: Go must be on PATH (HINT says what to set instead).
go_tool_require_go() {
  command -v go >/dev/null || { echo "error: Go is needed to build $TOOL (or $1)" >&2; exit 1; }
}

# go_tool_dir KEY: the cache directory for this tool and version key (prints it).
go_tool_dir() {
  local root="${ELEMENTREPL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/elementrepl-envtest}"
  echo "$root/$1-$(go env GOOS)-$(go env GOARCH)"
}

# go_tool_cached BIN STAMP: when BIN exists and its directory's stamp is STAMP, print BIN and exit.
go_tool_cached() {
  local bin="$1" stamp="$2" file
  file="$(dirname "$bin")/.stamp"
  if [ -f "$file" ] && [ "$(cat "$file")" = "$stamp" ] && [ -x "$bin" ]; then
    go_tool_log "cached $bin"
    echo "$bin"; exit 0
  fi
}

# go_tool_build BIN STAMP DIR GO_BUILD_ARGS...: `go build GO_BUILD_ARGS -o <tmp>` in DIR, then BIN and the stamp.
go_tool_build() {
  local bin="$1" stamp="$2" dir="$3" start tmp
  shift 3
  mkdir -p "$(dirname "$bin")"
  start=$(date +%s)
  tmp="$bin.tmp.$$"
  ( cd "$dir" && GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -o "$tmp" "$@" ) >&2
  mv "$tmp" "$bin"
  echo "$stamp" > "$(dirname "$bin")/.stamp"
  go_tool_log "done in $(( $(date +%s) - start ))s"
}
