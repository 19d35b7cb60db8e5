#!/usr/bin/env python3
"""GET /api/v1/procedures?q=... over HTTP: p50/p99 latency per query and overall,
with keep-alive connections from a few client threads, against a fresh server.

Usage: bench/catalog_http_bench.py --binary build/release/motcua [--requests 4000] [--threads 4]
"""
import argparse
import http.client
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse

from benchlib import ROOT, free_port

QUERIES = ["khai sinh", "đăng ký kết hôn", "chung thuc ban sao", "hộ kinh doanh", "giấy phép xây dựng",
           "thuong tru", "xác nhận tình trạng hôn nhân", "trợ cấp mai táng", "1.001193", ""]


def pct(v, p):
    v = sorted(v)
    return v[int(p * (len(v) - 1))] if v else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--threads", type=int, default=4)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="motcua-catbench-")
    port = free_port()
    p = subprocess.Popen([a.binary, "serve", "--listen", f"127.0.0.1:{port}", "--db", f"sqlite:{tmp}/b.db",
                          "--data", os.path.join(ROOT, "data"), "--no-access-log"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for line in p.stderr:
            if "listening on" in line:
                break
        paths = ["/api/v1/procedures?" + urllib.parse.urlencode({"q": q, "limit": 20}) for q in QUERIES]
        results = {q: [] for q in QUERIES}
        lock = threading.Lock()

        def worker(n, offset):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            local = {q: [] for q in QUERIES}
            for i in range(n):
                k = (i + offset) % len(paths)
                t0 = time.perf_counter()
                c.request("GET", paths[k])
                r = c.getresponse()
                r.read()
                dt = (time.perf_counter() - t0) * 1000
                assert r.status == 200, r.status
                local[QUERIES[k]].append(dt)
            c.close()
            with lock:
                for q, v in local.items():
                    results[q] += v

        # Warm up, then measure.
        worker(200, 0)
        results = {q: [] for q in QUERIES}
        ts = [threading.Thread(target=worker, args=(a.requests // a.threads, i)) for i in range(a.threads)]
        t0 = time.perf_counter()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        elapsed = time.perf_counter() - t0
        allv = [x for v in results.values() for x in v]
        print(f"GET /api/v1/procedures?q=... over HTTP: {len(allv)} requests, {a.threads} keep-alive clients, "
              f"{len(allv) / elapsed:.0f} req/s (milliseconds)\n")
        print("| %-30s | %6s | %7s | %7s |" % ("q", "n", "p50", "p99"))
        print("|--------------------------------|--------|---------|---------|")
        for q in QUERIES:
            print("| %-30s | %6d | %7.2f | %7.2f |" % (q or "(all)", len(results[q]), pct(results[q], .5),
                                                      pct(results[q], .99)))
        print("| %-30s | %6d | %7.2f | %7.2f |" % ("all", len(allv), pct(allv, .5), pct(allv, .99)))
        print("\ntarget: p99 under 5 ms")
    finally:
        p.terminate()
        p.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
