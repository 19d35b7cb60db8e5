#!/usr/bin/env python3
"""Dossier engine figures in one table, with nginx and pgbench measured in the
same run on the same machine.

  durable online submissions (JSON body, no files) with wrk at 64 connections
  against nginx serving a static file of the same size; the full life (submit,
  receive, assign, propose, approve, issue, return) per second on SQLite and
  PostgreSQL, driven by bench/load/life_client (one C++ thread, light enough
  not to starve the server on a small machine), and on PostgreSQL its actions per second against pgbench's default
  script on the same server at the same concurrency; public status lookups by
  code against nginx; the server's memory under that load; group commit batches;
  and raw SQLite writing the rows the submissions made (bench/load/sqlite_rows_copy)
  at the batch size group commit reached and in batches of 2,000: the floor
  the schema sets on this machine, without HTTP, JSON or hashing.

Usage: bench/dossier_bench.py --binary build/release/motcua [--pg-url URL] [--duration 10]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from benchlib import (ROOT, DemoServer as Server, free_port, print_table, raw_sqlite_copy, rss_mb,
                      start_nginx, stop, wrk)

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
    s.conn.request("GET", "/metrics")
    text = s.conn.getresponse().read().decode()
    got = {}
    for name in ("motcua_group_commit_batches_total", "motcua_group_commit_writes_total",
                 "motcua_group_commit_seconds_total", "motcua_group_commit_answer_seconds_total"):
        m = re.search(r"^" + name + r" ([\d.]+)", text, re.M)
        got[name] = float(m.group(1)) if m else 0
    return got


def measure(name, binary, db, work, duration, life_conns, rows, nginx_rps, pg_url=None):
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

        before = committer_stats(s)
        wrk(base + "/api/v1/dossiers", 2, script=f"{WRK}/submit.lua", env=env)  # warm-up
        rps, p99, err = wrk(base + "/api/v1/dossiers", duration, script=f"{WRK}/submit.lua", env=env)
        rss_submit = rss_mb(s.proc.pid)
        after = committer_stats(s)
        batches = after["motcua_group_commit_batches_total"] - before["motcua_group_commit_batches_total"]
        writes = after["motcua_group_commit_writes_total"] - before["motcua_group_commit_writes_total"]
        ratio = f"{rps / nginx_rps:.2f}x nginx (>= 0.5x)" if nginx_rps else ""
        rows.append((f"{name}: durable submissions, wrk 64 conn", f"{rps:,.0f} req/s",
                     f"p99 {p99:.2f} ms", f"{ratio}; p99 < 20 ms; non-2xx {err}"))
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
                             f"reference: {made / seconds / nginx_rps:.2f}x nginx; submissions ="
                             f" {rps / (made / seconds):.2f}x this" if nginx_rps else "reference"))

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
        rps_p, p99_p, err_p = wrk(base + public, duration)
        rss_load = rss_mb(s.proc.pid)
        s.conn.request("GET", public)
        size = len(s.conn.getresponse().read())
        ratio = f"{rps_p / nginx_rps:.2f}x nginx (>= 0.8x)" if nginx_rps else ""
        rows.append((f"{name}: public status by code, wrk 64 conn", f"{rps_p:,.0f} req/s",
                     f"p99 {p99_p:.2f} ms", f"{ratio}; {size} B; non-2xx {err_p}"))
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
    a = ap.parse_args()

    rows = []
    work = tempfile.mkdtemp(prefix="motcua-dossier-bench-")
    os.chmod(work, 0o755)
    static_root = os.path.join(work, "static")
    os.makedirs(static_root)
    os.chmod(static_root, 0o755)
    # A file the size of a submission's answer (about 2 KB).
    with open(os.path.join(static_root, "unit.json"), "wb") as f:
        f.write(b"{" + b'"x":"' + b"a" * 2000 + b'"}')
    nport = free_port()
    ng, ng_dir = start_nginx(static_root, nport)
    try:
        wrk(f"http://127.0.0.1:{nport}/unit.json", 2)
        n_rps, n_p99, _ = wrk(f"http://127.0.0.1:{nport}/unit.json", a.duration)
    finally:
        stop(ng)
        shutil.rmtree(ng_dir, ignore_errors=True)
    rows.append(("nginx static file (2 KB), wrk 64 conn", f"{n_rps:,.0f} req/s",
                 f"p99 {n_p99:.2f} ms", "reference"))
    measure("SQLite", a.binary, f"sqlite:{work}/bench.db", work, a.duration, a.life_conns, rows,
            n_rps)
    if a.pg_url:
        measure("PostgreSQL", a.binary, a.pg_url, work, a.duration, a.life_conns, rows, n_rps,
                pg_url=a.pg_url)
    print_table(rows)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
