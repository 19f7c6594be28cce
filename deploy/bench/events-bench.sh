#!/usr/bin/env bash
# Directory events benchmark, run by hand (never in CI): SETs per second to one fast endpoint and the lag from a SCIM
# write to its delivery (p50, p99), beside the outbox's own publish rate and lag measured in the same run. A warm-up
# phase of as many users and SETs, not counted, comes first.
#
#   deploy/bench/events-bench.sh [users per phase, default 3000]
#
# Self-contained: it runs the packaged services as processes on free ports with their own PostgreSQL and Kafka
# (system-tests' KeywaySystem), so it never touches a running deploy/local/run.sh. Builds first. The services run as
# their images run them: on JDK 25 where there is one, with deploy/local/jvm.options, tracing off.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=$(mktemp)
SERVICE_JAVA=$(deploy/find-java.sh 25 2>/dev/null || echo java)
./mvnw -B -pl system-tests -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkeyway.system.java="$SERVICE_JAVA" \
  -Dit.test=SetEventsBench -Dkeyway.bench=true -Dkeyway.bench.users="${1:-3000}" \
  "-Dkeyway.system.java-options=$(cat deploy/local/jvm.options) -Dquarkus.otel.sdk.disabled=true" >"$OUT" 2>&1 ||
  { tail -50 "$OUT"; exit 1; }
grep -A6 "Directory events benchmark" "$OUT"
