"""All settings in one object. Environment variable names are defined here and nowhere else."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Powertools' service name: loggers are created at import time, before any environment is read.
SERVICE = "cxrecon"


class Settings(BaseSettings):
    """Pipeline settings. Explicit arguments beat the environment (`CXRECON_*`)."""

    model_config = SettingsConfigDict(env_prefix="CXRECON_", extra="ignore", frozen=True)

    # AWS resources (the template sets these on every function).
    exports_bucket: str = ""
    outputs_bucket: str = ""
    chunk_queue_url: str = ""
    review_queue_url: str = ""
    ledger_table: str = ""
    # An explicit endpoint for every AWS client: moto locally, unset in AWS.
    aws_endpoint_url: str | None = None

    # Salesforce.
    salesforce_secret_arn: str = ""
    # Only for the local sandbox: its self-signed CA. Never set in AWS.
    salesforce_ca_bundle: str | None = None
    salesforce_api_version: str = "62.0"
    salesforce_timeout_seconds: float = 30.0
    salesforce_max_retries: int = 5

    # Review console: the dead-letter queue the sweep drains, and how long a reviewer's claim holds.
    review_dlq_url: str = ""
    review_claim_seconds: int = Field(default=600, ge=60, le=43_200)
    # Local only: how long an SQS message lives before the sweep re-sends its item (14 days in AWS).
    review_retention_seconds: int = Field(default=1_209_600, ge=60)

    # Pipeline behaviour.
    chunk_size: int = Field(default=1000, ge=1, le=5000)
    default_phone_region: str = "US"
    max_field_chars: int = 32_000
    # The Engine user directory (CSV) in the exports bucket; optional.
    directory_key: str = "directory/users.csv"

    # Analytics: `cxrecon query --athena` and the daily report.
    athena_workgroup: str = "cxrecon"
    athena_database: str = "cxrecon"
    # Days (ending on the report day) the daily HTML report covers.
    report_days: int = Field(default=30, ge=1, le=366)
