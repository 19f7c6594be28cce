#!/usr/bin/env python3
"""SCIM benchmark, run by hand (never in CI) against a running stack (deploy/local/run.sh):

    KEYWAY_OPERATOR_TOKEN=<the token run.sh printed> deploy/bench/scim-bench.py [--post-only|--get-patch-only] [users]

The stack is found through the same wiring file run.sh starts it by (KEYWAY_WIRING, default deploy/regions.properties;
deploy/bench/regions-bench.properties runs a second stack on other ports and databases beside a development one), and
with the same KEYWAY_STATE_DIR (default deploy/local/.state: the consumer-lag probe runs on its Kafka's jars).

Measures, in one run on one machine, each figure beside its baseline and the ratio:
- baselines (pgbench, 16 clients over TCP, 5 s warm-up then 20 s): the SQL of one POST /Users replayed as the
  service sends it (post-users.sql: one statement writing the department, user, outbox row and SET, on a schema-only
  copy of the scim schema), and single-row commits for reference; after the open loop below, the same SQL at the open loop's rate
  (pgbench -R, 5 s at the rate not counted, then 30 s; p50/p99 from when each transaction was due): the
  database's own tail;
- POST /Users: 90 s warm-up (the JIT; on two cores it takes that long), then the maximum rate in a closed loop (wrk,
  16 connections, 30 s), then latency p50/p99 in an open loop at half that rate (OpenLoop.java, 5 s warm-up, 30 s)
  -- latency is never quoted from the saturated closed loop -- and what scim-service's and sso-service's JVMs reported
  meanwhile on their management ports (kilobytes allocated per POST, young collections and their mean pause);
- unless --post-only: filtered GETs (userName eq, emails.value eq, emails[type eq and value eq]) and PATCH member
  add/remove, each in a large directory (users, default 100,000, and a group of all but 500 of them) against the same
  in a small one (1,000 users, a group of 10) loaded in the same run, in organizations of their own: p50/p99 of both
  and the ratio of the p99s (the goal: at most 2). Each measurement has a 5 s warm-up (not counted), then 20 s (GET,
  wrk, 2 connections) or 15 s (PATCH, 1 connection), small and large back to back.
Between phases it waits until scim-service's outbox is empty and sso-service has consumed every directory event.
Brings its own tools: wrk and pgbench (Debian's wrk and postgresql-client) are installed when missing.
"""
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
POST_ONLY = "--post-only" in sys.argv
GET_PATCH_ONLY = "--get-patch-only" in sys.argv
USERS = int(ARGS[0]) if ARGS else 100_000
OPERATOR = os.environ["KEYWAY_OPERATOR_TOKEN"]
TOKEN = None  # the SCIM token of the POST phase's organization
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def wiring(key, _cache={}):
    if not _cache:
        with open(os.environ.get("KEYWAY_WIRING", os.path.join(ROOT, "deploy/regions.properties"))) as lines:
            _cache.update(line.strip().split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return _cache[key]


SSO = "http://127.0.0.1:" + wiring("api.sso-service.port")
SCIM = "http://127.0.0.1:" + wiring("api.scim-service.port")
SCIM_DB = wiring("api.scim-service.database")
SSO_DB = wiring("api.sso-service.database")
KAFKA = "127.0.0.1:" + wiring("api.kafka.port")
STATE = os.environ.get("KEYWAY_STATE_DIR", os.path.join(ROOT, "deploy/local/.state"))


def bring_tools():
    """Like deploy/local/test.sh brings xmlsec1: Debian's packages, installed once when missing."""
    missing = [package for tool, package in (("wrk", "wrk"), ("pgbench", "postgresql-client"),
                                             ("pg_dump", "postgresql-client")) if shutil.which(tool) is None]
    if missing:
        print(f"Installing Debian's {' '.join(sorted(set(missing)))} (the load generator and PostgreSQL's own benchmark)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        install = ["apt-get", "install", "-y", "-q", *sorted(set(missing))]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, check=True, capture_output=True)
            subprocess.run(install, env=env, check=True, capture_output=True)


def call(method, url, token, body=None, content_type="application/json"):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=300) as response:
        text = response.read()
        return json.loads(text) if text else None


def scim(method, path, body=None, token=None):
    return call(method, SCIM + "/scim/v2" + path, token or TOKEN, body, "application/scim+json")


def sh(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def wrk(lua, args, connections, seconds, path="/scim/v2/Users", token=None):
    out = sh("wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--latency",
             "-H", "Authorization: Bearer " + (token or TOKEN), "-H", "Content-Type: application/scim+json", "-s", os.path.join(HERE, lua), SCIM + path, "--", *args)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"wrk saw {errors.group(1)} failed requests:\n{out}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), latency


def psql(database, sql):
    """As PostgreSQL's superuser on the local socket, as run.sh prepares the databases."""
    return sh("runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", database,
              "-c", sql).strip()


def settle(when, quiet=False):
    """Measure as production would a little after a big load: with the tables vacuumed and analyzed. Autovacuum does
    that on its own; where it is switched off (as on our development machines), the driver does it and says so."""
    if psql(SCIM_DB, "show autovacuum") == "on":
        loaded = time.time()
        while not quiet and time.time() - loaded < 300:
            stamp = psql(SCIM_DB, "select coalesce(extract(epoch from greatest(last_autoanalyze, last_analyze)), 0)"
                                  " from pg_stat_user_tables where relname = 'scim_user'")
            if float(stamp or 0) > loaded - 5:
                break
            time.sleep(5)
        if not quiet:
            print(f"{when}: waited {time.time() - loaded:.0f} s for autovacuum to analyze")
    else:
        for table in ("scim_user", "scim_group", "group_member", "department", "outbox", "outbox_sequence"):
            psql(SCIM_DB, f"vacuum analyze scim.{table}")
        # sso-service's projection too: its consumer's prepared statements keep the plan made while login_user was
        # empty (a scan of the whole table per event: 75 events/s at 100,000 users) until the table is analyzed
        for table in ("login_user", "login_group", "session", "inbox"):
            psql(SSO_DB, f"vacuum analyze sso.{table}")
        if not quiet:
            print(f"{when}: autovacuum is off on this PostgreSQL, so the driver ran VACUUM ANALYZE")


def consumer_lag():
    """sso-service's lag on the directory topic, read with the client of the broker run.sh fetched."""
    return int(sh("java", "-cp", os.path.join(STATE, "kafka/libs/*"), os.path.join(HERE, "ConsumerLag.java"), KAFKA,
                  "sso-service", "keyway.directory.v1"))


def drain(phase):
    """Before the next phase: scim-service's outbox is empty and sso-service has applied every directory event."""
    started = time.time()
    while int(psql(SCIM_DB, "select count(*) from scim.outbox")) > 0:
        time.sleep(0.2)
    published = time.time()
    while consumer_lag() > 0:
        time.sleep(0.5)
    print(f"  after {phase}: outbox drained in {published - started:.1f} s, sso-service caught up"
          f" {time.time() - published:.1f} s later")


def pgbench(script, database, user, seconds, *options, log_prefix=None):
    """16 clients over TCP as the service's role, as scim-service connects; 5 s warm-up, then the measured run (with
    its per-transaction log under log_prefix if given)."""
    env = dict(os.environ, PGPASSWORD=user, PGOPTIONS="-c search_path=scim")
    command = ["pgbench", "-n", "-M", "prepared", "-h", "127.0.0.1", "-p", "5432", "-U", user, "-c", "16", "-j", "2",
               "-f", script, *options]
    subprocess.run([*command, "-T", "5", database], env=env, check=True, capture_output=True)
    log = ["-l", "--log-prefix", log_prefix] if log_prefix else []
    out = subprocess.run([*command, *log, "-T", str(seconds), database], env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(re.search(r"tps = ([\d.]+)", out).group(1)), re.search(r"latency average = ([\d.]+ ms)", out).group(1)


def single_row_commits():
    psql("postgres", "drop database if exists keyway_bench_commits")
    psql("postgres", f"create database keyway_bench_commits owner {SCIM_DB}")
    env = dict(os.environ, PGPASSWORD=SCIM_DB)
    subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-U", SCIM_DB, "-d", "keyway_bench_commits", "-c",
                    "create schema scim; create table scim.commits (id bigserial primary key, note text)"],
                   env=env, check=True, capture_output=True)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("insert into commits (note) values ('one row, one commit');\n")
    try:
        return pgbench(script.name, "keyway_bench_commits", SCIM_DB, 20)
    finally:
        psql("postgres", "drop database keyway_bench_commits")


@contextlib.contextmanager
def post_sql():
    """The POST's own statement (post-users.sql) on a schema-only copy of the scim schema, with one organization;
    yields a function that runs pgbench on them with more options, for as long as the copy lives."""
    psql("postgres", "drop database if exists keyway_bench_post")
    psql("postgres", f"create database keyway_bench_post owner {SCIM_DB}")
    schema = sh("runuser", "-u", "postgres", "--", "pg_dump", "-s", "-n", "scim", SCIM_DB)
    subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                    "keyway_bench_post"], input=schema, text=True, check=True, capture_output=True)
    org = "0b7a3c2e-0000-4000-8000-000000000001"
    psql("keyway_bench_post", f"""
        insert into scim.known_organization (id, slug, display_name, region, created_at)
            values ('{org}', 'pgbench', 'pgbench', 'api', now());
        -- the service's warm-up has made them too: a department is new only once
        insert into scim.department (id, org_id, name)
            select gen_random_uuid(), '{org}', 'Dept ' || d from generate_series(0, 19) d""")
    try:
        yield lambda seconds, *options, log_prefix=None: pgbench(
            os.path.join(HERE, "post-users.sql"), "keyway_bench_post", SCIM_DB, seconds, "-D", f"org={org}",
            "-D", f"run={time.time_ns()}",
            "-D", "core=urn:ietf:params:scim:schemas:core:2.0:User",
            "-D", "enterprise=urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            "-D", "createfull=urn:ietf:params:scim:event:prov:create:full",
            "-D", "at=2026-12-03T04:00:00.123456Z", *options, log_prefix=log_prefix)
    finally:
        psql("postgres", "drop database keyway_bench_post")


