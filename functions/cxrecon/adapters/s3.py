"""S3 objects: stream an export, write chunks and outputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from botocore.exceptions import BotoCoreError, ClientError

from cxrecon.adapters.exceptions import raise_aws_fault

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


@dataclass(frozen=True)
class ObjectInfo:
    bucket: str
    key: str
    etag: str
    version_id: str | None
    size: int


class S3Store:
    def __init__(self, client: S3Client) -> None:
        self._s3 = client

    def head(self, bucket: str, key: str, version_id: str | None = None) -> ObjectInfo:
        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        try:
            head = self._s3.head_object(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "head object")
        return ObjectInfo(bucket, key, head["ETag"].strip('"'), head.get("VersionId"), head["ContentLength"])

    def open(self, bucket: str, key: str, version_id: str | None = None) -> BinaryIO:
        """A streaming body: read it in pieces, never whole."""
        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        try:
            return cast(BinaryIO, self._s3.get_object(**kwargs)["Body"])
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "get object")

    def get_bytes(self, bucket: str, key: str) -> bytes:
        body = self.open(bucket, key)
        try:
            return body.read()
        finally:
            body.close()

    def put_bytes(
        self, bucket: str, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> None:
        try:
            self._s3.put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type)
        except (ClientError, BotoCoreError) as exc:
            raise_aws_fault(exc, "put object")

    def exists(self, bucket: str, key: str) -> bool:
        try:
            self._s3.head_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise_aws_fault(exc, "head object")
        return True
