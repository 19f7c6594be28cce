#!/usr/bin/env bash
# Start-up time and idle footprint of each service, by hand (not in CI):
#   deploy/bench/footprint.sh [idle seconds, default 20] [services, comma-separated, default all four]
# Starts a real PostgreSQL and Kafka (as the tests do, on free ports: it runs beside anything), then each packaged
# service alone, twice (the first start also migrates its schema), in the production profile with the environment and
# the JVM options deploy/local/run.sh gives it (deploy/local/jvm.options; KEYWAY_JAVA_OPTS overrides). Prints the time
# to ready, Quarkus' "started in", the RSS after the idle period and the peak while starting, against the goals
# (ready <= 3 s, idle RSS <= 250 MiB).
# As the images run them: on a JDK of 25 or later (deploy/find-java.sh) from the AOT cache deploy/docker/train-aot.sh
# trains, and, as the baseline of the same run, on that JDK without it. With no such JDK: on the java of the PATH only.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# package, never install: the classpath names this checkout's module jars (the last module built writes the file)
./mvnw -B -q package -DskipTests -pl system-tests -am dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$ROOT/system-tests/target/bench.classpath"
CP="system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)"
OPTS=${KEYWAY_JAVA_OPTS:-$(cat deploy/local/jvm.options)}
bench() { # the services' java (also the driver's), their JVM options, idle seconds, services
  "$1" -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" \
    dev.keyway.system.FootprintBench "$2" "$3" "$ROOT" ${4:+"$4"}
}
if ! SERVICE_JAVA=$(deploy/find-java.sh 25); then
  bench java "$OPTS" "${1:-20}" "${2:-}"
  exit
fi
AOT_DIR=$(mktemp -d)
trap 'rm -rf "$AOT_DIR"' EXIT
IFS=, read -ra services <<< "${2:-sso-service,scim-service,import-service,admin-portal}"
for service in "${services[@]}"; do
  echo "$service on $SERVICE_JAVA: without an AOT cache, then with the one train-aot.sh trains"
  bench "$SERVICE_JAVA" "$OPTS" "${1:-20}" "$service"
  PATH=$(dirname "$SERVICE_JAVA"):$PATH deploy/docker/train-aot.sh "$service/target/quarkus-app" "$AOT_DIR/$service.aot" "$OPTS"
  bench "$SERVICE_JAVA" "$OPTS -XX:AOTCache=$AOT_DIR/$service.aot" "${1:-20}" "$service"
done