def pgbench_at(run_sql, rate, seconds):
    """p50/p99/max of pgbench's transactions at a fixed rate (-R), each from when it was due (its schedule lag plus
    its own time, as OpenLoop.java counts a request), from pgbench's per-transaction log; as OpenLoop.java, the first
    5 s (connecting, preparing) go at the same rate and are not counted, on tables analyzed as settle() leaves the
    service's."""
    psql("keyway_bench_post", "analyze")
    with tempfile.TemporaryDirectory() as logs:
        run_sql(seconds + 5, "-R", str(rate), log_prefix=os.path.join(logs, "pgbench"))
        # client, transaction, time (us), script, end (epoch s, us), schedule lag (us)
        transactions = []
        for name in os.listdir(logs):
            with open(os.path.join(logs, name)) as log:
                transactions += [(int(f[4]) + int(f[5]) / 1e6, int(f[2]) + int(f[6]))
                                 for f in (line.split() for line in log)]
    counted_from = min(end for end, _ in transactions) + 5
    due = sorted(latency for end, latency in transactions if end >= counted_from)
    return {"p50_ms": due[len(due) // 2] / 1000, "p99_ms": due[len(due) * 99 // 100] / 1000,
            "max_ms": due[-1] / 1000, "sent": len(due)}


# On two cores a freshly started stack took 60-70 s of load to reach its steady rate (POST /Users: 226/s in the first
# 10 s, 850/s from the seventh 10 s on); a 20 s warm-up measured the JIT, not the service.
WARM_UP_SECONDS = 90


def open_loop(rate, seconds, body):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        file.write(body)
    # refusals are a figure too (503 when the service sheds load): printed, not fatal
    run = subprocess.run([os.path.join(HERE, "open-loop.sh"), "POST", SCIM + "/scim/v2/Users", str(rate), str(seconds),
                          file.name, "Authorization: Bearer " + TOKEN, "Content-Type: application/scim+json"],
                         capture_output=True, text=True)
    if run.stderr.strip():
        print("  open loop: " + run.stderr.strip())
    return dict(field.split("=") for field in run.stdout.split())


def jvm(service):
    """What a service's JVM says of itself on its management port: bytes allocated (counted at each collection), and its
    young collections with their total pause. Each collection stops the service."""
    with urllib.request.urlopen(f"http://127.0.0.1:{wiring(f'api.{service}.management-port')}/q/metrics") as response:
        metrics = response.read().decode()
    def total(pattern):
        return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines() if re.match(pattern, line))
    return (total(r"jvm_gc_memory_allocated_bytes_total "), total(r'jvm_gc_pause_seconds_count\{.*minor GC'),
            total(r'jvm_gc_pause_seconds_sum\{.*minor GC'))


