#!/usr/bin/env bash
# Runs Keyway on this machine: PostgreSQL, a Kafka broker (KRaft), the three services and the admin portal.
#
#   deploy/local/run.sh         start everything, wait until it is ready, print the URLs and the operator token;
#                               Ctrl-C (or SIGTERM) stops everything this run started
#   deploy/local/run.sh two-regions
#                               the same for two regions: region api as above, region eu with its own Kafka broker
#                               (127.0.0.1:9192), its own databases (keyway_eu_*) and sso/scim/import on 9081-9083
#                               (management 9011-9013), and MirrorMaker 2 mirroring the organization registry between
#                               the two brokers
#   deploy/local/run.sh infra   PostgreSQL and Kafka of region api only, for the services in dev mode
#                               (./mvnw quarkus:dev -pl sso-service; see README, "Developing")
#   deploy/local/run.sh down    stop what an earlier run left behind
#
# Where each service of each region runs (ports, database, base URLs) is deploy/regions.properties, which the tests and
# the chart's tests read too.
# PostgreSQL: the server on 127.0.0.1:5432 if there is one, otherwise Debian's package is installed and started.
# Each service gets its own database and role (keyway_sso, keyway_scim, keyway_imports, keyway_portal).
# Kafka: fetched from Maven Central on first use, run as its own process on 127.0.0.1, data under the state folder.
# The services inherit this environment, so any setting can be overridden the Quarkus way, e.g.
# KEYWAY_JUMPCLOUD_US_URL=http://localhost:9999 deploy/local/run.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# absolute, so it means the same from every folder the script or Maven works in
mkdir -p "${KEYWAY_STATE_DIR:-$ROOT/deploy/local/.state}"
STATE=$(cd "${KEYWAY_STATE_DIR:-$ROOT/deploy/local/.state}" && pwd)
# another wiring file runs a second stack beside this one (deploy/bench/regions-bench.properties: other ports, databases)
WIRING=${KEYWAY_WIRING:-$ROOT/deploy/regions.properties}
# JVM options of every service: deploy/local/jvm.options (why each: deploy/docs/deploy.md), unless KEYWAY_JAVA_OPTS
SERVICE_JAVA_OPTS=${KEYWAY_JAVA_OPTS:-$(cat "$ROOT/deploy/local/jvm.options")}
# The services run as in their images where there is a JDK of 25 or later: on it, each from an AOT cache trained on its
# jars, which halves their start-up; otherwise on the java of the PATH. KEYWAY_SERVICE_JAVA names another java (say, to
# compare JDK 17), which runs them without a cache.
AOT_CACHES=
if [ -n "${KEYWAY_SERVICE_JAVA:-}" ]; then
  SERVICE_JAVA=$KEYWAY_SERVICE_JAVA
elif SERVICE_JAVA=$("$ROOT/deploy/find-java.sh" 25 2>/dev/null); then
  AOT_CACHES=$STATE/aot
else
  SERVICE_JAVA=java
