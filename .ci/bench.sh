#!/usr/bin/env bash
# Benchmarks: Go testing.B over the backend, then whole-process figures for the desktop
# studio beside the bare Wails react-ts template, built and measured the same way in the
# same run: time from process start to the page being ready, idle memory (PSS) of the whole
# process tree (the app and WebKit's processes), and binary size. Results: .cache/bench/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
out="$CACHE/bench"
mkdir -p "$out"
RUNS=${RUNS:-5}

# pss_tree PID: the proportional set size of PID and all its descendants, in kB.
pss_tree() {
  local pids=($1) queue=($1) p kids
  while [ ${#queue[@]} -gt 0 ]; do
    p=${queue[0]}; queue=("${queue[@]:1}")
    kids=$(cat /proc/"$p"/task/*/children 2>/dev/null || true)
    for k in $kids; do pids+=("$k"); queue+=("$k"); done
  done
  local total=0 v
  for p in "${pids[@]}"; do
    v=$(awk '/^Pss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# measure NAME BIN: RUNS starts under Xvfb; prints ready ms per run and PSS after 5 s idle.
measure() {
  local name=$1 bin=$2 i
  for i in $(seq 1 "$RUNS"); do
    local data log
    data=$(mktemp -d)
    log="$data/stderr.log"
    sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
    NPCSTUDIO_DATA_DIR="$data" "$bin" 2>"$log" &
    local pid=$!
    local ms=""
    for _ in $(seq 1 200); do
      ms=$( { grep -ho 'window ready[^0-9]*[0-9]*' "$log" "$data/logs/npcstudio.log" 2>/dev/null || true; } | grep -o '[0-9]*$' | head -1 || true)
      [ -n "$ms" ] && break
      sleep 0.05
    done
    sleep 5
    local pss
    pss=$(pss_tree "$pid")
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$data"
    echo "$name run=$i ready_ms=${ms:-none} pss_kb=$pss"
  done
}

if [ "${1:-}" = --measure ]; then
  measure studio "$2"
  measure bare "$3"
  exit 0
fi

# AWS's own dataset validators run beside the studio's on the same files (BenchmarkValidateVsAWS)
# when a Python with pydantic 2 is at hand; else one is made in .cache/aws-venv.
for py in "$CACHE/venv/bin/python" "$CACHE/aws-venv/bin/python" python3; do
  if "$py" -c 'import sys, pydantic; sys.exit(int(pydantic.VERSION.split(".")[0]) < 2)' 2>/dev/null; then
    export NPCSTUDIO_PYTHON=$py NPCSTUDIO_AWS_VALIDATORS="$ROOT/.ci/aws-validators"
    break
  fi
done
if [ -z "${NPCSTUDIO_PYTHON:-}" ] && python3 -m venv "$CACHE/aws-venv" >/dev/null 2>&1 &&
  "$CACHE/aws-venv/bin/pip" install -q 'pydantic>=2,<3' >/dev/null 2>&1; then
  export NPCSTUDIO_PYTHON="$CACHE/aws-venv/bin/python" NPCSTUDIO_AWS_VALIDATORS="$ROOT/.ci/aws-validators"
fi

# PyTorch beside the built-in embedder (BenchmarkEmbedVsTorch): torch, transformers and tokenizers in
# .cache/torch-venv, made once (PyPI's Linux torch wheels bring the CUDA libraries: about 5.5 GB).
# NPCSTUDIO_NO_TORCH=1 skips the comparison.
if [ -z "${NPCSTUDIO_NO_TORCH:-}" ]; then
  if ! "$CACHE/torch-venv/bin/python" -c 'import torch, transformers, tokenizers' 2>/dev/null; then
    log "installing PyTorch into $CACHE/torch-venv for the embedder comparison"
    python3 -m venv "$CACHE/torch-venv" && "$CACHE/torch-venv/bin/pip" install -q torch transformers tokenizers safetensors >/dev/null 2>&1 || true
  fi
  if "$CACHE/torch-venv/bin/python" -c 'import torch, transformers, tokenizers' 2>/dev/null; then
    export NPCSTUDIO_TORCH_PYTHON="$CACHE/torch-venv/bin/python"
  fi
fi

# The test servers' environment, when they run (BenchmarkPush uploads to the MinIO; it skips without one).
set -a
eval "$(bash .ci/services.sh env)"
set +a

log "Go benchmarks"
go test -run '^$' -bench "${BENCH:-.}" -benchmem -benchtime "${BENCHTIME:-1x}" ./backend/... 2>&1 | tee "$out/go.txt" | grep -E '^(Benchmark|ok|FAIL|---)' || true

# The bare template, with one added hook that logs when its page is ready, as the studio does.
bare="$out/bare"
if [ ! -x "$bare/build/bin/bare" ]; then
  log "building the bare Wails react-ts template"
  rm -rf "$bare"
  (cd "$out" && wails init -n bare -t react-ts -q >/dev/null)
  cat >"$bare/bench_ready.go" <<'GO'
package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

var benchStart = time.Now()

func benchReady(context.Context) {
	fmt.Fprintf(os.Stderr, "window ready sinceStartMs=%d\n", time.Since(benchStart).Milliseconds())
}
GO
  sed -i 's/OnStartup:\( *\)app.startup,/OnStartup: app.startup, OnDomReady: benchReady,/' "$bare/main.go"
  grep -q benchReady "$bare/main.go" || die "could not hook the template's OnDomReady"
  webkit_tag=""
  pkg-config --exists webkit2gtk-4.0 || webkit_tag="-tags webkit2_41"
  (cd "$bare" && wails build $webkit_tag >"$out/bare-build.log" 2>&1) || { tail -20 "$out/bare-build.log"; die "the bare template did not build"; }
fi

log "whole-process measurements ($RUNS runs each, Xvfb 1280x820)"
RUNS=$RUNS xvfb-run -a -s "-screen 0 1280x820x24" bash "$0" --measure "$ROOT/build/bin/npcstudio" "$bare/build/bin/bare" | tee "$out/process.txt"

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
row() {
  local name=$1 bin=$2
  local ready pss size
  ready=$(grep "^$name " "$out/process.txt" | sed -n 's/.*ready_ms=\([0-9]*\).*/\1/p' | median)
  pss=$(grep "^$name " "$out/process.txt" | sed -n 's/.*pss_kb=\([0-9]*\).*/\1/p' | median)
  size=$(stat -c %s "$bin")
  awk -v n="$name" -v r="$ready" -v p="$pss" -v s="$size" 'BEGIN {printf "| %s | %s ms | %.1f MB | %.1f MB |\n", n, r, p/1024, s/1048576}'
}
{
  echo "| build | ready (median of $RUNS) | idle PSS, process tree (median) | binary |"
  echo "|---|---|---|---|"
  row studio "$ROOT/build/bin/npcstudio"
  row bare "$bare/build/bin/bare"
} | tee "$out/process.md"
