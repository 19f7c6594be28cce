#!/usr/bin/env bash
# ACS benchmark, by hand (not in CI):
#   deploy/bench/acs-bench.sh             validation rates only (no stack needed): the JDK's XML-DSig and Keyway's
#                                         whole validation of one signed JumpCloud-shaped response, one thread
#   KEYWAY_OPERATOR_TOKEN=… deploy/bench/acs-bench.sh --acs [connections] [seconds] [open-loop rate]
#                                         also sign-ins over HTTP on a running stack (deploy/local/run.sh), found
#                                         through the wiring file run.sh starts it by (KEYWAY_WIRING, default
#                                         deploy/regions.properties): the in-process validation rate as baseline, a
#                                         closed-loop warm-up (not counted: 90 s, enough for the JIT on two cores;
#                                         -Dacs.bench.warm-up-seconds in ACS_BENCH_JAVA_OPTS), the closed-loop
#                                         maximum rate (wrk, default 16 connections, default 20 s), then the open-loop
#                                         latency at a fixed rate (default 500/s; 5 s warm-up, then as long), p50/p99,
#                                         and the ratio to the baseline; then the same open loop on the JWKS, which the
#                                         service answers from memory: the floor of the p99 on this machine, and the
#                                         ratio to it. After each open loop, what sso-service's JVM reported
#                                         meanwhile on its management port: bytes allocated per request, and its
#                                         young collections (each stops the service) with their mean pause.
#                                         With OPEN_LOOP_TRACE=FILE, each open loop's requests (due time, latency,
#                                         status) go to FILE.acs and FILE.jwks.
# Brings its own tools: Debian's wrk is installed when missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
if [ "${1:-}" = --acs ] && ! command -v wrk >/dev/null; then
  echo "Installing Debian's wrk (the closed-loop load generator)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
fi
# package, never install: the classpath names this checkout's module jars (the last module built writes the file)
./mvnw -B -q package -DskipTests -pl sso-service -am dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$ROOT/sso-service/target/bench.classpath"
CP="sso-service/target/classes:sso-service/target/test-classes:$(cat sso-service/target/bench.classpath)"
# slf4j as sso-service configures it (SsoServiceMain), so the in-process validation is the service's
JAVA=(java -Xmx1g ${ACS_BENCH_JAVA_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dslf4j.provider=dev.keyway.sso.CachedSlf4jLoggers -Dslf4j.internal.verbosity=WARN \
  -Dacs.bench.dir="$ROOT/deploy/bench" -cp "$CP")
if [ "${1:-}" = --acs ]; then
  WIRING=${KEYWAY_WIRING:-$ROOT/deploy/regions.properties}
  wired() { sed -n "s/^$1=//p" "$WIRING"; }
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores); $(deploy/bench/kdamond.sh)"
  "${JAVA[@]}" dev.keyway.sso.bench.AcsBench --acs "http://127.0.0.1:$(wired api.sso-service.port)" \
    "http://127.0.0.1:$(wired api.scim-service.port)" "${2:-16}" "${3:-20}" "${4:-500}" "$WORK" \
    "http://127.0.0.1:$(wired api.sso-service.management-port)"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(deploy/bench/kdamond.sh)"
  exit
fi
exec "${JAVA[@]}" dev.keyway.sso.bench.AcsBench
