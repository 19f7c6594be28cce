#!/usr/bin/env python3
"""SCIM benchmark, run by hand (never in CI) against the local stack (deploy/local/run.sh).

    KEYWAY_OPERATOR_TOKEN=<the token run.sh printed> deploy/bench/scim-bench.py [users]

Measures, in one run on one machine: PostgreSQL's own single-row-commit TPS (pgbench) as the baseline, then
POST /Users per second, filtered GET latency (p50/p99) with the whole directory loaded, and PATCH member add/remove
latency in a 10-member group and in a directory-sized group. Load comes from wrk (Debian package); setup uses the
SCIM API itself (Bulk). Prints each figure next to the baseline.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SSO, SCIM = "http://127.0.0.1:8081", "http://127.0.0.1:8082"
USERS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
OPERATOR = os.environ["KEYWAY_OPERATOR_TOKEN"]
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def call(method, url, token, body=None, content_type="application/json"):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=300) as response:
        text = response.read()
        return json.loads(text) if text else None


def scim(method, path, body=None):
    return call(method, SCIM + "/scim/v2" + path, TOKEN, body, "application/scim+json")


def sh(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def wrk(lua, args, connections, seconds, path="/scim/v2/Users"):
    out = sh("wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--latency",
             "-H", "Authorization: Bearer " + TOKEN, "-H", "Content-Type: application/scim+json", "-s", os.path.join(HERE, lua), SCIM + path, "--", *args)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"wrk saw {errors.group(1)} failed requests:\n{out}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), latency


def settle(when, quiet=False):
    """Measure as production would a little after a big load: with the tables vacuumed and analyzed. Autovacuum does
    that on its own; where it is switched off (as on our development machines), the driver does it and says so."""
    psql = ["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-At", "-d", "keyway_scim"]
    if sh(*psql, "-c", "show autovacuum").strip() == "on":
        loaded = time.time()
        while not quiet and time.time() - loaded < 300:
            stamp = sh(*psql, "-c", "select coalesce(extract(epoch from greatest(last_autoanalyze, last_analyze)), 0)"
                                    " from pg_stat_user_tables where relname = 'scim_user'").strip()
            if float(stamp or 0) > loaded - 5:
                break
            time.sleep(5)
        if not quiet:
            print(f"{when}: waited {time.time() - loaded:.0f} s for autovacuum to analyze")
    else:
        for table in ("scim_user", "scim_group", "group_member", "department", "outbox", "outbox_sequence"):
            sh(*psql, "-c", f"vacuum analyze scim.{table}")
        if not quiet:
            print(f"{when}: autovacuum is off on this PostgreSQL, so the driver ran VACUUM ANALYZE")


def pgbench():
    admin = ["runuser", "-u", "postgres", "--"]
    sh(*admin, "psql", "-X", "-q", "-c", "drop database if exists keyway_bench", "-c", "create database keyway_bench")
    sh(*admin, "psql", "-X", "-q", "-d", "keyway_bench", "-c", "create table commits (id bigserial primary key, note text)")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("insert into commits (note) values ('one row, one commit');\n")
    os.chmod(script.name, 0o644)
    out = sh(*admin, "pgbench", "-n", "-c", "16", "-j", "2", "-T", "15", "-f", script.name, "keyway_bench")
    sh(*admin, "psql", "-X", "-q", "-c", "drop database keyway_bench")
    return float(re.search(r"tps = ([\d.]+)", out).group(1)), re.search(r"latency average = ([\d.]+ ms)", out).group(1)


tps, pg_latency = pgbench()
print(f"postgres.single_row_commit_tps={tps:.0f} (pgbench, 16 clients, 15 s; latency average {pg_latency})")

slug = "bench-" + format(int(time.time()), "x")
call("POST", SSO + "/admin/orgs", OPERATOR, {"slug": slug, "displayName": "Bench", "region": "api"})
owner = call("POST", SSO + f"/admin/orgs/{slug}/owner-tokens", OPERATOR)["token"]
for attempt in range(200):  # the organization reaches scim-service through Kafka
    try:
        TOKEN = call("POST", SCIM + f"/admin/orgs/{slug}/scim/tokens", owner)["token"]
        break
    except urllib.error.HTTPError:
        time.sleep(0.1)

wrk("post-users.lua", ["warmup"], 16, 15)  # the JIT warms up; not counted
settle("after the warm-up")
rate, latency = wrk("post-users.lua", ["load"], 16, 30)
print(f"scim.post_users_per_s={rate:.0f} (16 connections, 30 s; p50 {latency['50']}, p99 {latency['99']})"
      f"  = {rate / tps:.2f} x PostgreSQL single-row commits")

started = time.time()
for first in range(0, USERS, 1000):
    operations = [{"method": "POST", "path": "/Users", "data": {
        "userName": f"bench.user.{n}@bench.test", "name": {"givenName": "Bench", "familyName": f"User {n}"},
        "emails": [{"value": f"bench.user.{n}@bench.test", "type": "work", "primary": True}]}}
        for n in range(first, min(USERS, first + 1000))]
    scim("POST", "/Bulk", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": operations})
    if first % 20_000 == 19_000:
        settle(f"after {first + 1000} bulk users", quiet=True)
total = scim("GET", "/Users?count=0")["totalResults"]
print(f"directory: {total} users ({USERS} loaded through /Bulk in {time.time() - started:.0f} s)")

settle("after loading the directory")

for kind in ("userName", "emails", "emailsFilter"):
    rate, latency = wrk("filter-users.lua", [kind, str(USERS)], 4, 20)
    print(f"scim.filtered_get[{kind}] p50={latency['50']} p99={latency['99']} ({rate:.0f}/s, 4 connections)"
          f"  vs PostgreSQL single-row commit latency {pg_latency}")

ids = []
start = 1
while start <= USERS:
    page = scim("GET", f"/Users?attributes=id&count=1000&startIndex={start}&filter=" + urllib.parse.quote(
        'userName sw "bench.user."'))
    ids += [user["id"] for user in page["Resources"]]
    start += 1000
small = scim("POST", "/Groups", {"displayName": "Ten"})["id"]
large = scim("POST", "/Groups", {"displayName": "Everyone"})["id"]
scim("PATCH", f"/Groups/{small}", {"schemas": [PATCH], "Operations": [
    {"op": "add", "path": "members", "value": [{"value": i} for i in ids[:10]]}]})
for first in range(0, len(ids) - 500, 1000):
    scim("PATCH", f"/Groups/{large}", {"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": i} for i in ids[first:min(first + 1000, len(ids) - 500)]]}]})
settle("after building the groups")
with tempfile.NamedTemporaryFile("w", delete=False) as newcomers:
    newcomers.write("\n".join(ids[-500:]))
for name, group, size in (("10", small, 10), ("large", large, len(ids) - 500)):
    rate, latency = wrk("patch-members.lua", [group, newcomers.name], 1, 15, path="/scim/v2/Groups/" + group)
    print(f"scim.patch_member_add_remove[group of {size}] p50={latency['50']} p99={latency['99']} ({rate:.0f}/s, 1 connection)"
          f"  vs PostgreSQL single-row commit latency {pg_latency}")
