#!/usr/bin/env bash
# Runs Keyway on this machine: PostgreSQL, a Kafka broker (KRaft) and the three services.
#
#   deploy/local/run.sh         start everything, wait until it is ready, print the URLs and the operator token;
#                               Ctrl-C (or SIGTERM) stops everything this run started
#   deploy/local/run.sh down    stop what an earlier run left behind
#
# PostgreSQL: the server on 127.0.0.1:5432 if there is one, otherwise Debian's package is installed and started.
# Each service gets its own database and role (keyway_sso, keyway_scim, keyway_imports).
# Kafka: fetched from Maven Central on first use, run as its own process on 127.0.0.1, data under the state folder.
# The services inherit this environment, so any setting can be overridden the Quarkus way, e.g.
# KEYWAY_JUMPCLOUD_US_URL=http://localhost:9999 deploy/local/run.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STATE=${KEYWAY_STATE_DIR:-$ROOT/deploy/local/.state}
PG_PORT=5432
KAFKA_PORT=${KEYWAY_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KEYWAY_KAFKA_CONTROLLER_PORT:-9093}
# name:port:schema — the schema names the database and role too (keyway_<schema>)
SERVICES=(sso-service:8081:sso scim-service:8082:scim import-service:8083:imports)

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
  local entry name port schema role
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name port schema <<<"$entry"
    role=keyway_$schema
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
}

stop_postgres() {
  if [ -f "$STATE/postgres-started" ]; then
    log "Stopping PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(cat "$STATE/postgres-started")" main stop || true
    rm -f "$STATE/postgres-started"
  fi
}

# --- Kafka ---------------------------------------------------------------------------------------------------

start_kafka() {
  local dir=$STATE/kafka
  mkdir -p "$dir"
  if alive "$dir/pid"; then
    log "Kafka: already running on 127.0.0.1:$KAFKA_PORT"
    return
  fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken; set KEYWAY_KAFKA_PORT to another"
  if [ ! -d "$dir/libs" ]; then
    log "Kafka: fetching the broker from Maven Central"
    "$ROOT/mvnw" -B -q -f "$ROOT/deploy/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$dir/libs.tmp"
    mv "$dir/libs.tmp" "$dir/libs"
  fi
  sed -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" -e "s#@DATA@#$dir/data#g" \
    "$ROOT/deploy/kafka/server.properties" >"$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    java -cp "$dir/libs/*" kafka.tools.StorageTool format -t "$(java -cp "$dir/libs/*" kafka.tools.StorageTool random-uuid)" \
      -c "$dir/server.properties" >/dev/null
  fi
  log "Kafka: starting a KRaft broker on 127.0.0.1:$KAFKA_PORT"
  setsid nohup java -Xms256m -Xmx512m -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties" \
    -Dkafka.logs.file="$dir/broker.log" -cp "$dir/libs/*" kafka.Kafka "$dir/server.properties" \
    >"$dir/console.log" 2>&1 &
  echo $! >"$dir/pid"
  wait_until Kafka 60 port_open "$KAFKA_PORT"
}

# --- services ------------------------------------------------------------------------------------------------

build() {
  log "Building the services (mvnw package)"
  "$ROOT/mvnw" -B -q package -DskipTests -pl sso-service,scim-service,import-service -am
}

service_ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/q/health/ready"; }

start_services() {
  mkdir -p "$STATE/logs" "$STATE/pids"
  if [ ! -f "$STATE/encryption.key" ]; then
    (umask 077 && echo "local:$(head -c 32 /dev/urandom | base64)" >"$STATE/encryption.key")
  fi
  export KEYWAY_OPERATOR_TOKEN=${KEYWAY_OPERATOR_TOKEN:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
  export KEYWAY_ENCRYPTION_KEYS=${KEYWAY_ENCRYPTION_KEYS:-$(cat "$STATE/encryption.key")}
  export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}
  local entry name port schema
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name port schema <<<"$entry"
    stop_pidfile "$STATE/pids/$name" "$name (left from an earlier run)"
    port_open "$port" && die "port $port is taken; is another Keyway running?"
    log "Starting $name on :$port (log: ${STATE#"$ROOT"/}/logs/$name.log)"
    setsid nohup java -Xmx384m -jar "$ROOT/$name/target/quarkus-app/quarkus-run.jar" >"$STATE/logs/$name.log" 2>&1 &
    echo $! >"$STATE/pids/$name"
  done
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name port schema <<<"$entry"
    wait_until "$name" 120 service_ready "$port"
  done
}

stop_services() {
  local i name
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    name=${SERVICES[$i]%%:*}
    stop_pidfile "$STATE/pids/$name" "$name"
  done
}

down() {
  stop_services
  stop_pidfile "$STATE/kafka/pid" Kafka
  stop_postgres
}

# --- main ----------------------------------------------------------------------------------------------------

mkdir -p "$STATE"
if [ "${1:-up}" = down ]; then
  down
  exit 0
fi

started=$(date +%s)
trap 'echo; down; exit 0' INT TERM
start_postgres
prepare_databases
start_kafka
build
start_services

cat <<EOF

Keyway is running (ready in $(($(date +%s) - started)) s):
  sso-service     http://127.0.0.1:8081   (SAML, sessions, organizations; JWKS at /.well-known/jwks.json)
  scim-service    http://127.0.0.1:8082   (SCIM 2.0 at /scim/v2)
  import-service  http://127.0.0.1:8083   (JumpCloud directory import)
  health /q/health/ready · metrics /q/metrics · OpenAPI /q/openapi on each

Operator token: $KEYWAY_OPERATOR_TOKEN
  curl -H "Authorization: Bearer \$KEYWAY_OPERATOR_TOKEN" -H 'Content-Type: application/json' \\
       -d '{"slug":"acme","displayName":"Acme","region":"api"}' http://127.0.0.1:8081/admin/orgs

Ctrl-C stops everything this run started.
EOF

# stay in the foreground until interrupted, or until a service dies
pids=()
for entry in "${SERVICES[@]}"; do pids+=("$(cat "$STATE/pids/${entry%%:*}")"); done
set +e
wait -n "${pids[@]}"
log "a service exited; see $STATE/logs"
down
exit 1
