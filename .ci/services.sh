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
ALL=(moto opensearch minio)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# moto_server: the AWS control plane (STS, SageMaker, Bedrock, SSM, CloudFormation...).
svc_moto_start() { exec "$CACHE/venv/bin/moto_server" -H 127.0.0.1 -p "$port"; }
svc_moto_ready() { curl -fsS "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1; }
svc_moto_env() {
  echo "NPCSTUDIO_TEST_MOTO_URL=http://127.0.0.1:$port"
}

# OpenSearch 2.19 with the k-NN plugin: the team vector index (backend/lore). The integ-test
# distribution has no security plugin, so plain HTTP without auth; one node, small heap.
OPENSEARCH_VERSION=2.19.6
OPENSEARCH_HOME="$CACHE/opensearch/opensearch-$OPENSEARCH_VERSION"
# The integ-test zip carries no JDK: use the machine's (17 or newer).
opensearch_java() {
  [ -n "${OPENSEARCH_JAVA_HOME:-}" ] && return 0
  command -v java >/dev/null || die "a JDK 17 is needed to run OpenSearch (apt-get install openjdk-17-jdk-headless)"
  OPENSEARCH_JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  export OPENSEARCH_JAVA_HOME
}
opensearch_install() {
  [ -d "$OPENSEARCH_HOME/plugins/opensearch-knn" ] && return 0
  command -v mvn >/dev/null || die "mvn is needed to fetch OpenSearch from Maven Central (apt-get install maven)"
  opensearch_java
  local dl="$CACHE/opensearch/download"
  mkdir -p "$dl"
  log "fetching OpenSearch $OPENSEARCH_VERSION and its k-NN plugin from Maven Central"
  local a
  for a in "org.opensearch.distribution.integ-test-zip:opensearch:$OPENSEARCH_VERSION:zip" \
           "org.opensearch.plugin:opensearch-knn:$OPENSEARCH_VERSION.0:zip"; do
    mvn -q -B -Dmaven.repo.local="$CACHE/m2" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$a" -DoutputDirectory="$dl" -Dmdep.overWriteIfNewer=true >&2
  done
  rm -rf "$OPENSEARCH_HOME.tmp" && mkdir -p "$OPENSEARCH_HOME.tmp"
  unzip -q "$dl/opensearch-$OPENSEARCH_VERSION.zip" -d "$OPENSEARCH_HOME.tmp"
  local home="$OPENSEARCH_HOME.tmp/opensearch-$OPENSEARCH_VERSION"
  # k-NN extends lang-painless, a module the integ-test zip leaves out and whose own zip is
  # not published: assemble the module from its Maven jars.
  local painless="$home/modules/lang-painless"
  mkdir -p "$painless"
  cat >"$dl/painless-pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>npcstudio.ci</groupId><artifactId>painless</artifactId><version>1</version>
  <dependencies><dependency>
    <groupId>org.opensearch.plugin</groupId><artifactId>lang-painless</artifactId><version>$OPENSEARCH_VERSION</version>
  </dependency></dependencies>
</project>
EOF
  mvn -q -B -f "$dl/painless-pom.xml" -Dmaven.repo.local="$CACHE/m2" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies -DoutputDirectory="$painless" \
    -DincludeArtifactIds=lang-painless,opensearch-scripting-painless-spi,antlr4-runtime,asm,asm-util,asm-tree,asm-commons,asm-analysis >&2
  cat >"$painless/plugin-descriptor.properties" <<EOF
description=An easy, safe and fast scripting language for OpenSearch
version=$OPENSEARCH_VERSION
name=lang-painless
classname=org.opensearch.painless.PainlessPlugin
java.version=11
opensearch.version=$OPENSEARCH_VERSION
extended.plugins=
has.native.controller=false
EOF
  cat >"$painless/plugin-security.policy" <<'EOF'
grant {
  permission java.lang.RuntimePermission "createClassLoader";
  permission java.lang.RuntimePermission "getClassLoader";
};
EOF
  "$home/bin/opensearch-plugin" install --batch "file:$dl/opensearch-knn-$OPENSEARCH_VERSION.0.zip" >&2
  mv "$home" "$OPENSEARCH_HOME" && rm -rf "$OPENSEARCH_HOME.tmp"
}
svc_opensearch_start() {
  opensearch_install
  opensearch_java
  # A fresh node each run: data, logs and config live in the state folder. OpenSearch refuses
  # to run as root, so as root it runs as nobody, which owns only that folder.
  local run="$STATE/opensearch-node"
  rm -rf "$run" && mkdir -p "$run/data" "$run/logs" "$run/tmp"
  cp -r "$OPENSEARCH_HOME/config" "$run/config"
  # jvm.options puts GC logs and heap dumps under the (read-only) install folder.
  sed -i "s#logs/#$run/logs/#g; s#HeapDumpPath=data#HeapDumpPath=$run/data#" "$run/config/jvm.options"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown -R nobody:nogroup "$run"
    as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  fi
  export OPENSEARCH_PATH_CONF="$run/config" OPENSEARCH_TMPDIR="$run/tmp"
  export OPENSEARCH_JAVA_OPTS="-Xms512m -Xmx512m"
  exec "${as[@]}" "$OPENSEARCH_HOME/bin/opensearch" \
    -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 -Ehttp.port="$port" \
    -Etransport.port="$(free_port)" -Epath.data="$run/data" -Epath.logs="$run/logs" \
    -Ecluster.routing.allocation.disk.threshold_enabled=false
}
svc_opensearch_ready() { curl -fsS "http://127.0.0.1:$port/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; }
svc_opensearch_env() {
  echo "NPCSTUDIO_TEST_OPENSEARCH_URL=http://127.0.0.1:$port"
}

# MinIO: the S3 side (real multipart, SHA-256 checksums, versioning, bucket notifications).
# Built from source by deps.sh; a fresh data folder each run.
MINIO_USER=npcstudio-test
MINIO_PASSWORD=npcstudio-test-secret
svc_minio_start() {
  [ -x "$CACHE/bin/minio" ] || die "no MinIO binary in $CACHE/bin: run .ci/deps.sh"
  rm -rf "$STATE/minio-data" && mkdir -p "$STATE/minio-data"
  export MINIO_ROOT_USER=$MINIO_USER MINIO_ROOT_PASSWORD=$MINIO_PASSWORD MINIO_BROWSER=off
  exec "$CACHE/bin/minio" server --quiet --address "127.0.0.1:$port" --console-address "127.0.0.1:$(free_port)" "$STATE/minio-data"
}
svc_minio_ready() { curl -fsS "http://127.0.0.1:$port/minio/health/ready" >/dev/null 2>&1; }
svc_minio_env() {
  echo "NPCSTUDIO_TEST_S3_URL=http://127.0.0.1:$port"
  echo "NPCSTUDIO_TEST_S3_ACCESS_KEY=$MINIO_USER"
  echo "NPCSTUDIO_TEST_S3_SECRET_KEY=$MINIO_PASSWORD"
  # Tests that need a server of their own (bucket notifications to their own webhook) start this.
  echo "NPCSTUDIO_TEST_MINIO_BIN=$CACHE/bin/minio"
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
