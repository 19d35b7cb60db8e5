"""Online payment through the payment platform, through the real binary on
SQLite and PostgreSQL: the applicant's signed order, the platform's signed
notice recorded once (and only for the amount due, with a good signature),
the operations centre counting the payment online; and a server without a
platform saying that online payment is off."""
import hashlib
import hmac
import json
import os
import tempfile
import urllib.parse

import harness
from harness import run_suites

from dossier_client import RUN, DossierClient

PLATFORM = "https://thanhtoan.dichvucong.example/pay"
KEY = b"k" * 16 + os.urandom(16).hex().encode()


def key_file(content):
    f = tempfile.NamedTemporaryFile(prefix="motcua-paykey-", delete=False)
    f.write(content)
    f.close()
    return f.name


class PaymentCase(DossierClient):
    @classmethod
    def server_args(cls):
        return ("--payment-url", PLATFORM, "--payment-key-file", key_file(KEY + b"\n"))

    def notify(self, body, key=KEY, signature=None):
        raw = json.dumps(body).encode()
        sig = signature if signature is not None else hmac.new(key, raw, hashlib.sha256).hexdigest()
        return self.call("POST", "/api/v1/payments/notify", raw, headers={"Payment-Signature": sig})

    def order(self, ref, return_url=None, role="citizen"):
        back = return_url if return_url is not None else \
            f"http://127.0.0.1:{self.server.port}/ho-so/{ref}"
        return self.call("POST", f"/api/v1/dossiers/{ref}/payment", {"return_url": back}, role)

    def fee_state(self, ref):
        status, _, d = self.call("GET", "/api/v1/dossiers/" + ref, role="citizen")
        self.assertEqual(status, 200, d)
        return d["version"], [(f["amount_vnd"], f["paid"], f["paid_online"], f["receipt"]) for f in d["fees"]]

    def paid_online_today(self):
        status, _, f = self.call("GET", "/api/v1/stats/indicators?unit=00004&period=day",
                                 role="province_supervisor")
        self.assertEqual(status, 200, f)
        return f["counters"]["paid_online"], f["counters"]["fees_due"]

    def test_a_citizen_pays_online_through_the_platform(self):
        status, _, d = self.submit(procedure_code="L.000007")  # temporary residence: 7,000 online
        self.assertEqual(status, 201, d)
        ref = d["id"]

        # The order: the platform's page, with the amount due signed.
        status, _, o = self.order(ref)
        self.assertEqual(status, 200, o)
        self.assertEqual((o["dossier_id"], o["amount_vnd"]), (ref, 7000))
        url = urllib.parse.urlsplit(o["pay_url"])
        self.assertEqual(f"{url.scheme}://{url.netloc}{url.path}", PLATFORM)
        signed, _, signature = url.query.rpartition("&signature=")
        self.assertEqual(signature, hmac.new(KEY, signed.encode(), hashlib.sha256).hexdigest())
        q = dict(urllib.parse.parse_qsl(signed))
        self.assertEqual(q, {"amount_vnd": "7000", "dossier_id": ref,
                             "return_url": f"http://127.0.0.1:{self.server.port}/ho-so/{ref}"})

        # The way back must be on this site; only the applicant orders.
        for back in ("https://evil.example/ho-so", f"http://127.0.0.1:{self.server.port}.evil.example/",
                     "javascript:alert(1)", ""):
            status, headers, doc = self.order(ref, back)
            self.assertProblem(status, headers, doc, 400, "return_url")
        status, headers, doc = self.order(ref, role="receiving_officer")
        self.assertProblem(status, headers, doc, 403, "actor")

        # Notices that must change nothing: a wrong signature, another key,
        # an amount that is not what is due, a payment that did not go through,
        # a dossier that does not exist.
        paid = {"dossier_id": ref, "amount_vnd": 7000, "transaction": f"GD-{RUN}", "status": "paid"}
        before = self.fee_state(ref)
        self.assertEqual(before[1], [(7000, False, False, "")])
        status, headers, doc = self.notify(paid, signature="0" * 64)
        self.assertProblem(status, headers, doc, 401, "Payment-Signature")
        status, headers, doc = self.notify(paid, key=b"x" * 40)
        self.assertProblem(status, headers, doc, 401, "Payment-Signature")
        status, headers, doc = self.notify(paid, signature="")
        self.assertProblem(status, headers, doc, 401, "Payment-Signature")
        status, headers, doc = self.notify(dict(paid, amount_vnd=5000))
        doc = self.assertProblem(status, headers, doc, 409, "amount_vnd")
        self.assertIn("7000", doc["detail"])
        status, headers, doc = self.notify(dict(paid, transaction=""))
        self.assertProblem(status, headers, doc, 400, "transaction")
        status, headers, doc = self.notify(dict(paid, status="refunded"))
        self.assertProblem(status, headers, doc, 400, "status")
        status, _, doc = self.notify(dict(paid, status="failed"))
        self.assertEqual((status, doc["recorded"]), (200, False), doc)
        status, headers, doc = self.notify(dict(paid, dossier_id="HS-khong-co"))
        self.assertProblem(status, headers, doc, 404)
        self.assertEqual(self.fee_state(ref), before)
        # Nor may anyone record it through the actions.
        status, headers, doc = self.act("citizen", ref, "pay_online", before[0],
                                        {"receipt": "GD-1", "amount_vnd": 7000})
        self.assertProblem(status, headers, doc, 403)

        # The payment: recorded once, durable before the answer.
        status, _, doc = self.notify(paid)
        self.assertEqual(status, 200, doc)
        self.assertEqual((doc["recorded"], doc["replayed"], doc["version"]), (True, False, before[0] + 1))
        version, fees = self.fee_state(ref)
        self.assertEqual((version, fees), (before[0] + 1, [(7000, True, True, f"GD-{RUN}")]))
        status, _, events = self.call("GET", f"/api/v1/dossiers/{ref}/events", role="citizen")
        last = events["items"][-1]
        self.assertEqual((last["action"], last["actor"]["role"]), ("pay_online", "payment_platform"))
        # The platform repeats its notice: answered, nothing changes.
        status, _, doc = self.notify(paid)
        self.assertEqual((status, doc["replayed"], doc["version"]), (200, True, version), doc)
        status, headers, doc = self.notify(dict(paid, transaction=f"GD-{RUN}-2"))
        self.assertProblem(status, headers, doc, 409)
        status, headers, doc = self.order(ref)
        self.assertProblem(status, headers, doc, 409)
        self.assertEqual(self.fee_state(ref)[0], version)

        # Received, it counts as paid online in the day's figures.
        was = self.paid_online_today()
        status, _, r = self.act("receiving_officer", ref, "receive", version,
                                {"components": [{"component_id": "c1", "form": "paper_original"},
                                                {"component_id": "c2", "form": "paper_original"}]})
        self.assertEqual(status, 200, r)
        self.assertNotIn("pay", r["allowed_actions"])
        self.assertEqual(self.paid_online_today(), (was[0] + 1, was[1] + 1))

    def test_only_what_is_due_on_a_live_dossier_is_paid_online(self):
        """A withdrawn dossier is not paid; a free procedure owes nothing; a
        dossier the desk opened is not the citizen's, and staff do not order."""
        status, _, d = self.submit(procedure_code="L.000007")
        self.assertEqual(status, 201, d)
        status, _, gone = self.act("citizen", d["id"], "withdraw", d["version"],
                                   {"note": "Không còn nhu cầu"})
        self.assertEqual(status, 200, gone)
        status, headers, doc = self.order(d["id"])
        doc = self.assertProblem(status, headers, doc, 409, "state")
        self.assertIn("withdrawn", doc["detail"])
        status, _, free = self.submit(procedure_code="1.001193")  # birth registration: no fee
        self.assertEqual((status, free["fees"]), (201, []), free)
        status, headers, doc = self.order(free["id"])
        doc = self.assertProblem(status, headers, doc, 409)
        self.assertEqual(doc["detail"], "The dossier has no fee left to pay.")
        status, _, desk = self.call("POST", "/api/v1/dossiers",
                                    self.submission(procedure_code="L.000007"), "receiving_officer")
        self.assertEqual(status, 201, desk)
        status, headers, doc = self.order(desk["id"])
        self.assertProblem(status, headers, doc, 404)
        status, headers, doc = self.order(desk["id"], role="receiving_officer")
        self.assertProblem(status, headers, doc, 403, "actor")


    def test_a_payment_noticed_after_the_dossier_closed_is_still_recorded(self):
        """The citizen paid, then withdrew before the platform's notice came:
        the money was taken, so the notice is recorded (a refund is the
        desk's), not refused for good while the platform keeps repeating it."""
        status, _, d = self.submit(procedure_code="L.000007")
        self.assertEqual(status, 201, d)
        status, _, order = self.order(d["id"])
        self.assertEqual(status, 200, order)
        status, _, gone = self.act("citizen", d["id"], "withdraw", d["version"],
                                   {"note": "Không còn nhu cầu"})
        self.assertEqual(status, 200, gone)
        notice = {"dossier_id": d["id"], "amount_vnd": 7000, "transaction": "LATE-" + RUN,
                  "status": "paid"}
        status, _, doc = self.notify(notice)
        self.assertEqual(status, 200, doc)
        self.assertEqual((doc["recorded"], doc["replayed"]), (True, False))
        version, fees = self.fee_state(d["id"])
        self.assertEqual(fees, [(7000, True, True, "LATE-" + RUN)])
        status, _, seen = self.call("GET", "/api/v1/dossiers/" + d["id"], role="citizen")
        self.assertEqual(seen["state"], "withdrawn")
        status, _, doc = self.notify(notice)
        self.assertEqual((status, doc["replayed"]), (200, True))
        self.assertEqual(self.fee_state(d["id"])[0], version)


