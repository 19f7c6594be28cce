#!/usr/bin/env bash
# Whether the kernel's DAMON memory monitor runs here, and the CPU its threads have used so far, on one line:
#   deploy/bench/kdamond.sh            e.g. "kdamond: on, sampling every 500 ms, 1234 ms of CPU since it started"
# The benchmarks print it before and after a run. Some virtual machines (the one Keyway is developed on included) boot
# with a kdamond that samples memory every half second for the host's reclaim: under load each sample takes 15-20 ms
# of a core, and a service's latency then stalls for 30-80 ms every 0.55 s, which is the machine's and not the
# service's (deploy/bench/README.md). Pausing it is the operator's call
# (echo off > /sys/kernel/mm/damon/admin/kdamonds/0/state).
set -euo pipefail
ADMIN=/sys/kernel/mm/damon/admin/kdamonds
states=() cpu_ns=0 sample_us=
for kdamond in "$ADMIN"/[0-9]*; do
  [ -e "$kdamond/state" ] || continue
  states+=("$(cat "$kdamond/state")")
  sample_us=$(cat "$kdamond"/contexts/0/monitoring_attrs/intervals/sample_us 2>/dev/null || echo "$sample_us")
  pid=$(cat "$kdamond/pid" 2>/dev/null || echo -1)
  if [ "$pid" -gt 0 ] && [ -r "/proc/$pid/schedstat" ]; then
    cpu_ns=$((cpu_ns + $(cut -d' ' -f1 "/proc/$pid/schedstat")))
  fi
done
if [ ${#states[@]} -eq 0 ]; then
  echo "kdamond: none"
elif [[ " ${states[*]} " == *" on "* ]]; then
  echo "kdamond: on, sampling every $((${sample_us:-0} / 1000)) ms, $((cpu_ns / 1000000)) ms of CPU since it started"
else
  echo "kdamond: ${states[*]}"
fi
