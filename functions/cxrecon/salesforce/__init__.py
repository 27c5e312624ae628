"""The Salesforce adapter: JWT auth, one retried call path, batched reads and Task upserts."""

from cxrecon.salesforce.auth import (
    LAMBDA_TOKEN_CACHE,
    AccessToken,
    SalesforceCredentials,
    TokenCache,
    derive_audience,
    fetch_token,
)
from cxrecon.salesforce.client import (
    ApiUsage,
    SalesforceCall,
    SalesforceClientFactory,
    aws_session,
    local_session,
)
from cxrecon.salesforce.doctor import Check, DoctorReport, check_org
from cxrecon.salesforce.exceptions import (
    AuthFailed,
    OrgNotReady,
    RequestRejected,
    SalesforceFault,
    SessionExpired,
    TransientFault,
    raise_fault,
)
from cxrecon.salesforce.gateway import TASK_FIELDS_WRITTEN, SalesforceGateway
from cxrecon.salesforce.reads import fetch_org_view
from cxrecon.salesforce.retry import retry_transient
from cxrecon.salesforce.writes import upsert_tasks

__all__ = [
    "LAMBDA_TOKEN_CACHE",
    "TASK_FIELDS_WRITTEN",
    "AccessToken",
    "ApiUsage",
    "AuthFailed",
    "Check",
    "DoctorReport",
    "OrgNotReady",
    "RequestRejected",
    "SalesforceCall",
    "SalesforceClientFactory",
    "SalesforceCredentials",
    "SalesforceFault",
    "SalesforceGateway",
    "SessionExpired",
    "TokenCache",
    "TransientFault",
    "aws_session",
    "check_org",
    "derive_audience",
    "fetch_org_view",
    "fetch_token",
    "local_session",
    "raise_fault",
    "retry_transient",
    "upsert_tasks",
]
