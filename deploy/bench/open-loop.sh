#!/usr/bin/env bash
# Open-loop load at a fixed rate, for latency (OpenLoop.java says how it counts):
#   deploy/bench/open-loop.sh METHOD URL RATE SECONDS BODY_FILE|@BODIES_FILE|- HEADER...
# Runs OpenLoop.java from source with Vert.x on its class path (resolved from deploy/bench/pom.xml once, then kept in
# deploy/bench/target), with the serial collector and the C1 compiler alone: the load generator shares the cores with
# what it measures, and over a run this short C2's compiling costs more than it saves (0.4 against 0.7 ms of CPU a
# request at 300/s). JDK 17 and 25 cost it the same.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CLASSPATH_FILE="$HERE/target/open-loop.classpath"
if [ ! -s "$CLASSPATH_FILE" ] || [ "$HERE/pom.xml" -nt "$CLASSPATH_FILE" ]; then
  "$HERE/../../mvnw" -B -q -f "$HERE/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" >&2
fi
# a young generation that holds everything a run allocates (its bodies, 60 MB for the ACS, and about 16 KB a request):
# a collection stops the load generator, and every request due meanwhile counted its pause (an 80 ms stall copying the
# bodies half a second into the ACS open loop at 500/s, a 55 ms one 18 s in)
OPTIONS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms2g -Xmn1536m)
# Netty reads and writes its buffers through sun.misc.Unsafe; JDK 24 on warns of that unless told it is allowed
if java --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  OPTIONS+=(--sun-misc-unsafe-memory-access=allow)
fi
exec java "${OPTIONS[@]}" -cp "$(cat "$CLASSPATH_FILE")" "$HERE/OpenLoop.java" "$@"
