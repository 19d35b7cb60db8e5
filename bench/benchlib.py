"""What the HTTP benchmarks share: free ports, starting and stopping the
server and nginx, wrk runs parsed into figures, memory and CPU time of
processes, and the table every benchmark prints."""
import http.client
import json
import os
import re
import resource
import signal
import socket
import subprocess
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


def proc_stat(path):
    """(command name, the fields after it) of a /proc .../stat file, or None
    if the process or thread has gone."""
    try:
        with open(path) as f:
            stat = f.read()
    except OSError:
        return None
    return stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()


def cpu_by_thread(pids):
    """CPU time (user + system, seconds) the processes `pids` have used so
    far, by thread name, from /proc; a process gone meanwhile counts none."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for t in tasks:
            got = proc_stat(f"/proc/{pid}/task/{t}/stat")
            if got:
                name, fields = got
                out[name] = out.get(name, 0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def processes_named(prefix, parent=None):
    """The pids whose command name starts with `prefix` (and, given
    `parent`, whose parent is that pid)."""
    found = []
    for entry in os.listdir("/proc"):
        got = proc_stat(f"/proc/{entry}/stat") if entry.isdigit() else None
        if got and got[0].startswith(prefix) and (parent is None or int(got[1][1]) == parent):
            found.append(int(entry))
    return found


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def wrk(url, duration, conns=64, threads=2, script=None, env=None):
    """(requests/s, p99 ms, non-2xx count); `script` is a wrk Lua file."""
    return wrk_output(url, duration, conns, threads, script, env)[:3]


def wrk_cpu(url, duration, conns=64, threads=2, script=None, env=None):
    """(requests/s, p99 ms, non-2xx count, wrk's own CPU a request in us): the
    client shares the machine's cores with the server it measures."""
    rps, p99, errors, _, cpu = wrk_output(url, duration, conns, threads, script, env)
    return rps, p99, errors, cpu / max(rps * duration, 1) * 1e6


def wrk_output(url, duration, conns=64, threads=2, script=None, env=None):
    """The same, what wrk printed (a script's done() writes there too) and
    the CPU seconds wrk took."""
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s", "--latency"]
    if script:
        cmd += ["-s", script]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True,
                         env={**os.environ, **(env or {})}).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0, out, cpu


def start_nginx(root_dir, port, probe="/unit.json"):
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
        wait_200(port, probe, timeout=20)
    except RuntimeError:
        p.kill()
        with open(os.path.join(conf_dir, "error.log")) as f:
            raise RuntimeError("nginx did not serve the file: " + f.read()[-2000:])
    return p, conf_dir


def print_table(rows):
    """rows: (figure, value, latency, target or ratio)."""
    w = max(len(r[0]) for r in rows)
    print(f"{'figure'.ljust(w)} | {'value':>18} | {'latency':>14} | target / ratio")
    print("-" * (w + 60))
    for r in rows:
        print(f"{r[0].ljust(w)} | {r[1]:>18} | {r[2]:>14} | {r[3]}")


def settle():
    """Waits for the files a run just deleted to be written out and freed.
    A bulk run that starts meanwhile is slower: simulate runs back to back
    alternated 39-42k and 44-46k dossiers/s, and paired comparisons took the
    order of the pair for a difference; after a sync and a second, 43-45k."""
    os.sync()
    time.sleep(1)


def raw_sqlite_copy(binary, source_db, work, chunk=2000, only=None):
    """Raw SQLite writing `source_db`'s dossiers with their events and outbox
    rows (or only "dossiers" or "events") into an empty database that
    `binary` migrates, `chunk` dossiers a commit (bench/load/sqlite_rows_copy).
    Returns (dossiers, events, seconds)."""
    copier = os.path.join(os.path.dirname(binary), "sqlite_rows_copy")
    target = os.path.join(work, f"raw-copy-{os.getpid()}.db")
    try:
        subprocess.run([binary, "migrate", "--db", f"sqlite:{target}"], check=True,
                       capture_output=True)
        cmd = [copier, "--from", source_db, "--to", target, "--chunk", str(chunk)]
        settle()
        f = subprocess.run(cmd + (["--only", only] if only else []), check=True,
                           capture_output=True, text=True).stdout.split()
        return int(f[1]), int(f[3]), float(f[5])
    finally:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(target + suffix):
                os.remove(target + suffix)


class DemoServer:
    """The release binary with --demo on `db`; its stderr goes to a file (a
    pipe nobody reads could fill up and stall it)."""

    def __init__(self, binary, db, work):
        self.port = free_port()
        self.err_path = os.path.join(work, f"server-{self.port}.err")
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--db", db, "--data",
             os.path.join(ROOT, "data"), "--demo", "--no-access-log"],
            stdout=subprocess.DEVNULL, stderr=self.err)
        self.accounts = {}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            text = open(self.err_path).read()
            if "listening on http://" in text:
                break
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + text)
            time.sleep(0.05)
        for line in open(self.err_path):
            if "demo account role=" in line:
                fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
                self.accounts[fields["role"]] = fields
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def _exchange(self, method, path, data, headers):
        try:
            self.conn.request(method, path, data, headers)
            return self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closes a keep-alive connection left idle (a long
            # reference query ran meanwhile): once more on a new one.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, data, headers)
            return self.conn.getresponse()

    def call(self, method, path, body=None, headers=None):
        h = {"Content-Type": "application/json", **(headers or {})}
        data = json.dumps(body) if body is not None else None
        r = self._exchange(method, path, data, h)
        raw = r.read()
        return r.status, dict(r.getheaders()), (json.loads(raw) if raw else None)

    def text(self, path):
        """(status, body as text) of a GET, on the keep-alive connection."""
        r = self._exchange("GET", path, None, {})
        return r.status, r.read().decode()

    def token(self, role):
        a = self.accounts[role]
        status, _, doc = self.call("POST", "/api/v1/auth/login",
                                   {"username": a["username"], "password": a["password"],
                                    "session": "bearer"})
        assert status == 200, doc
        return doc["token"]

    def stop(self):
        stop(self.proc)
        self.err.close()
