#!/usr/bin/env bash
# Regenerates the TypeScript bindings from the Go services into frontend/src/bridge/wailsjs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
tags=""
pkg-config --exists webkit2gtk-4.0 2>/dev/null || tags="-tags webkit2_41"
wails generate module $tags >/dev/null