fi
wiring() { # key: its value in deploy/regions.properties
  local value
  value=$(sed -n "s/^$1=//p" "$WIRING")
  [ -n "$value" ] || { echo "${WIRING#"$ROOT"/} has no $1" >&2; exit 1; }
  echo "$value"
}
PG_PORT=5432
KAFKA_PORT=${KEYWAY_KAFKA_PORT:-$(wiring api.kafka.port)}
KAFKA_CONTROLLER_PORT=${KEYWAY_KAFKA_CONTROLLER_PORT:-$(wiring api.kafka.controller-port)}
EU_KAFKA_PORT=${KEYWAY_EU_KAFKA_PORT:-$(wiring eu.kafka.port)}
EU_KAFKA_CONTROLLER_PORT=${KEYWAY_EU_KAFKA_CONTROLLER_PORT:-$(wiring eu.kafka.controller-port)}
# Health, metrics and OpenAPI are served on each service's management port only.
IFS=, read -r -a SERVICES <<<"$(wiring services)"
REGIONS=(api)

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "error: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_until() { # description seconds command...
  local what=$1 seconds=$2 i
  shift 2
  for ((i = 0; i < seconds * 4; i++)); do
    "$@" && return 0
    sleep 0.25
  done
  die "$what is not ready after ${seconds}s"
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pidfile() { # pidfile name
  if alive "$1"; then
    local pid i
    pid=$(cat "$1")
    log "Stopping $2"
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

# --- PostgreSQL ----------------------------------------------------------------------------------------------

start_postgres() {
  if port_open "$PG_PORT"; then
    log "PostgreSQL: using the server on 127.0.0.1:$PG_PORT"
    return
  fi
  if ! command -v pg_lsclusters >/dev/null; then
    log "PostgreSQL: installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
  fi
  local version
  version=$(pg_lsclusters -h | awk '$2 == "main" { print $1; exit }')
  if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    pg_createcluster "$version" main >/dev/null
  fi
  log "PostgreSQL: starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  echo "$version" >"$STATE/postgres-started"
  wait_until PostgreSQL 30 port_open "$PG_PORT"
}

psql_admin() {
  if id postgres >/dev/null 2>&1 && [ -S "/var/run/postgresql/.s.PGSQL.$PG_PORT" ]; then
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"
  else
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "${KEYWAY_PG_ADMIN_USER:-postgres}" -d postgres "$@"
  fi
}

prepare_databases() {
  local name role region
  for region in "${REGIONS[@]}"; do
  for name in "${SERVICES[@]}"; do
    role=$(wiring "$region.$name.database")
    # local development only: the password is the role name (services default to it in application.properties)
    psql_admin >/dev/null <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = '$role') then
    create role $role login password '$role';
  end if;
end \$\$;
select 'create database $role owner $role' where not exists (select from pg_database where datname = '$role') \gexec
SQL
  done
  done
}

stop_postgres() {
  if [ -f "$STATE/postgres-started" ]; then
    log "Stopping PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(cat "$STATE/postgres-started")" main stop || true
    rm -f "$STATE/postgres-started"
  fi
}

# --- Kafka ---------------------------------------------------------------------------------------------------

fetch_libs() { # pom folder what; fetched again when the pom (its version) changes
  local wanted
  wanted=$(sha256sum "$1/pom.xml" | cut -d' ' -f1)
  if [ "$(cat "$2/libs/.pom.sha256" 2>/dev/null)" != "$wanted" ]; then
    log "$3: fetching it from Maven Central"
    rm -rf "$2/libs" "$2/libs.tmp"
    "$ROOT/mvnw" -B -q -f "$1/pom.xml" dependency:copy-dependencies -DoutputDirectory="$2/libs.tmp"
    echo "$wanted" >"$2/libs.tmp/.pom.sha256"
    mv "$2/libs.tmp" "$2/libs"
  fi
}

