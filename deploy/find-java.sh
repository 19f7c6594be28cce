#!/usr/bin/env bash
# Prints the java of the newest JDK in Debian's JVM directory of at least the version asked, or fails:
#   deploy/find-java.sh 25   the JDK the services' images run (which their AOT caches need)
set -euo pipefail
minimum=$1
newest=$(for java in /usr/lib/jvm/*/bin/java; do
  [ -x "$java" ] || continue
  major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  # an if, not &&: a last JDK older than the minimum must not fail the loop (and, with pipefail, this script)
  if [ "${major:-0}" -ge "$minimum" ] 2>/dev/null; then echo "$major $java"; fi
done | sort -n | tail -1 | cut -d' ' -f2)
if [ -z "$newest" ]; then
  echo "no JDK of $minimum or later in /usr/lib/jvm" >&2
  exit 1
fi
echo "$newest"
