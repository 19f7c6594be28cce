#!/usr/bin/env bash
# Builds the three services' and the admin portal's images:  deploy/docker/build.sh [jvm|native] [tag]
# Uses docker, or podman where there is no docker. Images are keyway/<service>:<tag> (the Helm chart's default
# image.repository); push them to your registry under the same names.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
KIND=${1:-jvm}
TAG=${2:-0.1.0-SNAPSHOT}
ENGINE=$(command -v docker || command -v podman || { echo "needs docker or podman" >&2; exit 1; })
if [ "$KIND" = native ]; then
  ./mvnw -B package -Pnative -DskipTests -pl sso-service,scim-service,import-service,admin-portal -am
else
  ./mvnw -B package -DskipTests -pl sso-service,scim-service,import-service,admin-portal -am
fi
for entry in sso-service:8081:9001 scim-service:8082:9002 import-service:8083:9003 admin-portal:8084:9004; do
  IFS=: read -r service port management_port <<<"$entry"
  "$ENGINE" build -f "deploy/docker/Dockerfile.$KIND" --build-arg SERVICE="$service" --build-arg PORT="$port" \
    --build-arg MANAGEMENT_PORT="$management_port" \
    -t "keyway/$service:$TAG" .
done