start_kafka() { # folder port controller-port
  local dir=$STATE/$1 port=$2 controller=$3
  mkdir -p "$dir"
  if alive "$dir/pid"; then
    log "Kafka: already running on 127.0.0.1:$port"
    return
  fi
  port_open "$port" && die "port $port is taken; set KEYWAY_KAFKA_PORT (or KEYWAY_EU_KAFKA_PORT) to another"
  fetch_libs "$ROOT/deploy/kafka" "$STATE/kafka" "Kafka"
  sed -e "s#@PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$controller#g" -e "s#@DATA@#$dir/data#g" \
    "$ROOT/deploy/kafka/server.properties" >"$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    java -cp "$STATE/kafka/libs/*" kafka.tools.StorageTool format \
      -t "$(java -cp "$STATE/kafka/libs/*" kafka.tools.StorageTool random-uuid)" -c "$dir/server.properties" >/dev/null
  fi
  log "Kafka: starting a KRaft broker on 127.0.0.1:$port"
  setsid nohup java -Xms256m -Xmx512m -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties" \
    -Dkafka.logs.file="$dir/broker.log" -cp "$STATE/kafka/libs/*" kafka.Kafka "$dir/server.properties" \
    >"$dir/console.log" 2>&1 &
  echo $! >"$dir/pid"
  wait_until Kafka 60 port_open "$port"
}

# MirrorMaker 2 (deploy/kafka/mm2.properties): the organization registry, and only it, between the two brokers
start_mirror_maker() {
  local dir=$STATE/mirror-maker
  mkdir -p "$dir"
  alive "$dir/pid" && return
  fetch_libs "$ROOT/deploy/kafka/mirror-maker" "$dir" "MirrorMaker 2"
  sed -e "s#@API_BOOTSTRAP@#127.0.0.1:$KAFKA_PORT#" -e "s#@EU_BOOTSTRAP@#127.0.0.1:$EU_KAFKA_PORT#" \
    -e "s#@REPLICATION_FACTOR@#1#" "$ROOT/deploy/kafka/mm2.properties" >"$dir/mm2.properties"
  log "MirrorMaker 2: mirroring keyway.orgs.v1 between the api and eu brokers"
  setsid nohup java -Xms128m -Xmx384m -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties" \
    -Dkafka.logs.file="$dir/mirror-maker.log" -cp "$dir/libs/*" org.apache.kafka.connect.mirror.MirrorMaker \
    "$dir/mm2.properties" >"$dir/console.log" 2>&1 &
  echo $! >"$dir/pid"
}

# --- services ------------------------------------------------------------------------------------------------

# what the services' jars are built from (their sources, not the modules' folders, which the build's output changes)
SOURCES=(pom.xml)
for module in common-model service-runtime sso-service scim-service import-service admin-portal; do
  SOURCES+=("$module/pom.xml" "$module/src")
done

built() { # every service's jar is there, and no source changed since the last build
  local name
  [ -f "$STATE/built" ] || return 1
  for name in "${SERVICES[@]}"; do [ -f "$ROOT/$name/target/quarkus-app/quarkus-run.jar" ] || return 1; done
  [ -z "$(cd "$ROOT" && find "${SOURCES[@]}" -newer "$STATE/built" -print -quit)" ]
}

build() { # only when needed: packaging rewrites every jar, and the AOT caches trained on them are lost with them
  if built; then
    log "The services are built: no source changed since $(date -r "$STATE/built" '+%F %H:%M')"
    return
  fi
  log "Building the services (mvnw package)"
  touch "$STATE/built.next"
  "$ROOT/mvnw" -B -q package -DskipTests -pl sso-service,scim-service,import-service,admin-portal -am
  mv "$STATE/built.next" "$STATE/built"
}

train() { # each service's AOT cache, as its image has one, unless the one it has was trained on the jars it runs
  [ -n "$AOT_CACHES" ] || return 0
  mkdir -p "$AOT_CACHES"
  local name app cache pid pids=()
  for name in "${SERVICES[@]}"; do
    app=$ROOT/$name/target/quarkus-app
    cache=$AOT_CACHES/$name.aot
    [ -f "$cache" ] && [ -z "$(find "$app" -newer "$cache" -print -quit)" ] && continue
    log "Training the AOT cache of $name (deploy/docker/train-aot.sh)"
    PATH=$(dirname "$SERVICE_JAVA"):$PATH "$ROOT/deploy/docker/train-aot.sh" "$app" "$cache" "$SERVICE_JAVA_OPTS" >/dev/null &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || die "an AOT cache could not be trained (the service's log is above)"; done
}

aot_cache() { # service: the JVM option that starts it from its AOT cache, if it has one
  if [ -n "$AOT_CACHES" ] && [ -f "$AOT_CACHES/$1.aot" ]; then echo "-XX:AOTCache=$AOT_CACHES/$1.aot"; fi
}

service_ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/q/health/ready"; } # management port

encryption_key() {
  if [ ! -f "$STATE/encryption.key" ]; then
    (umask 077 && echo "local:$(head -c 32 /dev/urandom | base64)" >"$STATE/encryption.key")
  fi
}

start_services() {
  mkdir -p "$STATE/logs" "$STATE/pids"
  encryption_key
  export KEYWAY_OPERATOR_TOKEN=${KEYWAY_OPERATOR_TOKEN:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
  export KEYWAY_ENCRYPTION_KEYS=${KEYWAY_ENCRYPTION_KEYS:-$(cat "$STATE/encryption.key")}
  local name port management region db kafka
  for region in "${REGIONS[@]}"; do
    for name in "${SERVICES[@]}"; do
      port=$(wiring "$region.$name.port")
      management=$(wiring "$region.$name.management-port")
      db=$(wiring "$region.$name.database")
      if [ "$region" = api ]; then kafka=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}; else kafka=127.0.0.1:$EU_KAFKA_PORT; fi
      stop_pidfile "$STATE/pids/$region-$name" "$name of $region (left from an earlier run)"
      port_open "$port" && die "port $port is taken; is another Keyway running?"
      port_open "$management" && die "port $management is taken; is another Keyway running?"
      log "Starting $name of $region on :$port (log: ${STATE#"$ROOT"/}/logs/$region-$name.log)"
      # the production profile, wired as deploy/regions.properties says (local only: the database password is the
      # role name); owner tokens are verified with the keys the region's sso-service publishes; back-channel logouts
      # and pushed SETs may go to apps on this machine (loopback), which production refuses
      KEYWAY_DEPLOYMENT_REGION=$region QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management \
        KEYWAY_DEPLOYMENT_URLS_API=$(wiring "api.$name.url") KEYWAY_DEPLOYMENT_URLS_EU=$(wiring "eu.$name.url") \
        KAFKA_BOOTSTRAP_SERVERS=$kafka \
        QUARKUS_DATASOURCE_USERNAME=$db QUARKUS_DATASOURCE_PASSWORD=$db \
        QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$PG_PORT/$db \
        QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/$db \
        MP_JWT_VERIFY_PUBLICKEY_LOCATION=http://127.0.0.1:$(wiring "$region.sso-service.port")/.well-known/jwks.json \
        KEYWAY_OIDC_LOGOUT_ALLOWED_RANGES=127.0.0.0/8 KEYWAY_EVENTS_PUSH_ALLOWED_RANGES=127.0.0.0/8 \
        KEYWAY_PORTAL_SSO_URL=$(wiring "$region.sso-service.url") KEYWAY_PORTAL_SCIM_URL=$(wiring "$region.scim-service.url") \
        KEYWAY_PORTAL_IMPORTS_URL=$(wiring "$region.import-service.url") \
        MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} setsid nohup "$SERVICE_JAVA" $SERVICE_JAVA_OPTS $(aot_cache "$name") \
        -jar "$ROOT/$name/target/quarkus-app/quarkus-run.jar" \
        >"$STATE/logs/$region-$name.log" 2>&1 &
      echo $! >"$STATE/pids/$region-$name"
    done
  done
  for region in "${REGIONS[@]}"; do
    for name in "${SERVICES[@]}"; do
      wait_for_service "$name" "$region"
    done
  done
}

wait_for_service() { # name region: ready, or stop with the end of its log and what it most likely means
  local name=$1 region=$2 i log="$STATE/logs/$2-$1.log"
  for ((i = 0; i < 120 * 4; i++)); do
    service_ready "$(wiring "$region.$name.management-port")" && return 0
    alive "$STATE/pids/$region-$name" || break
    sleep 0.25
  done
  tail -n 20 "$log" >&2
  if grep -q "does not open in context\|which is no longer configured" "$log"; then
    echo "The database holds secrets sealed with another encryption key (another checkout's" \
      "${STATE#"$ROOT"/}/encryption.key?): set KEYWAY_ENCRYPTION_KEYS to that key, or drop the keyway_* databases." >&2
  fi
  die "$name of $region is not ready (the end of its log is above)"
}

stop_services() {
  local i name region
  for region in eu api; do
    for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
      name=${SERVICES[$i]}
      stop_pidfile "$STATE/pids/$region-$name" "$name of $region"
    done
  done
}

down() {
  stop_services
  stop_pidfile "$STATE/mirror-maker/pid" "MirrorMaker 2"
  stop_pidfile "$STATE/kafka-eu/pid" "Kafka of eu"
  stop_pidfile "$STATE/kafka/pid" Kafka
  stop_postgres
}

# --- main ----------------------------------------------------------------------------------------------------

mkdir -p "$STATE"
case "${1:-up}" in
  down) down; exit 0 ;;
  two-regions) IFS=, read -r -a REGIONS <<<"$(wiring regions)" ;;
  up | infra) ;;
  *) die "usage: run.sh [up|two-regions|infra|down]" ;;
esac

started=$(date +%s)
# whatever ends this run (Ctrl-C, a start that fails, a service that dies) stops what it started: a half-started stack
# would keep its ports and make the next run fail for another reason
trap down EXIT
trap 'echo; exit 0' INT TERM
start_postgres
prepare_databases
start_kafka kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
if [ ${#REGIONS[@]} -eq 2 ]; then
  start_kafka kafka-eu "$EU_KAFKA_PORT" "$EU_KAFKA_CONTROLLER_PORT"
  start_mirror_maker
fi
if [ "${1:-up}" = infra ]; then
  encryption_key
  cat <<EOF

PostgreSQL (127.0.0.1:$PG_PORT; databases keyway_sso, keyway_scim, keyway_imports, keyway_portal) and Kafka (127.0.0.1:$KAFKA_PORT)
are running. Run a service in dev mode in another terminal, from $ROOT:
  export KEYWAY_ENCRYPTION_KEYS=\$(cat ${STATE#"$ROOT"/}/encryption.key)
  ./mvnw quarkus:dev -pl sso-service      (scim-service, import-service: each in a terminal of its own)

Ctrl-C stops what this run started.
EOF
  while true; do sleep 3600 & wait $!; done
fi
build
train
start_services

describe() { # service: what it serves
  case $1 in
    sso-service) echo "SAML, sessions, organizations; JWKS at /.well-known/jwks.json" ;;
    scim-service) echo "SCIM 2.0 at /scim/v2" ;;
    import-service) echo "JumpCloud directory import" ;;
    admin-portal) echo "the IT admin's pages, opened from a setup link" ;;
  esac
}
echo
echo "Keyway is running (ready in $(($(date +%s) - started)) s), region${REGIONS[1]:+s} ${REGIONS[*]}:"
management=()
for name in "${SERVICES[@]}"; do
  printf '  %-15s http://127.0.0.1:%s   (%s)\n' "$name" "$(wiring "api.$name.port")" "$(describe "$name")"
  management+=(":$(wiring "api.$name.management-port")")
done
echo "  health /q/health/ready · metrics /q/metrics · OpenAPI /q/openapi on the management ports ${management[*]}"
if [ -n "${REGIONS[1]:-}" ]; then
  last=${SERVICES[${#SERVICES[@]} - 1]}
  echo "  region eu: the same on :$(wiring eu.sso-service.port) to :$(wiring "eu.$last.port"), management" \
    ":$(wiring eu.sso-service.management-port) to :$(wiring "eu.$last.management-port") (Kafka 127.0.0.1:$EU_KAFKA_PORT," \
    "MirrorMaker 2 between the two)"
fi
cat <<EOF

Operator token: $KEYWAY_OPERATOR_TOKEN
  curl -H "Authorization: Bearer \$KEYWAY_OPERATOR_TOKEN" -H 'Content-Type: application/json' \\
       -d '{"slug":"acme","displayName":"Acme","region":"api"}' http://127.0.0.1:$(wiring api.sso-service.port)/admin/orgs
EOF
if [[ " ${SERVICES[*]} " == *" admin-portal "* ]]; then
  cat <<EOF
  curl -H "Authorization: Bearer \$KEYWAY_OPERATOR_TOKEN" -H 'Content-Type: application/json' \\
       -d '{"org":"acme","scopes":["sso","scim","imports","domains","logs"],"expiresIn":"PT4H"}' \\
       http://127.0.0.1:$(wiring api.admin-portal.port)/admin/setup-links      (a setup link for acme's IT admin: open its "url")
EOF
fi
printf '\nCtrl-C stops everything this run started.\n'

# stay in the foreground until interrupted, or until a service dies
pids=()
for region in "${REGIONS[@]}"; do
  for name in "${SERVICES[@]}"; do pids+=("$(cat "$STATE/pids/$region-$name")"); done
done
set +e
wait -n "${pids[@]}"
log "a service exited; see $STATE/logs"
exit 1
