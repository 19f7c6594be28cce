#!/usr/bin/env bash
# Runs Keyway's whole test suite on this machine: every module's tests against real PostgreSQL and Kafka (started
# by the tests themselves from Maven Central artifacts), then the system tests on the packaged services.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
exec ./mvnw -B verify "$@"
