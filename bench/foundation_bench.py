#!/usr/bin/env python3
"""Foundation figures in one table, with nginx measured in the same run.

  start to first 200 (fresh import, then on an imported database), first import
  time (SQLite and, when a test cluster is given, PostgreSQL), server memory,
  GET /api/v1/units/{code} with wrk at 64 connections against nginx serving a
  static JSON file of the same size, and the in-process resolver figures.

Usage: bench/foundation_bench.py --binary build/release/motcua --resolver-bench build/release/resolver_bench
           [--pg-url URL] [--duration 10]
"""
import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile

from benchlib import (ROOT, free_port, print_table, rss_mb, start_nginx, start_server, stop,
                      wrk)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/release/motcua"))
    ap.add_argument("--resolver-bench", default=os.path.join(ROOT, "build/release/resolver_bench"))
    ap.add_argument("--pg-url", default=os.environ.get("MOTCUA_BENCH_PG_URL"))
    ap.add_argument("--duration", type=int, default=10)
    a = ap.parse_args()

    rows = []
    work = tempfile.mkdtemp(prefix="motcua-bench-")
    db = f"sqlite:{work}/bench.db"

    # First start: migrate + import, then a restart on the imported database.
    port = free_port()
    p, first_ms = start_server(a.binary, db, port)
    rows.append(("first start (migrate + import) to first 200, SQLite", f"{first_ms:.0f} ms", "", "import < 5 s"))
    rss_import = rss_mb(p.pid)
    stop(p)
    starts = []
    for _ in range(5):
        port = free_port()
        p, ms = start_server(a.binary, db, port)
        starts.append(ms)
        rss_loaded = rss_mb(p.pid)
        stop(p)
    rows.append(("start to first 200, imported SQLite (median of 5)", f"{sorted(starts)[2]:.0f} ms", "", "< 300 ms"))

    out = subprocess.run([a.binary, "import", "--db", f"sqlite:{work}/import.db"], capture_output=True,
                         text=True, check=True).stdout
    ms = re.search(r"in (\d+) ms", out).group(1)
    rows.append(("`motcua import` of all reference data, SQLite", f"{ms} ms", "", "< 5 s"))
    if a.pg_url:
        out = subprocess.run([a.binary, "import", "--db", a.pg_url], capture_output=True, text=True,
                             check=True).stdout
        ms = re.search(r"in (\d+) ms", out).group(1)
        rows.append(("`motcua import` of all reference data, PostgreSQL", f"{ms} ms", "", "< 5 s"))

    # Throughput against nginx serving a same-size file, same run, same machine.
    port = free_port()
    p, _ = start_server(a.binary, db, port)
    rows.append(("server RSS after first import / after restart", f"{rss_import:.0f} / {rss_loaded:.0f} MB", "", "< 100 MB"))
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("GET", "/api/v1/units/00004")
    body = c.getresponse().read()
    static_root = os.path.join(work, "static")
    os.makedirs(static_root)
    # nginx's workers drop root and must be able to read the file.
    os.chmod(work, 0o755)
    os.chmod(static_root, 0o755)
    with open(os.path.join(static_root, "unit.json"), "wb") as f:
        f.write(body)
    nport = free_port()
    ng, ng_dir = start_nginx(static_root, nport)
    try:
        wrk(f"http://127.0.0.1:{nport}/unit.json", 2)  # warm-up
        wrk(f"http://127.0.0.1:{port}/api/v1/units/00004", 2)
        n_rps, n_p99, _ = wrk(f"http://127.0.0.1:{nport}/unit.json", a.duration)
        m_rps, m_p99, m_err = wrk(f"http://127.0.0.1:{port}/api/v1/units/00004", a.duration)
        rss_load = rss_mb(p.pid)
        stop(p)
        # The same with the JSON access log on (written to /dev/null here).
        port = free_port()
        p, _ = start_server(a.binary, db, port, access_log=True)
        wrk(f"http://127.0.0.1:{port}/api/v1/units/00004", 2)
        l_rps, l_p99, l_err = wrk(f"http://127.0.0.1:{port}/api/v1/units/00004", a.duration)
    finally:
        stop(ng)
        shutil.rmtree(ng_dir, ignore_errors=True)
        stop(p)
    rows.append((f"nginx static file ({len(body)} B), wrk 64 conn", f"{n_rps:,.0f} req/s", f"p99 {n_p99:.2f} ms", "reference"))
    rows.append(("GET /api/v1/units/{code}, wrk 64 conn", f"{m_rps:,.0f} req/s", f"p99 {m_p99:.2f} ms",
                 f"{m_rps / n_rps:.2f}x nginx (>= 0.8x); non-2xx {m_err}"))
    rows.append(("the same with the access log on", f"{l_rps:,.0f} req/s", f"p99 {l_p99:.2f} ms",
                 f"{l_rps / n_rps:.2f}x nginx; non-2xx {l_err}"))
    rows.append(("server RSS under that load", f"{rss_load:.0f} MB", "", ""))

    if os.path.exists(a.resolver_bench):
        out = subprocess.run([a.resolver_bench], capture_output=True, text=True, check=True).stdout
        print(out)

    print_table(rows)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
