from __future__ import annotations

from cxrecon.domain.writes import TaskWrite
from cxrecon.salesforce.writes import _result, task_record


def test_create_only_fields_are_sent_only_when_the_task_is_new() -> None:
    new = TaskWrite(cxone_contact_id="C1", fields={"Subject": "Call"}, create_only={"TaskSubtype": "Call"})
    known = new.model_copy(update={"exists": True})
    assert task_record(new) == {
        "attributes": {"type": "Task"},
        "CXone_Contact_Id__c": "C1",
        "Subject": "Call",
        "TaskSubtype": "Call",
    }
    assert "TaskSubtype" not in task_record(known)


def test_successful_save_results_carry_id_and_created_flag() -> None:
    write = TaskWrite(cxone_contact_id="C1", fields={})
    result = _result(write, {"id": "00T000000000001AAA", "success": True, "errors": [], "created": True})
    assert result.success and result.created is True and result.task_id == "00T000000000001AAA"


def test_record_errors_use_status_code_and_mark_locks_retryable() -> None:
    write = TaskWrite(cxone_contact_id="C1", fields={})
    locked = _result(
        write, {"success": False, "errors": [{"statusCode": "UNABLE_TO_LOCK_ROW", "message": "m"}]}
    )
    invalid = _result(write, {"success": False, "errors": [{"statusCode": "INVALID_CROSS_REFERENCE_KEY"}]})
    assert (locked.success, locked.error_code, locked.retryable) == (False, "UNABLE_TO_LOCK_ROW", True)
    assert (invalid.error_code, invalid.retryable) == ("INVALID_CROSS_REFERENCE_KEY", False)
