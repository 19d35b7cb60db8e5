"""Files of dossiers through the real binary, on SQLite and PostgreSQL: uploads
sniffed from their bytes (PDF, JPEG, PNG only), the size limit, deduplication,
a submission referencing its upload, downloads only for those who may see the
dossier, and refused requests that change nothing."""
import hashlib
import json
import os
import time
import urllib.parse

import harness
from harness import Server, ServerCase, run_suites

RUN = f"{os.getpid()}-{time.time_ns()}"
APPLICANT = {"kind": "person", "name": "Lê Văn Tệp", "id_number": "001090000003",
             "phone": "0911111111", "address": "Phường Ba Đình, Hà Nội"}
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + RUN.encode() + b"\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + RUN.encode() + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + RUN.encode()


class AttachmentCase(ServerCase):
    @classmethod
    def setUpClass(cls):
        if cls.BACKEND is None:
            raise harness.unittest.SkipTest("base class")
        # A small limit, so that going over it is cheap.
        cls.server = Server(cls.DB_URL(cls.__name__), extra=["--max-upload-mb", "1"])

    def upload(self, data, role="citizen", name=None, content_type="application/octet-stream"):
        h = dict(self.server.auth_headers(role))
        h["Content-Type"] = content_type
        if name is not None:
            h["X-File-Name"] = urllib.parse.quote(name)
        status, headers, raw = self.server.request("POST", "/api/v1/attachments", data, h)
        return status, headers, raw

    def call(self, method, path, body=None, role=None, headers=None):
        h = dict(headers or {})
        if role:
            h.update(self.server.auth_headers(role))
        data = None
        if body is not None:
            data = json.dumps(body)
            h["Content-Type"] = "application/json"
        return self.server.request(method, path, data, h)

    def procedure(self):
        _, _, page = self.server.get_json("/api/v1/procedures?limit=100")
        for p in page["items"]:
            if p["competent_level"] == "commune" and any(
                    c["channel"] == "online" and c.get("time_amount") for c in p["channels"]):
                _, _, detail = self.server.get_json("/api/v1/procedures/" + p["code"])
                if detail["components"]:
                    return detail["code"]
        self.fail("no online commune procedure")

    def submit_with(self, sha, role="citizen"):
        body = {"procedure_code": self.procedure(), "competent_unit": "00004",
                "applicant": APPLICANT,
                "components": [{"component_id": "c1", "form": "uploaded_file", "file_ref": sha}]}
        status, _, raw = self.call("POST", "/api/v1/dossiers", body, role)
        return status, json.loads(raw)

    def test_a_file_name_with_a_control_character_is_not_kept(self):
        for i, name in enumerate(("tờ\x01khai.pdf", "tờ\x00khai.pdf", "tờ\x7fkhai.pdf")):
            data = PDF + f"% control name {i} {RUN}\n".encode()
            status, _, raw = self.upload(data, name=name)
            self.assertEqual(status, 201, raw)
            self.assertEqual(json.loads(raw)["file_name"], "", name)
        status, _, raw = self.upload(PDF + f"% plain name {RUN}\n".encode(), name="tờ khai.pdf")
        self.assertEqual(json.loads(raw)["file_name"], "tờ khai.pdf")

    def test_a_file_name_with_a_line_break_or_tab_is_not_kept(self):
        # The text rule of notes lets these through; "a\r\nb.pdf" was kept.
        for i, name in enumerate(("a\r\nb.pdf", "tờ\nkhai.pdf", "tờ\rkhai.pdf", "tờ\tkhai.pdf")):
            data = PDF + f"% line break name {i} {RUN}\n".encode()
            status, _, raw = self.upload(data, name=name)
            self.assertEqual(status, 201, raw)
            doc = json.loads(raw)
            self.assertEqual(doc["file_name"], "", name)
            status, _, raw = self.call("GET", f"/api/v1/attachments/{doc['sha256']}/meta",
                                       role="citizen")
            self.assertEqual(status, 200, raw)
            self.assertEqual(json.loads(raw)["file_name"], "", name)

    def test_a_file_name_that_hides_its_end_is_not_kept(self):
        # U+202E shows "hoadon<U+202E>fdp.exe" as "hoadonexe.pdf": the staff
        # who download it would read another file's name than the one it has.
        for i, name in enumerate(("hoadon\u202efdp.exe", "tờ\u2067khai.pdf")):
            status, _, raw = self.upload(PDF + f"% override {i} {RUN}\n".encode(), name=name)
            self.assertEqual(status, 201, raw)
            self.assertEqual(json.loads(raw)["file_name"], "", name)

    def test_a_file_name_is_kept_composed(self):
        # A name from a system that writes it decomposed is the same name.
        status, _, raw = self.upload(PDF + f"% decomposed {RUN}\n".encode(),
                                     name="To\u0302\u0300 khai.pdf")
        self.assertEqual(status, 201, raw)
        self.assertEqual(json.loads(raw)["file_name"], "Tồ khai.pdf")

    def test_a_long_file_name_is_cut_between_characters(self):
        # 255 bytes at most; "a" and 100 three-byte letters would be cut
        # inside the 85th letter, leaving a name that is not UTF-8.
        status, _, raw = self.upload(PDF + f"% long name {RUN}\n".encode(),
                                     name="a" + "ờ" * 100 + ".pdf")
        self.assertIn(status, (200, 201), raw)
        doc = json.loads(raw.decode("utf-8", errors="strict"))
        self.assertEqual(doc["file_name"], "a" + "ờ" * 84)
        status, _, raw = self.call("GET", f"/api/v1/attachments/{doc['sha256']}/meta",
                                   role="citizen")
        self.assertEqual(status, 200, raw)
        self.assertEqual(json.loads(raw.decode("utf-8", errors="strict"))["file_name"],
                         "a" + "ờ" * 84)

    def test_pdf_jpeg_and_png_are_taken_by_their_bytes(self):
        for data, media in ((PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")):
            status, headers, raw = self.upload(data, name="Tờ khai đăng ký.pdf")
            self.assertEqual(status, 201, raw)
            doc = json.loads(raw)
            self.assertEqual(doc["sha256"], hashlib.sha256(data).hexdigest())
            self.assertEqual(doc["size"], len(data))
            self.assertEqual(doc["media_type"], media)
            self.assertEqual(doc["file_name"], "Tờ khai đăng ký.pdf")
            status, _, raw = self.call("GET", f"/api/v1/attachments/{doc['sha256']}/meta",
                                       role="citizen")
            self.assertEqual(status, 200, raw)
            self.assertEqual(json.loads(raw)["media_type"], media)
            # Another person does not see someone's upload.
            status, _, _ = self.call("GET", f"/api/v1/attachments/{doc['sha256']}/meta",
                                     role="receiving_officer")
            self.assertEqual(status, 404)

    def test_other_types_are_415_whatever_they_claim(self):
        for data, name, ctype in ((b"just some text", "note.txt", "text/plain"),
                                  (b"MZ\x90\x00 an executable", "scan.pdf", "application/pdf"),
                                  (b"PK\x03\x04 a docx", "form.docx", "application/pdf"),
                                  (b"GIF89a....", "photo.png", "image/png")):
            status, headers, raw = self.upload(data, name=name, content_type=ctype)
            doc = self.assertProblem(status, headers, raw, 415, "body")
            self.assertIn("PDF", doc["detail"])
            sha = hashlib.sha256(data).hexdigest()
            status, _, _ = self.call("GET", f"/api/v1/attachments/{sha}/meta", role="citizen")
            self.assertEqual(status, 404, "a refused upload must leave nothing")

    def test_empty_is_400_and_over_the_limit_is_413(self):
        status, headers, raw = self.upload(b"")
        self.assertProblem(status, headers, raw, 400, "body")
        big = PDF + b"0" * (1 << 20)
        status, headers, raw = self.upload(big)
        doc = self.assertProblem(status, headers, raw, 413)
        # The limit as the option sets it, not 1048576 bytes.
        self.assertIn("1 MB", doc["detail"])
        self.assertIn("1 MB", doc["detail_vi"])
        status, _, _ = self.call("GET", f"/api/v1/attachments/{hashlib.sha256(big).hexdigest()}/meta",
                                 role="citizen")
        self.assertEqual(status, 404)
        # Just under the limit is fine.
        status, _, raw = self.upload(PDF + b"1" * ((1 << 20) - len(PDF) - 1))
        self.assertEqual(status, 201, raw)

    def test_the_same_bytes_twice_are_stored_once(self):
        data = PDF + b"dedupe"
        status, _, first = self.upload(data)
        self.assertEqual(status, 201, first)
        status, _, again = self.upload(data)
        self.assertEqual(status, 200, again)
        self.assertEqual(json.loads(again)["sha256"], json.loads(first)["sha256"])
        # Another person uploading the same bytes may use them too, and is
        # not told that someone had them already.
        status, _, theirs = self.upload(data, role="receiving_officer")
        self.assertEqual(status, 201, theirs)
        status, _, again = self.upload(data, role="receiving_officer")
        self.assertEqual(status, 200, again)
        status, _, _ = self.call("GET", f"/api/v1/attachments/{json.loads(first)['sha256']}/meta",
                                 role="receiving_officer")
        self.assertEqual(status, 200)

    def test_the_same_bytes_sent_again_under_a_new_name_take_that_name(self):
        data = PDF + b"renamed"
        status, _, first = self.upload(data, name="ban-nhap.pdf")
        self.assertEqual(status, 201, first)
        sha = json.loads(first)["sha256"]
        status, _, again = self.upload(data, name="Giấy khai sinh.pdf")
        self.assertEqual(status, 200, again)
        self.assertEqual(json.loads(again)["file_name"], "Giấy khai sinh.pdf")
        status, _, meta = self.call("GET", f"/api/v1/attachments/{sha}/meta", role="citizen")
        self.assertEqual(status, 200, meta)
        self.assertEqual(json.loads(meta)["file_name"], "Giấy khai sinh.pdf")
        # Sent again with no name: the name it has stays.
        status, _, nameless = self.upload(data)
        self.assertEqual(status, 200, nameless)
        self.assertEqual(json.loads(nameless)["file_name"], "Giấy khai sinh.pdf")
        # Another person's name for the same bytes is theirs only.
        status, _, theirs = self.upload(data, role="receiving_officer", name="ho-so-ong-A.pdf")
        self.assertEqual(status, 201, theirs)
        status, _, meta = self.call("GET", f"/api/v1/attachments/{sha}/meta", role="citizen")
        self.assertEqual(json.loads(meta)["file_name"], "Giấy khai sinh.pdf")

    def test_a_dossier_references_its_upload_and_those_who_may_see_it_download_it(self):
        _, _, raw = self.upload(PDF + b"dossier", name="giay-to.pdf")
        sha = json.loads(raw)["sha256"]
        status, d = self.submit_with(sha)
        self.assertEqual(status, 201, d)
        path = f"/api/v1/dossiers/{d['id']}/attachments/{sha}"
        for role in ("citizen", "receiving_officer", "leader"):
            status, headers, body = self.call("GET", path, role=role)
            self.assertEqual(status, 200, (role, body[:200]))
            self.assertEqual(body, PDF + b"dossier")
            self.assertEqual(headers["content-type"], "application/pdf")
            self.assertEqual(headers["x-content-type-options"], "nosniff")
            self.assertIn("attachment;", headers["content-disposition"])
        # The officer's download is a logged view of personal data.
        status, _, raw = self.call("GET", f"/api/v1/audit/personal-data-views?subject_id={d['id']}",
                                   role="system_admin")
        self.assertEqual(status, 200, raw)
        self.assertIn("download", raw.decode())
        # Not for anonymous callers, nor for a file the dossier does not reference.
        status, _, _ = self.call("GET", path)
        self.assertEqual(status, 401)
        _, _, raw = self.upload(JPEG + b"other")
        other = json.loads(raw)["sha256"]
        status, _, _ = self.call("GET", f"/api/v1/dossiers/{d['id']}/attachments/{other}",
                                 role="citizen")
        self.assertEqual(status, 404)

    def test_staff_of_another_commune_cannot_download(self):
        _, _, raw = self.upload(PDF + b"foreign")
        sha = json.loads(raw)["sha256"]
        status, d = self.submit_with(sha)
        self.assertEqual(status, 201, d)
        status, _, other = self.call("POST", "/api/v1/users", {
            "kind": "staff", "username": f"files.other.{self.BACKEND}.{RUN}",
            "display_name": "Cán bộ phường khác", "roles": ["receiving_officer"],
            "unit_code": "00008", "password": "other-password-123"}, "system_admin")
        self.assertEqual(status, 201, other)
        st, _, login = self.server.login(f"files.other.{self.BACKEND}.{RUN}", "other-password-123")
        self.assertEqual(st, 200, login)
        status, _, _ = self.server.request(
            "GET", f"/api/v1/dossiers/{d['id']}/attachments/{sha}", None,
            {"Authorization": "Bearer " + login["token"]})
        self.assertEqual(status, 404)

    def test_a_submission_may_reference_only_its_own_uploads(self):
        _, _, raw = self.upload(PDF + b"officer's", role="receiving_officer")
        officers = json.loads(raw)["sha256"]
        for ref in (officers, "0" * 64, "not-a-hash"):
            status, d = self.submit_with(ref)
            self.assertEqual(status, 422, d)
            self.assertEqual(d["param"], "components[0].file_ref")


if __name__ == "__main__":
    run_suites([AttachmentCase])
