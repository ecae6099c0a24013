"""Bounded mixed load on the cluster, every request recorded with its start, duration and outcome.

Each kind of traffic runs in its own thread(s) over a keep-alive connection to nginx on
127.0.0.1, paced by a think time, until a deadline or a request count is reached. Writes that
are answered with success are remembered with what they wrote, so the run can check afterwards
that each is still there.
"""

import http.client
import io
import itertools
import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

MAX_REQUESTS = 60_000  # hard bound on the whole run, whatever the clock says
TIMEOUT = 30.0


@dataclass(frozen=True)
class Record:
    kind: str
    started: float  # seconds since the run started
    seconds: float
    outcome: str  # "ok", or the error: "502", "500", "timeout", "ConnectionRefusedError" …


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def cookies(self) -> dict[str, str]:
        found = {}
        for line in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = line.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
        return found


@dataclass
class Ledger:
    """What the load wrote and was told was written, and every request's record."""

    records: list[Record] = field(default_factory=list)
    datasets: list[int] = field(default_factory=list)  # 201 to POST /datasets
    uploads: list[int] = field(default_factory=list)  # 202 to POST …/microdata
    # (assessment, item) -> [(value, acknowledged)] in the order they were sent
    answers: dict[tuple[int, str], list[tuple[int, bool]]] = field(default_factory=dict)
    sessions: list[str] = field(default_factory=list)  # session cookies of 302 sign-ins
    lock: threading.Lock = field(default_factory=threading.Lock)
    count: Iterator[int] = field(default_factory=itertools.count)

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)


class Client:
    """One keep-alive connection to nginx; reconnects after any failure."""

    def __init__(self, port: int, ledger: Ledger, origin: float) -> None:
        self.port = port
        self.ledger = ledger
        self.origin = origin
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        expect: int,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer | None:
        """The answer when its status is ``expect``; otherwise None, and the error recorded."""
        if next(self.ledger.count) >= MAX_REQUESTS:
            raise StopIteration
        started = time.monotonic()
        outcome = "ok"
        answer = None
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=TIMEOUT
                )
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
            if response.status != expect:
                outcome = str(response.status)
            if response.will_close:
                self.close()
        except TimeoutError:
            outcome = "timeout"
            self.close()
        except (OSError, http.client.HTTPException) as error:
            outcome = type(error).__name__
            self.close()
        finished = time.monotonic()
        self.ledger.add(Record(kind, started - self.origin, finished - started, outcome))
        return answer if outcome == "ok" else None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = f"ops-{random.getrandbits(64):x}"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, content) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Plan:
    """What the traffic needs: from prepare.py, plus the survey bytes and mapping."""

    port: int
    prepared: dict[str, Any]
    survey_csv: bytes
    mapping: dict[str, Any]
    deadline: float  # time.monotonic()
    origin: float
    ledger: Ledger
    rng: random.Random = field(default_factory=lambda: random.Random(2026))

    def running(self) -> bool:
        return time.monotonic() < self.deadline

    def client(self) -> Client:
        return Client(self.port, self.ledger, self.origin)


COUNTRIES = ("KE", "UG", "ZA", "BR", "IN", "PH", "EG", "JO", "FR", "GB", "AU", "NP")
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh-hans")
NUMERIC_ITEMS = ("law-enforcement.offences", "reporting.hotline-reports")


def reader(plan: Plan, think: float) -> None:
    """Anonymous reads: the resolver, the help finder, and the statistics pages."""
    client, rng = plan.client(), random.Random(plan.rng.random())
    while plan.running():
        draw = rng.random()
        country = rng.choice(COUNTRIES)
        if draw < 0.45:
            query = {
                "country": country,
                "age": str(rng.randint(8, 17)),
                "lang": rng.choice(LANGUAGES),
            }
            client.request(
                "resolver", "GET", "/api/v1/helplines/resolve?" + urlencode(query), expect=200
            )
        elif draw < 0.75:
            client.request(
                "help page", "GET", f"/{rng.choice(LANGUAGES)}/help/{country}/", expect=200
            )
        else:
            path = rng.choice(
                ("/en/statistics/", "/fr/statistics/R1/", f"/en/countries/{country}/")
            )
            client.request("statistics page", "GET", path, expect=200)
        time.sleep(think)


def ussd(plan: Plan, think: float) -> None:
    """Three-step USSD sessions through the Africa's Talking callback (state kept in Redis)."""
    client = plan.client()
    path = f"/channels/ussd/africastalking?token={plan.prepared['callback_token']}"
    for session in itertools.count():
        if not plan.running():
            return
        form = {
            "sessionId": f"ATUid_ops_{plan.prepared['run']}_{session}",
            "serviceCode": "*384*116#",
            "phoneNumber": f"+2547110{session % 100000:05d}",
            "networkCode": "63902",
        }
        for text in ("", "1", "1*1"):
            body = urlencode({**form, "text": text}).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if (
                client.request("USSD step", "POST", path, body=body, headers=headers, expect=200)
                is None
            ):
                break
        time.sleep(think)


