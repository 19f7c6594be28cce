#!/usr/bin/env bash
# Directory-import benchmark, by hand (not in CI):
#   deploy/bench/import-bench.sh [users] [groups] [concurrency]     default 100000 users in 1000 groups, 4 at a time
# The service gets the JVM options deploy/local/run.sh gives it (deploy/local/jvm.options; KEYWAY_JAVA_OPTS overrides).
# Starts a JumpCloud stand-in, a real PostgreSQL and Kafka (as the tests do) and the packaged import-service as its own
# process; prints the baseline (a bare HTTP client reading the same pages), both runs, the ratio and the peak RSS, and
# for each run the CPU both sides used and the requests in flight at the stand-in, second by second.
# Before each run the outbox has been drained (the time it took is printed). Warm-up, not counted: another
# organization imports the same directory twice first, so the measured first run is a new customer's first import on
# a service whose JIT has compiled the import (on two cores a cold JVM spends most of a run compiling).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# package, never install: the classpath names this checkout's module jars (the last module built writes the file)
./mvnw -B -q package -DskipTests -pl import-service -am dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$ROOT/import-service/target/bench.classpath"
CP="import-service/target/test-classes:import-service/target/classes:$(cat import-service/target/bench.classpath)"
# on the JDK the images run (25), where there is one: the service is started by the same java as this driver
exec "$(deploy/find-java.sh 25 2>/dev/null || echo java)" -Xmx3g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" \
  dev.keyway.imports.bench.ImportBench "${1:-100000}" "${2:-1000}" import-service/target/quarkus-app/quarkus-run.jar \
  "${KEYWAY_JAVA_OPTS:-$(cat deploy/local/jvm.options)}" "${3:-4}"
