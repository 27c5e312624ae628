"""The sandbox keeps HTTPS connections open: a client's calls share one TLS connection."""

from __future__ import annotations

import pytest
import urllib3.connection
from simple_salesforce import Salesforce

from cxrecon_local.sandbox import Sandbox


def test_calls_share_one_connection(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    connects: list[int | None] = []
    connect = urllib3.connection.HTTPSConnection.connect

    def counted(self: urllib3.connection.HTTPSConnection) -> None:
        connects.append(self.port)
        connect(self)

    monkeypatch.setattr(urllib3.connection.HTTPSConnection, "connect", counted)
    sf: Salesforce = sb.client()
    counts = [sf.query("SELECT Id FROM Contact")["totalSize"] for _ in range(3)]
    found = sf.search("FIND {Acme} IN ALL FIELDS RETURNING Account(Id)")["searchRecords"]
    sf.Task.create({"Subject": "Call", "Status": "Completed"})
    assert counts == [3, 3, 3] and len(found) == 1
    assert len(connects) == 1  # five calls, one handshake (werkzeug's server closed every connection)
