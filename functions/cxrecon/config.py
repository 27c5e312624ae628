"""All settings in one object. Environment variable names are defined here and nowhere else."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    # Pipeline behaviour.
    chunk_size: int = Field(default=1000, ge=1, le=5000)
    default_phone_region: str = "US"
    max_field_chars: int = 32_000
    # The Engine user directory (CSV) in the exports bucket; optional.
    directory_key: str = "directory/users.csv"
