#!/usr/bin/env bash
# Runs Keyway's whole test suite on this machine: every module's tests against real PostgreSQL and Kafka (started
# by the tests themselves from Maven Central artifacts), then the system tests on the packaged services.
# SAML tests have responses signed and encrypted by an independent implementation, Debian's xmlsec1: installed here
# when missing, and so are Debian's chromium and chromium-driver for the admin portal's browser tests.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
if ! command -v xmlsec1 >/dev/null; then
  echo "Installing Debian's xmlsec1 (the independent SAML signer the tests use)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q xmlsec1 >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q xmlsec1 >/dev/null; }
fi
# The admin portal's browser tests drive a real headless Chromium through Debian's chromedriver.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "Installing Debian's chromium and chromium-driver (the browser the admin portal's tests drive)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; }
fi
# The system tests run the packaged services on the JDK their images run (25), where there is one; the modules' own
# tests run on the java of the PATH, JDK 17, which the services keep supporting.
if SERVICE_JAVA=$(deploy/find-java.sh 25 2>/dev/null); then
  set -- -Dkeyway.system.java="$SERVICE_JAVA" "$@"
fi
exec ./mvnw -B verify "$@"
