"""S3 event notifications as delivered through SQS, parsed leniently.

moto omits fields that the strict Powertools S3 models require, and real S3 sends an `s3:TestEvent`
first; keys arrive URL-encoded.
"""

from __future__ import annotations

import json
from urllib.parse import unquote_plus

from pydantic import BaseModel, ConfigDict


class ExportObjectRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    bucket: str
    key: str
    version_id: str | None = None


EXPORTS_PREFIX = "exports/"


def objects_in(body: str) -> list[ExportObjectRef]:
    """The created export objects an SQS message body announces (none for a test event)."""
    payload = json.loads(body)
    if payload.get("Event") == "s3:TestEvent":
        return []
    refs = []
    for record in payload.get("Records", []):
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        s3 = record.get("s3", {})
        key = unquote_plus(s3.get("object", {}).get("key", ""))
        if key.startswith(EXPORTS_PREFIX) and not key.endswith("/"):
            refs.append(
                ExportObjectRef(
                    bucket=s3["bucket"]["name"], key=key, version_id=s3["object"].get("versionId")
                )
            )
    return refs
