"""No customer phone number, email address or name from the sample exports reaches the logs: with the
handlers' Powertools loggers at INFO, and with the root logger and the handlers at DEBUG (urllib3 and
botocore log whole request URLs there, and SOQL/SOSL carry phones and emails in the query string)."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest

from cxrecon_local.synth.world import World

from .conftest import local_pipeline, upload_samples

PHONE_LIKE = re.compile(r"\+?\d[\d\s().-]{6,}\d")


class _Capture(logging.Handler):
    """Every record the `cxrecon` loggers emit, formatted as the Powertools handler formats it, plus
    every attribute of the record (Powertools puts `extra` keys there)."""

    def __init__(self, formatter: logging.Formatter | None) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(EMULATORS):
            return
        self.lines.append(self.format(record))
        self.lines.append(repr(vars(record)))


# The emulators' own request logs are not the product's: Lambda never runs them.
EMULATORS = ("moto", "werkzeug", "cheroot", "cxrecon_local")


@pytest.fixture(scope="module", params=["INFO", "DEBUG"])
def logs(request: pytest.FixtureRequest) -> Iterator[str]:
    level: str = request.param
    with local_pipeline(log_level=level) as lp:
        lp.bindings()  # imports the handlers and sets their loggers to the level
        root = logging.getLogger()
        root_level = root.level
        if level == "DEBUG":
            root.setLevel(logging.DEBUG)
        service = logging.getLogger("cxrecon")
        formatter = next((h.formatter for h in service.handlers if h.formatter), None)
        capture = _Capture(formatter)
        watched = [service, logging.getLogger(), logging.getLogger("cxrecon_local")]
        # What Powertools would print to stdout/stderr, captured at its own stream handlers.
        printed = io.StringIO()
        loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
        handlers = {h for lg in [logging.getLogger(), *loggers] for h in lg.handlers}
        streams = [(h, h.setStream(printed)) for h in handlers if type(h) is logging.StreamHandler]
        for logger in watched:
            logger.addHandler(capture)
        try:
            upload_samples(lp)
            lp.drain(timeout=120)
        finally:
            root.setLevel(root_level)
            for logger in watched:
                logger.removeHandler(capture)
            for handler, stream in streams:
                handler.setStream(stream)
        assert streams, "no Powertools stream handler to capture"
        assert any("chunk reconciled" in line for line in capture.lines), "INFO logs were not captured"
        yield "\n".join([*capture.lines, printed.getvalue()])


@pytest.fixture(scope="module")
def customer_data(samples_world: World) -> dict[str, set[str]]:
    phones, emails, names = set(), set(), set()
    for spec in samples_world.specs:
        if spec.phone:
            phones.add(re.sub(r"\D", "", spec.phone)[-10:])
        if spec.email:
            emails.add(spec.email.lower())
        if spec.name:
            names.add(spec.name.lower())
        for address, name in spec.cc:
            emails.add(address.lower())
            names.add(name.lower())
    return {"phones": phones, "emails": emails, "names": names}


def test_logs_hold_no_customer_phone_in_any_format(logs: str, customer_data: dict[str, set[str]]) -> None:
    # Phones in any format: each phone-like run of digits and separators, compared digits-only.
    digit_runs = {re.sub(r"\D", "", m) for m in PHONE_LIKE.findall(logs)}
    leaked = {p for p in customer_data["phones"] if any(p in run for run in digit_runs)}
    assert customer_data["phones"] and not leaked


def test_logs_hold_no_customer_email(logs: str, customer_data: dict[str, set[str]]) -> None:
    lowered = logs.lower()
    assert customer_data["emails"] and not {e for e in customer_data["emails"] if e in lowered}


def test_logs_hold_no_customer_name(logs: str, customer_data: dict[str, set[str]]) -> None:
    lowered = logs.lower()
    assert customer_data["names"] and not {n for n in customer_data["names"] if n in lowered}