def jvm_since(service, before, requests):
    allocated, collections, paused = (now - then for now, then in zip(jvm(service), before))
    return (f"{service} {allocated / requests / 1024:.0f} KB allocated per POST, {collections:.0f} young collections"
            f" of {paused * 1000 / collections if collections else 0:.1f} ms on average")


def new_org(kind):
    """A fresh organization with a SCIM token of its own; its name tells the runs apart."""
    slug = f"bench-{kind}-" + format(int(time.time() * 1000), "x")
    call("POST", SSO + "/admin/orgs", OPERATOR, {"slug": slug, "displayName": "Bench " + kind, "region": "api"})
    owner = call("POST", SSO + f"/admin/orgs/{slug}/owner-tokens", OPERATOR)["token"]
    for attempt in range(200):  # the organization reaches scim-service through Kafka
        try:
            return call("POST", SCIM + f"/admin/orgs/{slug}/scim/tokens", owner)["token"]
        except urllib.error.HTTPError:
            time.sleep(0.1)
    sys.exit(f"scim-service never learnt of organization {slug}")



def directory(token, users):
    """users users through /Bulk (a thousand per request), then a group of 10 and one of all but 500 of them; answers
    the group ids and the 500 users outside both groups (the PATCH's newcomers)."""
    started = time.time()
    for first in range(0, users, 1000):
        operations = [{"method": "POST", "path": "/Users", "data": {
            "userName": f"bench.user.{n}@bench.test", "name": {"givenName": "Bench", "familyName": f"User {n}"},
            "emails": [{"value": f"bench.user.{n}@bench.test", "type": "work", "primary": True}]}}
            for n in range(first, min(users, first + 1000))]
        scim("POST", "/Bulk", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
                               "Operations": operations}, token)
        if first % 20_000 == 19_000:
            settle(f"after {first + 1000} bulk users", quiet=True)
    total = scim("GET", "/Users?count=0", token=token)["totalResults"]
    ids = []
    start = 1
    while start <= users:
        page = scim("GET", f"/Users?attributes=id&count=1000&startIndex={start}&filter=" + urllib.parse.quote(
            'userName sw "bench.user."'), token=token)
        ids += [user["id"] for user in page["Resources"]]
        start += 1000
    ten = scim("POST", "/Groups", {"displayName": "Ten"}, token)["id"]
    everyone = scim("POST", "/Groups", {"displayName": "Everyone"}, token)["id"]
    scim("PATCH", f"/Groups/{ten}", {"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": i} for i in ids[:10]]}]}, token)
    for first in range(0, len(ids) - 500, 1000):
        scim("PATCH", f"/Groups/{everyone}", {"schemas": [PATCH], "Operations": [{"op": "add", "path": "members",
             "value": [{"value": i} for i in ids[first:min(first + 1000, len(ids) - 500)]]}]}, token)
    print(f"  directory of {total} users and groups of 10 and {len(ids) - 500} members loaded"
          f" in {time.time() - started:.0f} s")
    return ten, everyone, len(ids) - 500, ids[-500:]


