#!/usr/bin/env bash
# Starts the servers tests need on 127.0.0.1, once per run, and stops them.
#   services.sh start [NAME...|all]   start what is not running; prints the names it started
#   services.sh env                   print the environment of the running services
#   services.sh stop [NAME...]        stop (all by default)
#
# Adding a server is one step: write svc_<name>_start (run it in the foreground on $port),
# svc_<name>_ready and svc_<name>_env, and add <name> to ALL.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
STATE="$CACHE/services"
mkdir -p "$STATE"
ALL=(moto)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# moto_server: the AWS control plane (STS, SageMaker, Bedrock, SSM, CloudFormation...).
svc_moto_start() { exec "$CACHE/venv/bin/moto_server" -H 127.0.0.1 -p "$port"; }
svc_moto_ready() { curl -fsS "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1; }
svc_moto_env() {
  echo "NPCSTUDIO_TEST_MOTO_URL=http://127.0.0.1:$port"
}

running() { local n=$1; [ -f "$STATE/$n.pid" ] && kill -0 "$(cat "$STATE/$n.pid")" 2>/dev/null; }

start_one() {
  local n=$1
  if running "$n"; then return 0; fi
  port=$(free_port)
  echo "$port" >"$STATE/$n.port"
  log "starting $n on 127.0.0.1:$port"
  ( svc_"$n"_start ) >"$STATE/$n.log" 2>&1 &
  echo $! >"$STATE/$n.pid"
  for _ in $(seq 1 600); do
    if svc_"$n"_ready; then
      svc_"$n"_env >"$STATE/$n.env"
      echo "$n"
      return 0
    fi
    running "$n" || { tail -20 "$STATE/$n.log" >&2; die "$n exited while starting (log: $STATE/$n.log)"; }
    sleep 0.5
  done
  die "$n did not become ready in 5 minutes (log: $STATE/$n.log)"
}

stop_one() {
  local n=$1
  if running "$n"; then
    local pid
    pid=$(cat "$STATE/$n.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    log "stopped $n"
  fi
  rm -f "$STATE/$n.pid" "$STATE/$n.env" "$STATE/$n.port"
}

cmd=${1:-}
shift || true
names=("$@")
if [ ${#names[@]} -eq 0 ] || [ "${names[0]}" = all ]; then names=("${ALL[@]}"); fi
case "$cmd" in
  start)
    for n in "${names[@]}"; do
      port=""
      [ -f "$STATE/$n.port" ] && port=$(cat "$STATE/$n.port")
      start_one "$n"
    done
    if [ -t 1 ] || [ "${SERVICES_PRINT_ENV:-}" = 1 ]; then
      echo "# environment for the running services:" >&2
      cat "$STATE"/*.env 2>/dev/null | sed 's/^/export /' >&2
    fi
    ;;
  env)
    for n in "${ALL[@]}"; do if running "$n"; then cat "$STATE/$n.env"; fi; done ;;
  stop)
    for n in "${names[@]}"; do stop_one "$n"; done ;;
  *) die "usage: services.sh start|env|stop [NAME...]" ;;
esac
