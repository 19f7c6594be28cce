#!/usr/bin/env bash
# Prints the java of the newest JDK in Debian's JVM directory of at least the version asked:
#   deploy/find-java.sh      a JDK of 21 or later, else the java on the PATH (the benchmarks' load generators: the
#                            JDK's HTTP client got much cheaper after 17, 7.1 CPU-seconds on JDK 25 against 12.6 on
#                            JDK 17 for 500 requests/s over 30 s, and it shares the two cores with what it measures)
#   deploy/find-java.sh 25   a JDK of 25 or later, or fails (what runs the services from an AOT cache)
set -euo pipefail
minimum=${1:-21}
newest=$(for java in /usr/lib/jvm/*/bin/java; do
  [ -x "$java" ] || continue
  major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  # an if, not &&: a last JDK older than the minimum must not fail the loop (and, with pipefail, this script)
  if [ "${major:-0}" -ge "$minimum" ] 2>/dev/null; then echo "$major $java"; fi
done | sort -n | tail -1 | cut -d' ' -f2)
if [ -z "$newest" ] && [ $# -gt 0 ]; then
  echo "no JDK of $minimum or later in /usr/lib/jvm" >&2
  exit 1
fi
echo "${newest:-java}"
