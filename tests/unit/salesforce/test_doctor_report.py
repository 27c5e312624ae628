from __future__ import annotations

from cxrecon.salesforce.doctor import Check, DoctorReport, _field_checks


def _f(name: str, **kw: bool) -> dict[str, object]:
    return {"name": name, "createable": True, "updateable": True, **kw}


def test_task_subtype_needs_only_to_be_createable_and_task_who_ids_is_skipped() -> None:
    fields = {
        "CXone_Contact_Id__c": _f("CXone_Contact_Id__c", externalId=True, unique=True),
        "TaskSubtype": _f("TaskSubtype", updateable=False),
        "CallType": _f("CallType", createable=False),
    }
    checks = {c.name: c for c in _field_checks(fields, ["TaskSubtype", "TaskWhoIds", "CallType", "Subject"])}
    assert checks["Task.CXone_Contact_Id__c is a unique external id"].ok
    assert checks["Task.TaskSubtype writable"].ok
    assert (
        not checks["Task.CallType writable"].ok
        and checks["Task.CallType writable"].detail == "not createable"
    )
    assert checks["Task.Subject writable"].detail == "field missing"
    assert "Task.TaskWhoIds writable" not in checks


def test_an_external_id_that_is_not_unique_fails() -> None:
    fields = {"CXone_Contact_Id__c": _f("CXone_Contact_Id__c", externalId=True, unique=False)}
    [check] = _field_checks(fields, [])
    assert not check.ok and check.detail == "not unique"


def test_report_renders_a_checklist() -> None:
    report = DoctorReport(
        checks=(Check(name="authentication", ok=True), Check(name="x", ok=False, detail="gone"))
    )
    assert not report.ok
    assert report.failures == (Check(name="x", ok=False, detail="gone"),)
    assert report.render().splitlines() == ["✓ authentication", "✗ x: gone", "org NOT ready (1 failed)"]