class NoPlatformCase(DossierClient):
    """Without a platform, online payment says it is off (503) and the
    server refuses half a configuration or a short key at start."""

    def test_online_payment_is_off_without_a_platform(self):
        status, _, d = self.submit(procedure_code="L.000007")
        self.assertEqual(status, 201, d)
        status, headers, doc = self.call("POST", f"/api/v1/dossiers/{d['id']}/payment",
                                         {"return_url": f"http://127.0.0.1:{self.server.port}/"}, "citizen")
        doc = self.assertProblem(status, headers, doc, 503)
        self.assertIn("tại bộ phận một cửa", doc["detail_vi"])
        raw = json.dumps({"dossier_id": d["id"], "amount_vnd": 7000, "transaction": "GD-1",
                          "status": "paid"})
        status, headers, doc = self.call("POST", "/api/v1/payments/notify", raw,
                                         headers={"Payment-Signature": "00"})
        self.assertProblem(status, headers, doc, 503)

    def test_a_half_or_weak_configuration_is_refused_at_start(self):
        if self.BACKEND != "sqlite":
            self.skipTest("start-up options, checked once")
        db = self.DB_URL(self.__class__.__name__ + "_start")
        for extra, words in ((("--payment-url", PLATFORM), "--payment-key-file"),
                             (("--payment-url", PLATFORM, "--payment-key-file", key_file(b"short\n")), "32"),
                             (("--payment-url", PLATFORM, "--payment-key-file", "/khong/co/tep"),
                              "/khong/co/tep is not a file"),
                             (("--payment-url", "ftp://x", "--payment-key-file", key_file(KEY)), "http")):
            with self.assertRaises(RuntimeError) as e:
                harness.Server(db, extra=extra)
            self.assertIn(words, str(e.exception))