def millis(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def post_phase():
    with post_sql() as run_sql:
        post(run_sql)


def post(run_sql):
    global TOKEN
    post_tps, post_latency = run_sql(20)
    tps, pg_latency = single_row_commits()
    print(f"baseline postgres.post_users_sql_tps={post_tps:.0f} (pgbench replaying POST /Users' statements, post-users.sql;"
          f" 16 clients, TCP, 20 s; latency average {post_latency})")
    print(f"reference postgres.single_row_commit_tps={tps:.0f} (pgbench, 16 clients, TCP, 20 s; latency average {pg_latency})")

    TOKEN = new_org("post")

    wrk("post-users.lua", ["warmup"], 16, WARM_UP_SECONDS)  # the JIT warms up; not counted
    # analyzed before waiting for sso-service: without statistics its consumer took 7.6 minutes (2026-12-04) to apply
    # the warm-up's events, which it applies in seconds once the tables are analyzed
    settle("after the warm-up")
    drain(f"the warm-up ({WARM_UP_SECONDS} s, 16 connections)")
    rate, latency = wrk("post-users.lua", ["load"], 16, 30)
    print(f"scim.post_users closed loop: {rate:.0f}/s (wrk, 16 connections, 30 s)"
          f"  = {rate / post_tps:.2f} x the POST's SQL in pgbench, {rate / tps:.3f} x single-row commits")
    drain("the closed loop")
    BODY = ('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"open.{n}@bench.test",'
            '"name":{"givenName":"Load","familyName":"User {n}"},"emails":[{"value":"open.{n}@bench.test","type":"work",'
            '"primary":true}],"active":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":'
            '{"department":"Dept 7"}}')
    before = {service: jvm(service) for service in ("scim-service", "sso-service")}
    fixed = open_loop(round(rate / 2), 30, BODY)
    sent = int(fixed["rate"]) * 35  # the open loop's 5 s warm-up and its 30 s
    print(f"scim.post_users open loop at {fixed['rate']}/s (half the maximum; OpenLoop.java, 5 s warm-up then 30 s,"
          f" {fixed['sent']} requests, {fixed['failed']} failed, {fixed['warm_up_failed']} in the warm-up):"
          f" p50 {fixed['p50_ms']} ms, p99 {fixed['p99_ms']} ms,"
          f" max {fixed['max_ms']} ms; the load generator used {fixed['client_cpu_s']} CPU-seconds meanwhile and"
          f" collected {fixed['client_gcs']} times")
    print("  meanwhile: " + "; ".join(jvm_since(service, then, sent) for service, then in before.items())
          + " (sso-service applies every POST's event)")
    drain("the open loop")
    # the same rate of the POST's SQL alone: how much of the tail the database (and the machine) has by itself
    alone = pgbench_at(run_sql, fixed["rate"], 30)
    print(f"baseline postgres.post_users_sql at {fixed['rate']}/s (pgbench -R, 16 clients, 5 s warm-up then 30 s at the rate,"
          f" {alone['sent']} transactions, each from when it was due): p50 {alone['p50_ms']:.2f} ms,"
          f" p99 {alone['p99_ms']:.2f} ms, max {alone['max_ms']:.2f} ms; the service's p99"
          f" {float(fixed['p99_ms']) / alone['p99_ms']:.2f} x")


def get_patch_phase():
    # The goal is relative: a filtered GET among 100k users and a PATCH of a group of 100k cost at most twice the same at
    # 1k users and 10 members. Both directories live in this run, each in an organization of its own; each measurement
    # gets a warm-up (5 s, not counted), then small and large alternate so the machine's load falls on both alike.
    print(f"filtered GET and group PATCH: a small directory (1,000 users, a group of 10) against a large one"
          f" ({USERS} users, a group of {USERS - 500})")
    SMALL_TOKEN, LARGE_TOKEN = new_org("small"), new_org("large")
    small = directory(SMALL_TOKEN, 1000)
    large = directory(LARGE_TOKEN, USERS)
    drain("loading both directories")
    settle("after loading the directories")
    with tempfile.NamedTemporaryFile("w", delete=False) as small_newcomers, \
            tempfile.NamedTemporaryFile("w", delete=False) as large_newcomers:
        small_newcomers.write("\n".join(small[3]))
        large_newcomers.write("\n".join(large[3]))
    GETS = 2  # connections: a closed loop below the machine's saturation (2 cores), so latency is not queueing
    for kind in ("userName", "emails", "emailsFilter"):
        figures = {}
        for case, token, users in (("small", SMALL_TOKEN, 1000), ("large", LARGE_TOKEN, USERS)):
            wrk("filter-users.lua", [kind, str(users)], GETS, 5, token=token)  # warm-up, not counted
            figures[case] = wrk("filter-users.lua", [kind, str(users)], GETS, 20, token=token)
        (small_rate, small_latency), (large_rate, large_latency) = figures["small"], figures["large"]
        print(f"scim.filtered_get[{kind}] at {USERS} users: p50={large_latency['50']} p99={large_latency['99']}"
              f" ({large_rate:.0f}/s) | at 1,000 users: p50={small_latency['50']} p99={small_latency['99']}"
              f" ({small_rate:.0f}/s) | p99 ratio {millis(large_latency['99']) / millis(small_latency['99']):.2f}"
              f" (goal <= 2; wrk, {GETS} connections, 20 s each after 5 s warm-up)")
        drain(f"the {kind} GETs")
    figures = {}
    for case, token, (ten, everyone, size, newcomers) in (("small", SMALL_TOKEN, small), ("large", LARGE_TOKEN, large)):
        group = ten if case == "small" else everyone
        path = "/scim/v2/Groups/" + group
        wrk("patch-members.lua", [group, (small_newcomers if case == "small" else large_newcomers).name], 1, 5,
            path=path, token=token)  # warm-up, not counted
        figures[case] = wrk("patch-members.lua", [group, (small_newcomers if case == "small" else large_newcomers).name],
                            1, 15, path=path, token=token)
        drain(f"the PATCH of the {case} group")
    (small_rate, small_latency), (large_rate, large_latency) = figures["small"], figures["large"]
    print(f"scim.patch_member_add_remove group of {large[2]}: p50={large_latency['50']} p99={large_latency['99']}"
          f" ({large_rate:.0f}/s) | group of 10: p50={small_latency['50']} p99={small_latency['99']} ({small_rate:.0f}/s)"
          f" | p99 ratio {millis(large_latency['99']) / millis(small_latency['99']):.2f}"
          f" (goal <= 2; wrk, 1 connection, 15 s each after 5 s warm-up)")


def kdamond():
    """The kernel's memory monitor, which stalls the machine in a virtual machine that runs it (kdamond.sh)."""
    return subprocess.run([os.path.join(HERE, "kdamond.sh")], capture_output=True, text=True).stdout.strip()


bring_tools()
print(f"stack: sso {SSO}, scim {SCIM} (database {SCIM_DB}), Kafka {KAFKA}; {kdamond()}")
if not GET_PATCH_ONLY:
    post_phase()
if not POST_ONLY:
    get_patch_phase()
print(f"after: {kdamond()}")
