#!/usr/bin/env bash
# Start-up time and idle footprint of each service, by hand (not in CI):
#   deploy/bench/footprint.sh [idle seconds, default 20] [services, comma-separated, default all four]
# Starts a real PostgreSQL and Kafka (as the tests do, on free ports: it runs beside anything), then each packaged
# service alone, twice (the first start also migrates its schema), in the production profile with the environment and
# the JVM options deploy/local/run.sh gives it (deploy/local/jvm.options; KEYWAY_JAVA_OPTS overrides). Prints the time
# to ready, Quarkus' "started in", the RSS after the idle period and the peak while starting, against the goals
# (ready <= 3 s, idle RSS <= 250 MiB).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# package, never install: the classpath names this checkout's module jars (the last module built writes the file)
./mvnw -B -q package -DskipTests -pl system-tests -am dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$ROOT/system-tests/target/bench.classpath"
CP="system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)"
exec java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" \
  dev.keyway.system.FootprintBench "${KEYWAY_JAVA_OPTS:-$(cat deploy/local/jvm.options)}" "${1:-20}" "$ROOT" ${2:+"$2"}
