#!/usr/bin/env bash
# Events benchmark, run by hand (never in CI), each figure beside a baseline measured on the same broker in the run:
#   (a) SCIM deactivation -> sso-service refuses the session, p50/p99 over N samples, idle and while 200 SCIM
#       POST /Users per second flow (open loop), against Kafka's own end-to-end latency (produce acks=all -> consume);
#   (b) 100k directory events committed into scim-service's outbox -> Kafka -> applied by sso-service, against a
#       Kafka producer sending as many records of the same size (acks=all, idempotent, like the relay).
# Warm-up, not counted: 100 deactivations and 100 Kafka probe records; once the 200 POST/s flow, 90 s of
# deactivations under them (the JIT needs 60-70 s of load on two cores; KEYWAY_BENCH_LOAD_WARM_UP=<seconds>
# changes it). Between phases it waits for the outbox to drain and sso-service's consumer to commit the
# topic's end.
#
#   deploy/bench/deactivation-bench.sh [samples, default 200] [events, default 100000]
#
# Self-contained: it runs the packaged services as processes on free ports with their own PostgreSQL and Kafka
# (system-tests' KeywaySystem), so it never touches a running deploy/local/run.sh. Builds first. The services get the
# JVM options run.sh gives them (deploy/local/jvm.options: the serial collector, a 256 MiB heap) on the JDK their images
# run (25, where there is one). Tracing is off, as in production by default (the system tests trace every service);
# KEYWAY_BENCH_JAVA_OPTS adds JVM options to every service, e.g.
# -XX:StartFlightRecording=filename=/tmp/{service}.jfr,dumponexit=true,settings=profile.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# each sample's session comes from a SAML response signed by Debian's xmlsec1, as in the tests
if ! command -v xmlsec1 >/dev/null; then
  echo "Installing Debian's xmlsec1 (the independent SAML signer the samples' sign-ins use)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q xmlsec1 >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q xmlsec1 >/dev/null; }
fi
OUT=$(mktemp)
deploy/bench/kdamond.sh
SERVICE_JAVA=$(deploy/find-java.sh 25 2>/dev/null || echo java)
./mvnw -B -pl system-tests -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkeyway.system.java="$SERVICE_JAVA" \
  -Dit.test=DeactivationBench -Dkeyway.bench=true -Dkeyway.bench.samples="${1:-200}" \
  -Dkeyway.bench.events="${2:-100000}" -Dkeyway.bench.load-warm-up-seconds="${KEYWAY_BENCH_LOAD_WARM_UP:-90}" \
  "-Dkeyway.system.java-options=$(cat deploy/local/jvm.options) -Dquarkus.otel.sdk.disabled=true ${KEYWAY_BENCH_JAVA_OPTS:-}" >"$OUT" 2>&1 ||
  { tail -50 "$OUT"; exit 1; }
grep -A11 "Events benchmark" "$OUT"
deploy/bench/kdamond.sh