def uploader(plan: Plan, think: float) -> None:
    """Survey uploads through the API: open a dataset, save its mapping, upload microdata (the
    check then runs on a worker)."""
    client = plan.client()
    token = plan.prepared["focal_points"]["KE"]["token"]
    auth = {"Authorization": f"Bearer {token}"}
    json_auth = {**auth, "Content-Type": "application/json"}
    for number in itertools.count():
        if not plan.running():
            return
        payload = {
            "kind": "survey",
            "country": "KE",
            "year": 2024,
            "title": f"Fault run {plan.prepared['run']} #{number}",
            "source": "ops",
        }
        created = client.request(
            "survey upload",
            "POST",
            "/api/v1/statistics/datasets",
            body=json.dumps(payload).encode(),
            headers=json_auth,
            expect=201,
        )
        if created is not None:
            dataset = created.json()["id"]
            with plan.ledger.lock:
                plan.ledger.datasets.append(dataset)
            url = f"/api/v1/statistics/datasets/{dataset}"
            mapped = client.request(
                "survey upload",
                "PUT",
                f"{url}/mapping",
                body=json.dumps(plan.mapping).encode(),
                headers=json_auth,
                expect=200,
            )
            if mapped is not None:
                body, content_type = _multipart({}, {"file": ("survey.csv", plan.survey_csv)})
                uploaded = client.request(
                    "survey upload",
                    "POST",
                    f"{url}/microdata",
                    body=body,
                    headers={**auth, "Content-Type": content_type},
                    expect=202,
                )
                if uploaded is not None:
                    with plan.ledger.lock:
                        plan.ledger.uploads.append(dataset)
        time.sleep(think)


def answerer(plan: Plan, country: str, think: float) -> None:
    """Strategy answers: one writer per assessment, each write a new number, so the value left
    at the end says which write was the last to land."""
    client = plan.client()
    focal = plan.prepared["focal_points"][country]
    headers = {"Authorization": f"Bearer {focal['token']}", "Content-Type": "application/json"}
    for value in itertools.count(1):
        if not plan.running():
            return
        item = NUMERIC_ITEMS[value % len(NUMERIC_ITEMS)]
        body = json.dumps({"value": value, "comment": f"fault run {plan.prepared['run']}"}).encode()
        path = f"/api/v1/strategies/assessments/{focal['assessment']}/answers/{item}"
        answer = client.request(
            "strategy answer", "PUT", path, body=body, headers=headers, expect=200
        )
        with plan.ledger.lock:
            plan.ledger.answers.setdefault((focal["assessment"], item), []).append(
                (value, answer is not None)
            )
        time.sleep(think)


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def signer(plan: Plan, think: float) -> None:
    """Sign-ins through the page (form, CSRF token, password check, new session)."""
    client = plan.client()
    account = plan.prepared["sign_in"]
    while plan.running():
        form = client.request("sign-in", "GET", "/en/accounts/login/", expect=200)
        token = CSRF_FIELD.search(form.body) if form else None
        csrf = form.cookies().get("csrftoken") if form else None
        if token and csrf:
            body = urlencode(
                {
                    "username": account["username"],
                    "password": account["password"],
                    "csrfmiddlewaretoken": token.group(1).decode(),
                }
            ).encode()
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
            }
            done = client.request(
                "sign-in", "POST", "/en/accounts/login/", body=body, headers=headers, expect=302
            )
            if done is not None and "sessionid" in done.cookies():
                with plan.ledger.lock:
                    plan.ledger.sessions.append(done.cookies()["sessionid"])
        time.sleep(think)


def traffic(plan: Plan) -> list[threading.Thread]:
    """The mix: 4 readers, USSD, uploads, two strategy writers, sign-ins."""
    jobs: list[tuple[Callable[..., None], tuple[Any, ...]]] = [
        *[(reader, (plan, 0.05)) for _ in range(4)],
        (ussd, (plan, 0.1)),
        (uploader, (plan, 2.0)),
        (answerer, (plan, "KE", 0.2)),
        (answerer, (plan, "BR", 0.2)),
        (signer, (plan, 2.0)),
    ]
    threads = []
    for target, args in jobs:
        thread = threading.Thread(target=_bounded(target), args=args, daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def _bounded(target: Callable[..., None]) -> Callable[..., None]:
    def run(*args: Any) -> None:
        try:
            target(*args)
        except StopIteration:  # MAX_REQUESTS reached
            return

    return run
