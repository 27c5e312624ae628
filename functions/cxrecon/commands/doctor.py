"""`cxrecon doctor`: is the Salesforce org set up for cxrecon? A checklist, exit 0 only when all pass."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import boto3

from cxrecon.adapters.secrets import SecretCredentials
from cxrecon.config import Settings
from cxrecon.salesforce import SalesforceCredentials, SalesforceGateway


def _print_report(gateway: SalesforceGateway) -> int:
    report = gateway.check()
    print(report.render())
    return 0 if report.ok else 1


def run_doctor(args: argparse.Namespace) -> int:
    if args.local_org:
        return _local_doctor(Path(args.local_org))
    settings = Settings()
    if args.credentials:
        credentials = SalesforceCredentials.model_validate_json(
            Path(args.credentials).read_text(encoding="utf-8")
        )
    else:
        if not settings.salesforce_secret_arn:
            raise ValueError(
                "set CXRECON_SALESFORCE_SECRET_ARN, or pass --credentials FILE or --local-org ORG.json"
            )
        client = boto3.client("secretsmanager", endpoint_url=settings.aws_endpoint_url)
        credentials = SecretCredentials(client, settings.salesforce_secret_arn)()
    return _print_report(SalesforceGateway.from_settings(settings, credentials))


def _local_doctor(org: Path) -> int:
    """The same checks against the local sandbox seeded from an org snapshot."""
    from cxrecon_local.local_pipeline import CONSUMER_KEY, INTEGRATION_USERNAME, prepare_org  # noqa: PLC0415
    from cxrecon_local.sandbox import JwtApp, Sandbox, load_org, make_rsa_keypair  # noqa: PLC0415

    private_key, certificate = make_rsa_keypair()
    app = JwtApp(consumer_key=CONSUMER_KEY, certificate_pem=certificate, usernames={INTEGRATION_USERNAME})
    with Sandbox.start(prepare_org(load_org(org)), jwt_app=app) as sandbox:
        credentials = SalesforceCredentials(
            consumer_key=CONSUMER_KEY,
            username=INTEGRATION_USERNAME,
            private_key=private_key.decode(),
            token_url=sandbox.token_url,
        )
        settings = Settings(salesforce_ca_bundle=str(sandbox.ca_path))
        print(f"checking the local sandbox seeded from {org} ({json.dumps(sandbox.url)})")
        return _print_report(SalesforceGateway.from_settings(settings, credentials))


def register(sub: Any) -> None:
    doctor = sub.add_parser("doctor", help="check that the Salesforce org is set up for cxrecon")
    doctor.add_argument(
        "--credentials",
        help="JSON file with consumer_key, username, private_key, token_url "
        "(default: the secret named by CXRECON_SALESFORCE_SECRET_ARN)",
    )
    doctor.add_argument("--local-org", help="check the local sandbox seeded from this org snapshot instead")
    doctor.set_defaults(func=run_doctor)
