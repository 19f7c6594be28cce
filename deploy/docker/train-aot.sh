#!/bin/sh
# Trains the AOT cache a packaged Keyway service starts from (JDK 25 and later: JEP 483, 514, 515):
#
#   deploy/docker/train-aot.sh <the service's quarkus-app folder> <cache file> [JVM options]
#
# Starts the service once with nothing to connect to, waits until Quarkus says it started, and stops it; the JVM writes
# the classes it loaded and linked, and the methods' profiles, into the cache as it exits. The service then starts
# from the cache with -XX:AOTCache=<cache file>, in about half the time (deploy/docs/deploy.md, "Images").
#
# Why a start without PostgreSQL or Kafka: an image is built where neither runs. The services start without them (the
# database pool, the Kafka clients, the outbox relay and the signing keys retry in the background), so the start-up
# path is all there; only the schema migration is switched off. The settings below are throwaway values the
# production profile requires; nothing of them is kept in the cache but the code that read them.
#
# A cache works only with the JVM build and the very jars (path, size, time) that trained it, and for the java on the
# PATH: train where the service runs (deploy/docker/Dockerfile.jvm does it in the image), and start it by the jar's
# absolute path, as here. With another JVM or other jars the JVM says so once and starts without the cache.
set -eu
app=$1
cache=$2
jvm_options=${3:-}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cd "$app"
key=$(head -c 32 /dev/urandom | base64)
# shellcheck disable=SC2086 # the JVM options are words
KEYWAY_DEPLOYMENT_REGION=api QUARKUS_HTTP_PORT=0 QUARKUS_MANAGEMENT_PORT=0 QUARKUS_FLYWAY_MIGRATE_AT_START=false \
  KEYWAY_DEPLOYMENT_URLS_API=http://localhost KEYWAY_DEPLOYMENT_URLS_EU=http://localhost \
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 QUARKUS_DATASOURCE_USERNAME=training QUARKUS_DATASOURCE_PASSWORD=training \
  QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:1/training \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:1/training \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION=http://127.0.0.1:1/.well-known/jwks.json \
  KEYWAY_OPERATOR_TOKEN="training-$key" KEYWAY_ENCRYPTION_KEYS="training:$key" \
  KEYWAY_PORTAL_SSO_URL=http://localhost KEYWAY_PORTAL_SCIM_URL=http://localhost \
  KEYWAY_PORTAL_IMPORTS_URL=http://localhost \
  java $jvm_options -XX:AOTCacheOutput="$cache" -jar "$(pwd)/quarkus-run.jar" >"$log" 2>&1 &
pid=$!
tries=0
until grep -q ' started in ' "$log"; do
  tries=$((tries + 1))
  if ! kill -0 "$pid" 2>/dev/null || [ "$tries" -gt 600 ]; then
    kill "$pid" 2>/dev/null || true
    tail -n 40 "$log" >&2
    echo "train-aot.sh: the service did not start within 60 s (the end of its log is above)" >&2
    exit 1
  fi
  sleep 0.1
done
kill -TERM "$pid"
wait "$pid" || true
if [ ! -s "$cache" ]; then
  tail -n 20 "$log" >&2
  echo "train-aot.sh: no cache was written (needs a JDK of 25 or later; the end of the log is above)" >&2
  exit 1
fi
echo "train-aot.sh: $(wc -c <"$cache") bytes of AOT cache in $cache"
