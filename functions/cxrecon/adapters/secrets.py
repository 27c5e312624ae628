"""Salesforce credentials from Secrets Manager, cached for the life of the Lambda container."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from cxrecon.adapters.exceptions import raise_aws_fault
from cxrecon.salesforce.auth import SalesforceCredentials

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient


class SecretCredentials:
    """Callable credentials provider: reads the secret once, again after `invalidate()`."""

    def __init__(self, client: SecretsManagerClient, secret_id: str) -> None:
        self._client = client
        self._secret_id = secret_id
        self._cached: SalesforceCredentials | None = None

    def __call__(self) -> SalesforceCredentials:
        if self._cached is None:
            try:
                value = self._client.get_secret_value(SecretId=self._secret_id)["SecretString"]
            except (ClientError, BotoCoreError) as exc:
                raise_aws_fault(exc, "read Salesforce secret")
            self._cached = SalesforceCredentials.model_validate_json(value)
        return self._cached

    def invalidate(self) -> None:
        self._cached = None
