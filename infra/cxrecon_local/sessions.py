"""boto3 sessions for the local stack that cannot pick up the developer's AWS configuration.

Explicit fake credentials and region, the shared config and credentials files pointed at /dev/null and
no profile, so AWS_PROFILE, ~/.aws/config and ~/.aws/credentials are never read.
One botocore model loader is shared by every session, so each service model is parsed once per process.
"""

from __future__ import annotations

import os

import boto3
import botocore.session
from botocore.loaders import create_loader

FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
_LOADER = create_loader()
# botocore session variables: (config file key, environment variable, default, conversion). No
# environment variable and no config key, so AWS_PROFILE / AWS_CONFIG_FILE / ... are not consulted.
_ISOLATED = {
    "profile": (None, None, None, None),
    "config_file": (None, None, os.devnull, None),
    "credentials_file": (None, None, os.devnull, None),
}


def fake_session(region: str) -> boto3.Session:
    """A new session (sessions are not thread-safe; make one per thread)."""
    core = botocore.session.Session(session_vars=_ISOLATED)
    core.register_component("data_loader", _LOADER)
    return boto3.Session(region_name=region, botocore_session=core, **FAKE_CREDENTIALS)
