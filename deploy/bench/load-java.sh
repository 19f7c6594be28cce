#!/usr/bin/env bash
# Prints the java that runs OpenLoop.java, the open-loop load generator: $KEYWAY_LOAD_JAVA if set, else the newest
# JDK of 21 or later that Debian's JVM directory holds, else the java on the PATH. The load generator shares the two
# cores with what it measures, and the JDK's HTTP client got much cheaper after 17: at 500 requests/s for 30 s it used
# 7.1 CPU-seconds on JDK 25 against 12.6 on JDK 17 (both with the C1 compiler and the serial collector).
#   deploy/bench/load-java.sh 25   the newest JDK of 25 or later, or fails (footprint.sh's AOT cache needs one)
set -euo pipefail
if [ -n "${KEYWAY_LOAD_JAVA:-}" ]; then
  echo "$KEYWAY_LOAD_JAVA"
  exit
fi
minimum=${1:-21}
newest=$(for java in /usr/lib/jvm/*/bin/java; do
  [ -x "$java" ] || continue
  major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  # an if, not &&: a last JDK older than the minimum must not fail the loop (and, with pipefail, this script)
  if [ "${major:-0}" -ge "$minimum" ] 2>/dev/null; then echo "$major $java"; fi
done | sort -n | tail -1 | cut -d' ' -f2)
if [ -z "$newest" ] && [ $# -gt 0 ]; then
  echo "no JDK of $minimum or later in /usr/lib/jvm (or set KEYWAY_LOAD_JAVA)" >&2
  exit 1
fi
echo "${newest:-java}"
