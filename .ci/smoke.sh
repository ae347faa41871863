#!/usr/bin/env bash
# Opens the built studio in a real window under Xvfb, waits for the page to be ready, takes a
# screenshot of the screen and fails if it is blank. Leaves the picture in .cache/artifacts.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
out="$CACHE/artifacts"
mkdir -p "$out"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export NPCSTUDIO_DATA_DIR="$data" SHOT="$out/desktop.png" BIN="$ROOT/build/bin/npcstudio"
xvfb-run -a -s "-screen 0 1280x820x24" bash -c '
  "$BIN" & pid=$!
  for i in $(seq 1 120); do
    grep -q "window ready" "$NPCSTUDIO_DATA_DIR/logs/npcstudio.log" 2>/dev/null && break
    kill -0 $pid 2>/dev/null || { echo "the studio exited before its window was ready" >&2; exit 1; }
    sleep 0.25
  done
  grep -q "window ready" "$NPCSTUDIO_DATA_DIR/logs/npcstudio.log" || { echo "no window after 30 s" >&2; kill $pid; exit 1; }
  sleep 1.5
  import -window root "$SHOT"
  kill $pid; wait $pid || true
'
colors=$(convert "$SHOT" -format %k info:)
grep -o '"msg":"window ready"[^}]*' "$data/logs/npcstudio.log" >&2 || true
[ "$colors" -ge 64 ] || die "the window looks blank ($colors colours in $SHOT)"
log "window screenshot $SHOT has $colors colours"
