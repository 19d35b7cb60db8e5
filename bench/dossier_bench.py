#!/usr/bin/env python3
"""Dossier engine figures in one table, with nginx and pgbench measured in the
same run on the same machine.

  durable online submissions (JSON body, no files) with wrk at 64 connections
  against nginx serving a static file of the same size, the two alternating
  in rounds (this machine's speed drifts within a minute, so one nginx run
  at the start could land in another phase than the figure it is compared
  with): each round's ratio is taken within the round and the median of the
  rounds is the figure; the full life (submit,
  receive, assign, propose, approve, issue, return) per second on SQLite and
  PostgreSQL, driven by bench/load/life_client (one C++ thread, light enough
  not to starve the server on a small machine), and on PostgreSQL its actions per second against pgbench's default
  script on the same server at the same concurrency; public status lookups by
  code against nginx, in rounds the same way; the server's memory under that load; group commit batches;
  the CPU time a submission took, by the server's threads (and PostgreSQL's
  processes), beside nginx's CPU time a request (from /proc: steadier than
  the rates on a shared machine, and it shows which part to make cheaper);
  the rate the cores would allow were none idle, from that CPU and wrk's own
  (the client shares the cores), against the rate measured;
  and raw SQLite writing the rows the submissions made (bench/load/sqlite_rows_copy)
  at the batch size group commit reached and in batches of 2,000: the floor
  the schema sets on this machine, without HTTP, JSON or hashing.

Usage: bench/dossier_bench.py --binary build/release/motcua [--pg-url URL] [--duration 10]
                              [--rounds 3]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

from benchlib import (ROOT, DemoServer as Server, cpu_by_thread, free_port, print_table,
                      processes_named, raw_sqlite_copy, rss_mb, start_nginx, stop, wrk, wrk_cpu)

WRK = os.path.join(ROOT, "bench", "wrk")
LIFE_CLIENT = os.path.join(ROOT, "build/release/life_client")
PGBIN = "/usr/lib/postgresql/15/bin"
APPLICANT = {"kind": "person", "name": "Nguyễn Văn Dân", "id_number": "001090000001",
             "phone": "0912345678", "address": "Phường Ba Đình, Hà Nội"}


def pick_procedure(s):
    """A commune procedure taken online with components, as the API tests pick."""
    cursor = None
    while True:
        status, _, page = s.call("GET", "/api/v1/procedures?limit=50" +
                                 (f"&cursor={cursor}" if cursor else ""))
        assert status == 200, page
        for p in page["items"]:
            if p["competent_level"] == "commune" and any(
                    c["channel"] == "online" and c.get("time_amount") for c in p["channels"]):
                _, _, detail = s.call("GET", "/api/v1/procedures/" + p["code"])
                if detail["components"]:
                    return detail
        cursor = page.get("next_cursor")
        if not cursor:
            raise RuntimeError("no online commune procedure in the catalog")


def pgbench_tps(url, conns, duration):
    subprocess.run([f"{PGBIN}/pgbench", "-i", "-q", "-s", "10", url], check=True,
                   capture_output=True)
    out = subprocess.run([f"{PGBIN}/pgbench", "-c", str(conns), "-j", "2", "-T", str(duration),
                          url], check=True, capture_output=True, text=True).stdout
    return float(re.search(r"tps = ([\d.]+) \(without initial", out).group(1))


def life_client(port, conns, duration, env):
    """Whole lives over and over with bench/load/life_client (one light thread,
    so the server keeps the machine's cores); its figures by name."""
    p = subprocess.run([LIFE_CLIENT, "--port", str(port), "--connections", str(conns),
                        "--duration", str(duration)], capture_output=True, text=True,
                       env={**os.environ, **env})
    if p.returncode != 0:
        raise RuntimeError(f"{LIFE_CLIENT} failed: {p.stderr.strip()}")
    words = p.stdout.split()
    return {k: float(v) if "." in v else int(v) for k, v in zip(words[::2], words[1::2])}


def committer_stats(s):
    _, text = s.text("/metrics")
    got = {}
    for name in ("motcua_group_commit_batches_total", "motcua_group_commit_writes_total",
                 "motcua_group_commit_seconds_total", "motcua_group_commit_answer_seconds_total"):
        m = re.search(r"^" + name + r" ([\d.]+)", text, re.M)
        got[name] = float(m.group(1)) if m else 0
    return got


class Nginx:
    """nginx serving a 2 KB file (the size of a submission's answer) for the
    whole run, measured whenever a figure is compared with it; every run is
    kept for the reference's own row."""

    def __init__(self, work, duration):
        self.root = os.path.join(work, "static")
        os.makedirs(self.root)
        os.chmod(self.root, 0o755)
        with open(os.path.join(self.root, "unit.json"), "wb") as f:
            f.write(b"{" + b'"x":"' + b"a" * 2000 + b'"}')
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/unit.json"
        self.proc, self.conf_dir = start_nginx(self.root, port)
        self.duration = duration
        self.runs = []  # (req/s, p99 ms)
        self.cpu_us = []  # its processes' CPU a request, each run
        self.client_us = []  # wrk's, each run
        wrk(self.url, 2)  # warm-up

    def measure(self):
        pids = [self.proc.pid] + processes_named("nginx", parent=self.proc.pid)
        before = sum(cpu_by_thread(pids).values())
        rps, p99, _, client_us = wrk_cpu(self.url, self.duration)
        self.cpu_us.append((sum(cpu_by_thread(pids).values()) - before) / (rps * self.duration) * 1e6)
        self.client_us.append(client_us)
        self.runs.append((rps, p99))
        return rps

    def close(self):
        stop(self.proc)
        shutil.rmtree(self.conf_dir, ignore_errors=True)


def against_nginx(nginx, rounds, run):
    """`run()` ((req/s, p99 ms, non-2xx)) and nginx alternating in `rounds`
    rounds: (median req/s, worst p99, total non-2xx, median of the rounds'
    ratios, each round's ratio)."""
    got, ratios = [], []
    for _ in range(rounds):
        n = nginx.measure()
        r = run()
        got.append(r)
        ratios.append(r[0] / n)
    return (statistics.median(r[0] for r in got), max(r[1] for r in got),
            sum(r[2] for r in got), statistics.median(ratios), ratios)


def rounds_note(ratios):
    return "rounds " + " / ".join(f"{r:.2f}x" for r in ratios)


def spent_per_write(before, after, writes):
    """The server's CPU a write in us, by thread (the io threads together)."""
    spent = {}
    for thread, seconds in after.items():
        group = "io threads" if thread == "motcua" or thread.startswith("http-") else thread
        spent[group] = spent.get(group, 0) + (seconds - before.get(thread, 0)) / writes * 1e6
    return spent


def cpu_row(name, spent, pg_us, nginx):
    """Where a submission's CPU went: the server's threads, PostgreSQL's
    processes (`pg_us` a submission), against nginx's CPU a request."""
    parts = [f"{k} {v:.1f}" for k, v in sorted(spent.items(), key=lambda kv: -kv[1]) if v >= 0.05]
    if pg_us:
        parts.append(f"PostgreSQL's processes {pg_us:.1f}")
    return (f"{name}: server CPU a durable submission", f"{sum(spent.values()):.1f} us", "",
            " / ".join(parts) + f" us; nginx {statistics.median(nginx.cpu_us):.1f} us a request")


def ceiling_row(name, rps, server_us, client_us, nginx, rounds):
    """What the cores allow: each submission takes the server's CPU (with
    PostgreSQL's) and wrk's on the same cores, so were no core ever idle the
    rate could not pass cores / (their sum), nor the ratio pass that over
    nginx's rate in the same rounds (its last `rounds` runs). Beside it, how
    busy the measured rates kept the cores."""
    cores = os.cpu_count() or 1
    need = server_us + client_us
    ceiling = cores * 1e6 / need
    n_rps = statistics.median(r[0] for r in nginx.runs[-rounds:])
    n_cpu = statistics.median(nginx.cpu_us[-rounds:])
    n_client = statistics.median(nginx.client_us[-rounds:])
    return (f"{name}: submissions the cores allow", f"{ceiling:,.0f} req/s", "",
            f"{ceiling / n_rps:.2f}x nginx at the most: {cores} cores / (server {server_us:.1f}"
            f" + wrk {client_us:.1f} us a submission); the measured rate kept the cores"
            f" {rps * need / (cores * 1e6):.0%} busy, nginx"
            f" {n_rps * (n_cpu + n_client) / (cores * 1e6):.0%} ({n_cpu:.1f} + wrk {n_client:.1f}"
            " us a request)")


def measure(name, binary, db, work, duration, life_conns, rows, nginx, rounds, pg_url=None):
    s = Server(binary, db, work)
    try:
        proc = pick_procedure(s)
        tokens = {r: s.token(r) for r in ("citizen", "receiving_officer", "specialist", "leader")}
        _, _, me = s.call("GET", "/api/v1/auth/me",
                          headers={"Authorization": "Bearer " + tokens["specialist"]})
        specialist_id = str(me.get("id") or me["user"]["id"])
        body = json.dumps({"procedure_code": proc["code"], "competent_unit": "00004",
                           "applicant": APPLICANT, "form_data": {"ghi_chu": "thử"}},
                          ensure_ascii=False)
        receive = json.dumps({"components": [
            {"component_id": f"c{i + 1}", "form": "paper_original",
             "quantity": max(1, c.get("quantity") or 1)}
            for i, c in enumerate(proc["components"])]})
        base = f"http://127.0.0.1:{s.port}"
        env = {"BODY": body, "TOKEN": tokens["citizen"], "RECEIVE_BODY": receive,
               "T_CITIZEN": tokens["citizen"], "T_OFFICER": tokens["receiving_officer"],
               "T_SPECIALIST": tokens["specialist"], "T_LEADER": tokens["leader"],
               "SPECIALIST_ID": specialist_id}

        wrk(base + "/api/v1/dossiers", 2, script=f"{WRK}/submit.lua", env=env)  # warm-up
        before = committer_stats(s)
        cpu_before = cpu_by_thread([s.proc.pid])
        pg_before = ({p: sum(cpu_by_thread([p]).values()) for p in processes_named("postgres")}
                     if pg_url else {})
        client_us = []

        def submissions():
            rps, p99, err, us = wrk_cpu(base + "/api/v1/dossiers", duration,
                                        script=f"{WRK}/submit.lua", env=env)
            client_us.append(us)
            return rps, p99, err

        rps, p99, err, ratio, ratios = against_nginx(nginx, rounds, submissions)
        if err:
            # The access log is off for speed: what the server logged (an
            # internal error, a refused connection) is what there is to tell why.
            with open(s.err_path) as f:
                said = [line.rstrip() for line in f if "internal error" in line
                        or line.startswith("motcua http:")]
            print(f"dossier bench: {name}: {err} submissions not 2xx; the server logged:",
                  *(said[:20] or ["nothing"]), sep="\n  ", file=sys.stderr)
        rss_submit = rss_mb(s.proc.pid)
        cpu_after = cpu_by_thread([s.proc.pid])
        pg_cpu = sum(sum(cpu_by_thread([p]).values()) - pg_before.get(p, 0)
                     for p in processes_named("postgres")) if pg_url else 0
        after = committer_stats(s)
        batches = after["motcua_group_commit_batches_total"] - before["motcua_group_commit_batches_total"]
        writes = after["motcua_group_commit_writes_total"] - before["motcua_group_commit_writes_total"]
        rows.append((f"{name}: durable submissions, wrk 64 conn, median of {rounds}",
                     f"{rps:,.0f} req/s", f"p99 {p99:.2f} ms",
                     f"{ratio:.2f}x nginx (>= 0.5x; {rounds_note(ratios)}); p99 < 20 ms;"
                     f" non-2xx {err}"))
        if writes:
            spent = spent_per_write(cpu_before, cpu_after, writes)
            pg_us = pg_cpu / writes * 1e6
            rows.append(cpu_row(name, spent, pg_us, nginx))
            rows.append(ceiling_row(name, rps, sum(spent.values()) + pg_us,
                                    statistics.median(client_us), nginx, rounds))
        if batches:
            rows.append((f"{name}: group commit, mean writes per batch", f"{writes / batches:.1f}",
                         "", f"{batches:,} batches"))
        if db.startswith("sqlite:") and batches:
            # The floor under the submissions: raw SQLite writing the rows they
            # made (dossier, event, outbox) at the batch size group commit
            # reached, and in batches of 2,000.
            for chunk in (max(1, round(writes / batches)), 2000):
                made, _, seconds = raw_sqlite_copy(binary, db[len("sqlite:"):], work, chunk)
                rows.append((f"raw SQLite, the same rows, {chunk:,} a commit",
                             f"{made / seconds:,.0f} rows/s", "",
                             f"reference: submissions = {rps / (made / seconds):.2f}x this"))

        life = life_client(s.port, life_conns, duration, env)
        actions = (life["requests"] - life["failures"]) / life["seconds"]
        rows.append((f"{name}: full life (7 writes), C++ client {life_conns} conn",
                     f"{life['lives'] / life['seconds']:,.0f} lives/s",
                     f"p99 {life['p99_ms']:.2f} ms",
                     f"{actions:,.0f} actions/s; failures {life['failures']}"))
        if pg_url:
            tps = pgbench_tps(pg_url, life_conns, duration)
            rows.append((f"pgbench default script, same server, {life_conns} conn",
                         f"{tps:,.0f} tps", "", "reference"))
            rows.append((f"{name}: actions per second against pgbench", f"{actions / tps:.2f}x",
                         "", ">= 1.0x"))

        # Public status of a received dossier.
        h = {"Authorization": "Bearer " + tokens["citizen"]}
        status, _, d = s.call("POST", "/api/v1/dossiers", json.loads(body), h)
        assert status == 201, d
        status, _, d = s.call("POST", f"/api/v1/dossiers/{d['id']}/actions/receive",
                              json.loads(receive),
                              {"Authorization": "Bearer " + tokens["receiving_officer"],
                               "If-Match": f'"{d["version"]}"'})
        assert status == 200, d
        public = f"/api/v1/public/dossiers/{d['code']}"
        wrk(base + public, 2)
        rps_p, p99_p, err_p, ratio, ratios = against_nginx(
            nginx, rounds, lambda: wrk(base + public, duration))
        rss_load = rss_mb(s.proc.pid)
        size = len(s.text(public)[1].encode())
        rows.append((f"{name}: public status by code, wrk 64 conn, median of {rounds}",
                     f"{rps_p:,.0f} req/s", f"p99 {p99_p:.2f} ms",
                     f"{ratio:.2f}x nginx (>= 0.8x; {rounds_note(ratios)}); {size} B;"
                     f" non-2xx {err_p}"))
        rows.append((f"{name}: server RSS under load (submit / all)",
                     f"{rss_submit:.0f} / {rss_load:.0f} MB", "", "< 200 MB"))
    finally:
        s.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/release/motcua"))
    ap.add_argument("--pg-url", default=os.environ.get("MOTCUA_BENCH_PG_URL"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--life-conns", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=3, help="nginx / figure pairs per ratio")
    a = ap.parse_args()

    rows = []
    work = tempfile.mkdtemp(prefix="motcua-dossier-bench-")
    os.chmod(work, 0o755)
    nginx = Nginx(work, a.duration)
    try:
        measure("SQLite", a.binary, f"sqlite:{work}/bench.db", work, a.duration, a.life_conns,
                rows, nginx, a.rounds)
        if a.pg_url:
            measure("PostgreSQL", a.binary, a.pg_url, work, a.duration, a.life_conns, rows, nginx,
                    a.rounds, pg_url=a.pg_url)
    finally:
        nginx.close()
    rates = [r[0] for r in nginx.runs]
    rows.insert(0, (f"nginx static file (2 KB), wrk 64 conn, median of {len(rates)}",
                    f"{statistics.median(rates):,.0f} req/s",
                    f"p99 {statistics.median(r[1] for r in nginx.runs):.2f} ms",
                    "reference; runs " + " / ".join(f"{r:,.0f}" for r in rates) +
                    f"; CPU {statistics.median(nginx.cpu_us):.1f} us a request"))
    print_table(rows)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
