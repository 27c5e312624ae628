"""Daily report λ (EventBridge schedule): the HTML report of the outputs → the outputs bucket."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from cxrecon.analytics.daily import publish_daily_report, report_day
from cxrecon.bootstrap import container
from cxrecon.config import SERVICE
from cxrecon.log_hygiene import quiet_third_party_loggers

logger = Logger(service=SERVICE)
quiet_third_party_loggers()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    app = container()
    key = publish_daily_report(app.settings, app.store, report_day(event, app.now()))
    logger.info("daily report written", extra={"key": key})
    return {"bucket": app.settings.outputs_bucket, "key": key}
