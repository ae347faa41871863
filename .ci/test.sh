#!/usr/bin/env bash
# Every test: Go (unit and integration against real servers), the frontend (type-check,
# vitest, build), the generated bindings, end-to-end flows in Chromium against the real
# services, and the desktop window under Xvfb. Stops the servers it started.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

started=()
cleanup() {
  if [ ${#started[@]} -gt 0 ]; then bash .ci/services.sh stop "${started[@]}" || true; fi
}
trap cleanup EXIT

fail=0
step() { log "$1"; }

step "go vet"
go vet ./...

step "generated bindings are up to date"
bash .ci/bindings.sh
if ! git diff --quiet -- frontend/src/bridge/wailsjs || [ -n "$(git status --porcelain -- frontend/src/bridge/wailsjs)" ]; then
  git status --short -- frontend/src/bridge/wailsjs
  die "frontend/src/bridge/wailsjs differs from the Go services: run 'make bindings' and commit"
fi

step "frontend: type-check, unit tests, build"
(cd frontend && npx tsc --noEmit && npx vitest run && npm run --silent clean && npx vite build --logLevel warn)

step "servers"
mapfile -t started < <(bash .ci/services.sh start all)
set -a
eval "$(bash .ci/services.sh env)"
set +a
export NPCSTUDIO_REQUIRE_SERVICES=1

step "go test, then the race detector (under a D-Bus session with a real Secret Service keychain)"
export NPCSTUDIO_TEST_KEYCHAIN=1
# The test keyring lives in a throwaway folder, never in the user's own keyring.
keyrings=$(mktemp -d)
dbus-run-session -- bash -c '
  set -euo pipefail
  printf "npcstudio-test" | XDG_DATA_HOME="$1" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  go test -count=1 -timeout 20m ./...
  make --no-print-directory race
' _ "$keyrings"
rm -rf "$keyrings"
unset NPCSTUDIO_TEST_KEYCHAIN

step "build the studio"
make --no-print-directory build
# The other web view flavour must compile too (distros with only webkit2gtk-4.1).
if pkg-config --exists webkit2gtk-4.0 && pkg-config --exists webkit2gtk-4.1; then
  go build -tags desktop,production,webkit2_41 -o /dev/null .
fi

step "end-to-end: Chromium against npcstudio serve"
(cd frontend && NPCSTUDIO_BIN="$ROOT/build/bin/npcstudio" npx vitest run --config vitest.e2e.config.ts)

step "desktop: the window under Xvfb"
bash .ci/smoke.sh

log "all tests passed"
