#!/usr/bin/env bash
# ACS benchmark, by hand (not in CI):
#   deploy/bench/acs-bench.sh                 validation rates only (no stack needed)
#   KEYWAY_OPERATOR_TOKEN=… deploy/bench/acs-bench.sh --acs [requests] [clients]
#                                             also sign-ins over HTTP on the running local stack (deploy/local/run.sh)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# package, never install: the classpath names this checkout's module jars (the last module built writes the file)
./mvnw -B -q package -DskipTests -pl sso-service -am dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$ROOT/sso-service/target/bench.classpath"
CP="sso-service/target/classes:sso-service/target/test-classes:$(cat sso-service/target/bench.classpath)"
if [ "${1:-}" = --acs ]; then
  exec java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" dev.keyway.sso.bench.AcsBench --acs http://127.0.0.1:8081 http://127.0.0.1:8082 "${2:-2000}" "${3:-4}"
fi
exec java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" dev.keyway.sso.bench.AcsBench
