"""Integration tests: the real numberpool binary on a free loopback port, driven by the real
AWS CLI and boto3 installed on the machine, and by raw HTTP.

The server is started once on an empty data dir, so the first start also exercises generating
the default inventory. Every wait is bounded; the server is stopped at the end.
"""

import http.client
import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

BINARY = os.environ.get("NUMBERPOOL_BINARY", os.path.join(os.path.dirname(__file__), "..", "build", "numberpool"))
E164 = re.compile(r"^\+?[1-9]\d{1,14}$")
CLIENT_ENV = dict(
    os.environ,
    AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_CONFIG_FILE=os.devnull,
    AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    AWS_RETRY_MODE="standard",
    AWS_MAX_ATTEMPTS="1",
)


class Server:
    """numberpool serve on 127.0.0.1, port 0."""

    def __init__(self, data_dir, start_timeout=300):
        self.log = open(os.path.join(os.path.dirname(data_dir), "serve.log"), "ab")
        self.proc = subprocess.Popen(
            [BINARY, "serve", "--data-dir", data_dir, "--listen", "127.0.0.1:0", "--threads", "2"],
            stdout=subprocess.PIPE, stderr=self.log)
        deadline = time.monotonic() + start_timeout
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("numberpool did not report listening; see serve.log")
            ready, _, _ = select.select([self.proc.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 1)
                if not chunk:
                    continue
                line += chunk
        m = re.fullmatch(rb"listening on http://127\.0\.0\.1:(\d+)\n", line)
        if not m:
            self.stop()
            raise RuntimeError("unexpected first line: %r" % line)
        self.port = int(m.group(1))
        self.url = "http://127.0.0.1:%d" % self.port

    def stop(self, sig=signal.SIGTERM):
        """Stops the server and returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()
        self.proc.stdout.close()
        return self.proc.returncode


def setUpModule():
    global WORK, DATA, SERVER
    WORK = tempfile.mkdtemp(prefix="numberpool-it-")
    DATA = os.path.join(WORK, "data")
    SERVER = Server(DATA)


def tearDownModule():
    SERVER.stop()
    shutil.rmtree(WORK, ignore_errors=True)


def client(service="chime"):
    return boto3.client(
        service, endpoint_url=SERVER.url, region_name="us-east-1",
        aws_access_key_id=CLIENT_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CLIENT_ENV["AWS_SECRET_ACCESS_KEY"],
        config=Config(retries={"max_attempts": 1, "mode": "standard"}))


def raw_get(target, method="GET", conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", SERVER.port, timeout=10)
    try:
        conn.request(method, target)
        resp = conn.getresponse()
        return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), resp.read()
    finally:
        if own:
            conn.close()


def aws(*args):
    out = subprocess.run(["aws", *args, "--endpoint-url", SERVER.url, "--output", "json"],
                         env=CLIENT_ENV, capture_output=True, timeout=120, text=True)
    return out


class SeedExamples(unittest.TestCase):
    def test_chime_area_code_206(self):
        out = aws("chime", "search-available-phone-numbers", "--area-code", "206")
        self.assertEqual(out.returncode, 0, out.stderr)
        numbers = json.loads(out.stdout)["E164PhoneNumbers"]
        self.assertEqual(len(numbers), 100)
        for n in numbers:
            self.assertRegex(n, E164)
            self.assertTrue(n.startswith("+1206"), n)
        self.assertEqual(numbers, sorted(numbers))

    def test_chime_sdk_voice_gb_local(self):
        out = aws("chime-sdk-voice", "search-available-phone-numbers", "--country", "GB",
                  "--phone-number-type", "Local")
        self.assertEqual(out.returncode, 0, out.stderr)
        numbers = json.loads(out.stdout)["E164PhoneNumbers"]
        self.assertTrue(numbers)
        for n in numbers:
            self.assertRegex(n, E164)
            self.assertTrue(n.startswith("+44"), n)

    def test_cli_reports_bad_request(self):
        out = aws("chime", "search-available-phone-numbers", "--area-code", "106")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("BadRequestException", out.stderr)
        self.assertIn("area-code", out.stderr)


class Paging(unittest.TestCase):
    def pages(self, page_sizes, **filters):
        c = client()
        numbers, token, last = [], None, None
        for i in range(100000):
            kwargs = dict(filters, MaxResults=page_sizes[i % len(page_sizes)])
            if token:
                kwargs["NextToken"] = token
            last = c.search_available_phone_numbers(**kwargs)
            page = last["E164PhoneNumbers"]
            self.assertTrue(page, "a NextToken led to an empty page")
            numbers += page
            token = last.get("NextToken")
            if token is None:
                break
        return numbers, last

    def test_whole_area_code_in_small_pages(self):
        small, last = self.pages([7, 3, 11], AreaCode="206")
        big, _ = self.pages([500], AreaCode="206")
        self.assertGreater(len(small), 1000)
        self.assertEqual(len(small), len(set(small)), "a number was repeated")
        self.assertEqual(small, sorted(small), "not ascending")
        self.assertEqual(small, big, "small pages and large pages disagree (a gap)")
        self.assertNotIn("NextToken", last)

    def test_last_page_has_null_token_on_the_wire(self):
        target = "/search?type=phone-numbers&state=DC&max-results=500"
        token, pages = "", 0
        while True:
            status, _, body = raw_get(target + ("&next-token=" + token if token else ""))
            self.assertEqual(status, 200)
            pages += 1
            token = json.loads(body)["NextToken"]
            if token is None:
                break
            self.assertIsInstance(token, str)
        self.assertGreater(pages, 1)
        self.assertTrue(body.endswith(b',"NextToken":null}'), body[-40:])

    def test_token_bound_to_filters(self):
        first = client().search_available_phone_numbers(State="WA", MaxResults=5)
        with self.assertRaises(ClientError) as e:
            client().search_available_phone_numbers(State="OR", MaxResults=5,
                                                    NextToken=first["NextToken"])
        self.assertEqual(e.exception.response["Error"]["Code"], "BadRequestException")
        self.assertIn("next-token", e.exception.response["Error"]["Message"])


class Errors(unittest.TestCase):
    CASES = [
        dict(AreaCode="106"),
        dict(AreaCode="20"),
        dict(Country="us", AreaCode="206"),
        dict(Country="ZZ", PhoneNumberType="Local"),
        dict(Country="GB"),
        dict(Country="GB", PhoneNumberType="Mobile"),
        dict(Country="GB", PhoneNumberType="Local", AreaCode="206"),
        dict(Country="GB", PhoneNumberType="Local", State="WA"),
        dict(Country="GB", PhoneNumberType="TollFree", TollFreePrefix="800"),
        dict(TollFreePrefix="812"),
        dict(TollFreePrefix="800", AreaCode="206"),
        dict(TollFreePrefix="800", State="WA", City="Seattle"),
        dict(TollFreePrefix="800", PhoneNumberType="Local"),
        dict(PhoneNumberType="TollFree", State="WA"),
        dict(PhoneNumberType="TollFree"),
        dict(City="Seattle"),
        dict(State="XX"),
        dict(State="WA", City="   "),
        dict(AreaCode="206", MaxResults=501),
        dict(),
        dict(AreaCode="206", NextToken="not-a-token"),
    ]

    def test_each_rule_is_a_bad_request_exception(self):
        c = client()
        for case in self.CASES:
            with self.subTest(case=case):
                with self.assertRaises(ClientError) as e:
                    c.search_available_phone_numbers(**case)
                err = e.exception.response
                self.assertEqual(err["Error"]["Code"], "BadRequestException")
                self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)
                self.assertTrue(err["ResponseMetadata"]["RequestId"])

    def test_empty_results_are_not_errors(self):
        c = client()
        self.assertEqual(c.search_available_phone_numbers(AreaCode="999")["E164PhoneNumbers"], [])
        self.assertEqual(c.search_available_phone_numbers(State="WA", City="Nowhere Town")["E164PhoneNumbers"], [])

    def test_city_state_case_and_spaces(self):
        c = client()
        a = c.search_available_phone_numbers(State="WA", City="Seattle", MaxResults=20)
        b = c.search_available_phone_numbers(State="wa", City="  SEATTLE  ", MaxResults=20)
        self.assertTrue(a["E164PhoneNumbers"])
        self.assertEqual(a["E164PhoneNumbers"], b["E164PhoneNumbers"])


class RawHttp(unittest.TestCase):
    def test_unknown_path_is_404(self):
        status, headers, body = raw_get("/nope")
        self.assertEqual(status, 404)
        self.assertEqual(headers["x-amzn-errortype"], "NotFoundException")
        self.assertEqual(json.loads(body)["Code"], "NotFound")
        self.assertTrue(headers["x-amzn-requestid"])

    def test_other_method_is_405_with_allow(self):
        status, headers, body = raw_get("/search?type=phone-numbers&area-code=206", method="DELETE")
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], "GET")
        self.assertIn("Message", json.loads(body))

    def test_head_gets_headers_only_and_the_connection_stays_usable(self):
        conn = http.client.HTTPConnection("127.0.0.1", SERVER.port, timeout=10)
        status, headers, body = raw_get("/search?type=phone-numbers&area-code=206", method="HEAD", conn=conn)
        self.assertEqual((status, body), (405, b""))
        self.assertEqual(headers["allow"], "GET")
        status, _, body = raw_get("/search?type=phone-numbers&area-code=206&max-results=1", conn=conn)
        self.assertEqual(status, 200)
        self.assertEqual(len(json.loads(body)["E164PhoneNumbers"]), 1)
        conn.close()

    def test_pipelined_requests_are_answered_in_order(self):
        import socket
        with socket.create_connection(("127.0.0.1", SERVER.port), timeout=10) as s:
            req = "GET /search?type=phone-numbers&area-code=%s&max-results=1 HTTP/1.1\r\nHost: x\r\n\r\n"
            s.sendall((req % "206" + req % "212" + req % "415").encode())
            data = b""
            deadline = time.monotonic() + 10
            while data.count(b"E164PhoneNumbers") < 3 and time.monotonic() < deadline:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        found = re.findall(rb'"\+1(\d{3})', data)
        self.assertEqual(found, [b"206", b"212", b"415"])

    def test_query_rules_on_the_wire(self):
        for target, word in [("/search?type=phone-numbers&area-code=206&foo=1", "foo"),
                             ("/search?type=phone-numbers&area-code=2%G6", "area-code"),
                             ("/search?type=phone-numbers&area-code=206&area-code=207", "area-code"),
                             ("/search?area-code=206", "type"),
                             ("/search?type=phone-numbers&area-code=+206", "area-code")]:
            with self.subTest(target=target):
                status, headers, body = raw_get(target)
                self.assertEqual(status, 400)
                self.assertEqual(headers["x-amzn-errortype"], "BadRequestException")
                self.assertIn(word, json.loads(body)["Message"])

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", SERVER.port, timeout=10)
        ids = set()
        for _ in range(20):
            status, headers, _ = raw_get("/search?type=phone-numbers&area-code=206&max-results=5", conn=conn)
            self.assertEqual(status, 200)
            self.assertEqual(headers["content-type"], "application/json")
            ids.add(headers["x-amzn-requestid"])
        conn.close()
        self.assertEqual(len(ids), 20)

    def test_search_command_prints_the_same_json(self):
        target = "/search?type=phone-numbers&state=NY&max-results=9"
        _, _, body = raw_get(target)
        out = subprocess.run([BINARY, "search", "--data-dir", DATA, "--state", "NY", "--max-results", "9"],
                             capture_output=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), body)
        bad = subprocess.run([BINARY, "search", "--data-dir", DATA, "--state", "NY", "--max-results", "0"],
                             capture_output=True, timeout=120)
        self.assertEqual(bad.returncode, 2)
        self.assertEqual(json.loads(bad.stderr)["Code"], "BadRequest")


class Restart(unittest.TestCase):
    def test_tokens_survive_a_restart_and_sigterm_exits_zero(self):
        global SERVER
        first = client().search_available_phone_numbers(AreaCode="212", MaxResults=3)
        expected = client().search_available_phone_numbers(AreaCode="212", MaxResults=3,
                                                           NextToken=first["NextToken"])
        self.assertEqual(SERVER.stop(signal.SIGTERM), 0)
        SERVER = Server(DATA, start_timeout=120)
        again = client().search_available_phone_numbers(AreaCode="212", MaxResults=3,
                                                        NextToken=first["NextToken"])
        self.assertEqual(again["E164PhoneNumbers"], expected["E164PhoneNumbers"])
        self.assertEqual(SERVER.stop(signal.SIGINT), 0)
        SERVER = Server(DATA, start_timeout=120)


if __name__ == "__main__":
    unittest.main()
