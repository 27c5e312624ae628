"""Wiring the gateway from Settings: the sandbox's CA bundle selects the local session."""

from __future__ import annotations

from typing import Any

from cxrecon.config import Settings
from cxrecon.domain.lookups import LookupKeys
from cxrecon.salesforce import SalesforceGateway, TokenCache

from .conftest import INTEGRATION, credentials


def test_from_settings_talks_to_the_sandbox_through_its_ca_bundle(
    sb: Any, keypair: tuple[bytes, bytes]
) -> None:
    settings = Settings(salesforce_ca_bundle=sb.ca_path, salesforce_api_version=sb.api_version)
    gateway = SalesforceGateway.from_settings(settings, credentials(sb, keypair[0]), cache=TokenCache())
    assert gateway.ensure_ready().ok
    assert gateway.fetch(LookupKeys()).integration_user_id == INTEGRATION
    assert gateway.api_calls == 3  # limits, describe + user composite, the fetch
    assert gateway.api_usage is not None and gateway.api_usage.used >= 3
