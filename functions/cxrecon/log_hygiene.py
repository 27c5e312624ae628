"""Third-party loggers kept quiet, so customer data in request URLs never reaches a log.

SOQL and SOSL travel in query strings (`/query?q=...WHERE Phone IN ('+17195475087')`), and urllib3,
botocore and simple-salesforce log whole requests at DEBUG. An operator who turns the root logger up to
DEBUG to chase a fault must not thereby print phone numbers and emails. Our own loggers log ids, counts
and reason codes only, so they are left at whatever level the operator asks for.
"""

from __future__ import annotations

import logging

# Every library on the Lambda and CLI paths that logs request details (URLs, bodies, headers) at DEBUG.
CHATTY_LIBRARIES = (
    "urllib3",
    "requests",
    "botocore",
    "boto3",
    "s3transfer",
    "simple_salesforce",
    "aws_lambda_powertools.utilities.batch",
)


def quiet_third_party_loggers(level: int = logging.WARNING) -> None:
    """Pins the loggers of libraries that log request URLs to `level` (WARNING by default), whatever
    the root logger's level. Idempotent; touches nothing but those loggers' levels."""
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(level)
