"""The operator's commands through the real binary, on SQLite and PostgreSQL:
a check (`stats verify`, `audit verify`) changes nothing, refusing a database
older than the binary or an empty one, and reads a read-only SQLite file;
`serve`, `import` and `simulate` check what they can (arguments, the data
folder, the port, the uploads' and web folders, the payment key) before they
create or change a database; `user add` speaks both languages and keeps the
province of the unit it is given; importing the same units again leaves the
counters no mark."""
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import unittest

import harness
from harness import run_suites

# Every test has a database of its own (below), so any province will do.
PROVINCE = "20"


def run(*args, stdin=None):
    out = subprocess.run([harness.ARGS.binary, *args], capture_output=True, text=True,
                         input=stdin, timeout=600)
    return out.returncode, out.stdout + out.stderr


class CommandsCase(unittest.TestCase):
    """Each test on a database of its own: a SQLite file, or on PostgreSQL a
    database made beside the API's and dropped after."""
    BACKEND = None
    DB_URL = None

    def setUp(self):
        if self.BACKEND is None:
            raise unittest.SkipTest("base class")
        self.tmp = tempfile.mkdtemp(prefix="motcua-commands-")
        self.made = []

    def tearDown(self):
        for name in self.made:
            self.psql(os.environ["MOTCUA_TEST_PG_API_URL"], f"DROP DATABASE IF EXISTS {name}")
        shutil.rmtree(self.tmp, ignore_errors=True)

    @staticmethod
    def psql(url, sql):
        out = subprocess.run(["psql", url, "-XAtq", "-c", sql], capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    def fresh_url(self, name):
        """A URL of a database that does not exist yet on SQLite, or an empty
        one on PostgreSQL."""
        if self.BACKEND == "sqlite":
            return "sqlite:" + os.path.join(self.tmp, name + ".db")
        if shutil.which("psql") is None:
            self.skipTest("psql is needed to make a database of its own")
        base = os.environ["MOTCUA_TEST_PG_API_URL"]
        db = "motcua_cmd_" + name
        self.psql(base, f"DROP DATABASE IF EXISTS {db}")
        self.psql(base, f"CREATE DATABASE {db}")
        self.made.append(db)
        # urlunsplit would drop the empty host of postgresql:///DB?host=...
        head, _, query = base.partition("?")
        return head[:head.rindex("/") + 1] + db + ("?" + query if query else "")

    def query(self, url, sql):
        if self.BACKEND == "sqlite":
            db = sqlite3.connect(harness.sqlite_path(url))
            try:
                return str(db.execute(sql).fetchone()[0])
            finally:
                db.close()
        return self.psql(url, sql)

    def untouched(self, url):
        """The database a failed command was given is not there (SQLite) or
        has no table (PostgreSQL)."""
        if self.BACKEND == "sqlite":
            self.assertFalse(os.path.exists(harness.sqlite_path(url)), url)
        else:
            self.assertEqual(self.query(url, "SELECT count(*) FROM pg_tables"
                                             " WHERE schemaname = 'public'"), "0")

    def ready(self, name):
        url = self.fresh_url(name)
        code, out = run("migrate", "--db", url)
        self.assertEqual(code, 0, out)
        code, out = run("import", "--db", url, "--data", harness.ARGS.data)
        self.assertEqual(code, 0, out)
        return url

    def assertBoth(self, out, en, vi):
        self.assertIn(en, out)
        self.assertIn(vi, out)

    # 1. A check refuses an older schema, and an empty database, changing nothing.
    def test_checks_refuse_an_older_schema_and_leave_it(self):
        url = self.ready("older")
        latest = int(self.query(url, "SELECT max(version) FROM schema_migrations"))
        if self.BACKEND == "sqlite":
            harness.sqlite_edit(url, ("DELETE FROM schema_migrations WHERE version = ?", (latest,)))
        else:
            self.psql(url, f"DELETE FROM schema_migrations WHERE version = {latest}")
        for command in (("stats", "verify"), ("stats", "rebuild"), ("audit", "verify")):
            code, out = run(*command, "--db", url, "--data", harness.ARGS.data)
            self.assertEqual(code, 1, out)
            self.assertBoth(out, "run motcua migrate first", "hãy chạy motcua migrate trước")
            self.assertEqual(self.query(url, "SELECT max(version) FROM schema_migrations"),
                             str(latest - 1), command)

    def test_checks_on_an_empty_database_create_nothing(self):
        url = self.fresh_url("empty")
        if self.BACKEND == "sqlite":
            open(harness.sqlite_path(url), "wb").close()
        for command in (("stats", "verify"), ("audit", "verify"), ("stats", "rebuild")):
            code, out = run(*command, "--db", url)
            self.assertEqual(code, 1, out)
            self.assertIn("nothing to check", out)
            self.assertIn("không có gì để kiểm tra", out)
        if self.BACKEND == "sqlite":
            self.assertEqual(os.path.getsize(harness.sqlite_path(url)), 0)
            os.remove(harness.sqlite_path(url))
        self.untouched(url)

    # 2. A read-only copy is read.
    def test_checks_read_a_read_only_sqlite_file(self):
        if self.BACKEND != "sqlite":
            self.skipTest("a file's permissions")
        url = self.ready("source")
        code, out = run("simulate", "--db", url, "--province", PROVINCE, "--days", "3",
                        "--per-day", "1", "--seed", "3", "--data", harness.ARGS.data)
        self.assertEqual(code, 0, out)
        folder = os.path.join(self.tmp, "backup")
        os.mkdir(folder)
        copy = os.path.join(folder, "copy.db")
        shutil.copy(harness.sqlite_path(url), copy)
        os.chmod(copy, 0o444)
        os.chmod(folder, 0o555)
        os.chmod(self.tmp, 0o755)
        # Root writes whatever the modes say: run as nobody then.
        as_user = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                self.skipTest("root without runuser")
            as_user = ["runuser", "-u", "nobody", "--"]
        try:
            for command in (("stats", "verify"), ("audit", "verify")):
                out = subprocess.run([*as_user, harness.ARGS.binary, *command, "--db",
                                      "sqlite:" + copy], capture_output=True, text=True,
                                     timeout=600)
                self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertEqual(sorted(os.listdir(folder)), ["copy.db"])
        finally:
            os.chmod(folder, 0o755)

    # 3, 4, 6. serve checks before it opens the database.
    def test_serve_refuses_to_start_before_touching_the_database(self):
        url = self.fresh_url("serve")
        key_dir = os.path.join(self.tmp, "keydir")
        os.mkdir(key_dir)
        plain = os.path.join(self.tmp, "plain")
        open(plain, "w").close()
        no_index = os.path.join(self.tmp, "web")
        os.mkdir(no_index)
        busy = socket.socket()
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        cases = [
            (["--payment-url", "https://pay.example.vn", "--payment-key-file", key_dir],
             "is not a file", "không phải là tệp"),
            (["--files", os.path.join(plain, "files")], "is a file, not a folder",
             "là một tệp, không phải thư mục"),
            (["--static", "/nonexistent-motcua-web"], "There is no folder",
             "Không có thư mục"),
            (["--static", no_index], "holds no index.html", "không có index.html"),
            (["--data", "/nonexistent-motcua-data"], "has no units/ folder",
             "không có thư mục units/"),
            (["--listen", f"127.0.0.1:{port}"], "Address already in use",
             "Hãy chọn cổng khác"),
        ]
        try:
            for extra, en, vi in cases:
                args = ["serve", "--listen", "127.0.0.1:0", "--db", url, "--data",
                        harness.ARGS.data, *extra]
                code, out = run(*args)
                self.assertEqual(code, 1, (extra, out))
                self.assertBoth(out, en, vi)
                self.untouched(url)
        finally:
            busy.close()

    def test_import_and_simulate_check_before_touching_the_database(self):
        url = self.fresh_url("import")
        code, out = run("import", "--db", url, "--data", "/nonexistent-motcua-data")
        self.assertEqual(code, 1, out)
        self.untouched(url)
        code, out = run("simulate", "--db", url, "--data", harness.ARGS.data)
        self.assertEqual(code, 2, out)
        self.assertBoth(out, "--province CODE is required", "Cần --province")
        self.untouched(url)

    # 5. The session's life is bounded.
    def test_session_ttl_is_at_most_366_days(self):
        code, out = run("serve", "--session-ttl", "10000000000", "--db", self.DB_URL("ttl"))
        self.assertEqual(code, 2, out)
        self.assertIn("--session-ttl", out)
        self.assertIn("31622400", out)

    # 7. user add in both languages, and the unit's province kept.
    def test_user_add_speaks_both_languages_and_keeps_the_units_province(self):
        url = self.ready("users")
        code, out = run("user", "add", "--db", url, "--username", "x")
        self.assertEqual(code, 2, out)
        self.assertBoth(out, "needs --username, --role and --password-stdin",
                        "cần --username, --role và --password-stdin")
        code, out = run("user", "add", "--db", url, "--username", "x", "--role",
                        "receiving_officer", "--unit", "00004", "--password-stdin", stdin="")
        self.assertEqual(code, 2, out)
        self.assertBoth(out, "no password on stdin", "không có mật khẩu ở stdin")
        args = ["user", "add", "--db", url, "--username", "lan", "--role", "receiving_officer",
                "--unit", "00004", "--password-stdin"]
        code, out = run(*args, "--province", "79", stdin="a long enough password 1\n")
        self.assertEqual(code, 1, out)
        self.assertBoth(out, "belongs to province 01, not 79", "thuộc tỉnh 01, không phải 79")
        self.assertEqual(self.query(url, "SELECT count(*) FROM users WHERE username = 'lan'"), "0")
        code, out = run(*args, "--province", "01", stdin="a long enough password 1\n")
        self.assertEqual(code, 0, out)

    # 8. --sweep-every 0 says what it turns off.
    def test_sweep_every_0_says_what_is_off(self):
        code, out = run("--help")
        self.assertEqual(code, 0, out)
        self.assertIn("0 turns all three off", out)
        server = harness.Server(self.ready("sweep"), extra=["--sweep-every", "0"], demo=False)
        try:
            log = "".join(server.stderr_lines)
            self.assertIn("--sweep-every 0: no deadline sweep", log)
            self.assertIn("--sweep-every 0: không quét hạn xử lý", log)
            # Serving (and a stop that finds it running, its signals handled).
            status, _, _ = server.request("GET", "/healthz")
            self.assertEqual(status, 200)
        finally:
            self.assertEqual(server.stop(), 0, "".join(server.stderr_lines)[-4000:])

    # 9. The same units again leave the counters no mark.
    def test_importing_the_same_units_again_leaves_no_mark(self):
        url = self.ready("reimport")
        code, out = run("simulate", "--db", url, "--province", PROVINCE, "--days", "3",
                        "--per-day", "1", "--seed", "5", "--data", harness.ARGS.data)
        self.assertEqual(code, 0, out)
        code, out = run("stats", "rebuild", "--db", url)
        self.assertEqual(code, 0, out)
        imports = self.query(url, "SELECT count(*) FROM reference_imports")
        code, out = run("import", "--db", url, "--data", harness.ARGS.data)
        self.assertEqual(code, 0, out)
        self.assertBoth(out, "nothing changed", "không có gì thay đổi")
        self.assertNotIn("must be recomputed", out)
        self.assertEqual(self.query(url, "SELECT count(*) FROM reference_imports"), imports)
        code, out = run("stats", "verify", "--db", url)
        self.assertEqual(code, 0, out)


    # 10. A dossier whose stored body cannot be read is named by what stops on it.
    def test_a_corrupt_body_is_named_by_the_commands_that_stop_on_it(self):
        url = self.ready("corrupt")
        code, out = run("simulate", "--db", url, "--province", PROVINCE, "--days", "3",
                        "--per-day", "1", "--seed", "5", "--data", harness.ARGS.data)
        self.assertEqual(code, 0, out)
        victim = self.query(url, "SELECT id FROM dossiers ORDER BY id LIMIT 1")
        edit = f"UPDATE dossiers SET body = '{{\"so_tien\":Infinity}}' WHERE id = '{victim}'"
        if self.BACKEND == "sqlite":
            harness.sqlite_edit(url, (edit, ()))
        else:
            self.psql(url, edit)
        # It said only "A stored dossier is corrupt: not a JSON object": which
        # one, among thousands, was for the operator to find.
        for command in (("stats", "rebuild"), ("stats", "verify")):
            code, out = run(*command, "--db", url)
            self.assertEqual(code, 1, out)
            self.assertBoth(out, f"A stored dossier is corrupt: not a JSON object ({victim}",
                            f"Dữ liệu hồ sơ đã lưu bị hỏng: not a JSON object ({victim}")


if __name__ == "__main__":
    run_suites([CommandsCase])
