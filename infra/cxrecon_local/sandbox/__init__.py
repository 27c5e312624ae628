"""A Salesforce org on loopback HTTPS for tests and the local stack (see docs/sandbox.md)."""

from .auth import JwtApp
from .errors import SalesforceError
from .faults import FaultPlan
from .org import load_org
from .server import Sandbox
from .tls import make_rsa_keypair

__all__ = ["FaultPlan", "JwtApp", "SalesforceError", "Sandbox", "load_org", "make_rsa_keypair"]