class PaymentBackToThePublicSite(DossierClient):
    """With the site's address named (--public-url), an order sends people
    back there only, whatever Host a request names: a citizen could else have
    the platform sign an order that returns its payer to a site of their own."""
    SITE = "https://dichvucong.example.vn"

    @classmethod
    def server_args(cls):
        return PaymentCase.server_args() + ("--public-url", cls.SITE + "/")

    def order_from(self, ref, back, host):
        h = {"Host": host, "Content-Type": "application/json", **self.server.auth_headers("citizen")}
        status, headers, raw = self.server.request("POST", f"/api/v1/dossiers/{ref}/payment",
                                                   json.dumps({"return_url": back}), h)
        return status, headers, json.loads(raw)

    def test_the_platform_sends_people_back_to_the_site_only(self):
        status, _, d = self.submit(procedure_code="L.000007")
        self.assertEqual(status, 201, d)
        for back, host in (("https://evil.example/dang-nhap", "evil.example"),
                           (self.SITE + ".evil.example/x", "dichvucong.example.vn"),
                           (f"http://127.0.0.1:{self.server.port}/ho-so/{d['id']}", f"127.0.0.1:{self.server.port}"),
                           ("http://dichvucong.example.vn/ho-so", "dichvucong.example.vn")):
            status, headers, doc = self.order_from(d["id"], back, host)
            self.assertProblem(status, headers, doc, 400, "return_url")
        for back in (self.SITE, self.SITE + "/ho-so/" + d["id"]):
            status, _, doc = self.order_from(d["id"], back, "evil.example")
            self.assertEqual(status, 200, doc)
            self.assertIn("return_url=" + urllib.parse.quote(back, safe=""), doc["pay_url"])
        self.assertNotIn("without --public-url", "".join(self.server.stderr_lines))

    def test_without_it_the_operator_is_warned(self):
        plain = harness.Server(self.DB_URL("no-public-url"), extra=PaymentCase.server_args(), demo=False)
        try:
            self.assertIn("online payment without --public-url", "".join(plain.stderr_lines))
        finally:
            self.assertEqual(plain.stop(), 0)


if __name__ == "__main__":
    run_suites([PaymentCase, NoPlatformCase, PaymentBackToThePublicSite])
