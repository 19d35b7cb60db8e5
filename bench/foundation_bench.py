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
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_200(port, path="/healthz", timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            if r.status == 200:
                return time.monotonic()
        except OSError:
            pass
        time.sleep(0.002)
    raise RuntimeError("no 200 from port %d" % port)


def start_server(binary, db, port, threads=0, access_log=False):
    cmd = [binary, "serve", "--listen", f"127.0.0.1:{port}", "--db", db, "--data",
           os.path.join(ROOT, "data")]
    if not access_log:
        cmd.append("--no-access-log")
    if threads:
        cmd += ["--threads", str(threads)]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t1 = wait_200(port)
    return p, (t1 - t0) * 1000


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def wrk(url, duration, conns=64, threads=2):
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0


def start_nginx(root_dir, port):
    conf_dir = tempfile.mkdtemp(prefix="motcua-nginx-")
    conf = os.path.join(conf_dir, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""
worker_processes {os.cpu_count()};
daemon off;
pid {conf_dir}/nginx.pid;
error_log {conf_dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  client_body_temp_path {conf_dir}/body;
  proxy_temp_path {conf_dir}/proxy;
  fastcgi_temp_path {conf_dir}/fastcgi;
  uwsgi_temp_path {conf_dir}/uwsgi;
  scgi_temp_path {conf_dir}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {root_dir};
  }}
}}
""")
    p = subprocess.Popen(["nginx", "-c", conf, "-p", conf_dir], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        wait_200(port, "/unit.json", timeout=20)
    except RuntimeError:
        p.kill()
        with open(os.path.join(conf_dir, "error.log")) as f:
            raise RuntimeError("nginx did not serve the file: " + f.read()[-2000:])
    return p, conf_dir


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

    w = max(len(r[0]) for r in rows)
    print(f"{'figure'.ljust(w)} | {'value':>18} | {'latency':>14} | target / ratio")
    print("-" * (w + 60))
    for r in rows:
        print(f"{r[0].ljust(w)} | {r[1]:>18} | {r[2]:>14} | {r[3]}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
