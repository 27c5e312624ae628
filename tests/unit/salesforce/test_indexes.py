from __future__ import annotations

from cxrecon.domain.records import CaseRec, TaskRec, UserRec
from cxrecon.salesforce.indexes import cases_by_id, freeze, tasks_with_relations, users_by_name


def test_task_who_ids_list_the_primary_who_first_without_duplicates() -> None:
    task = TaskRec(id="00T1", cxone_contact_id="cx-1", who_ids=("003B",))
    relations = [{"TaskId": "00T1", "RelationId": "003A"}, {"TaskId": "00T1", "RelationId": "003B"}]
    assert tasks_with_relations({"00T1": task}, relations)["cx-1"].who_ids == ("003B", "003A")


def test_users_by_name_keep_only_active_users_under_the_lower_cased_name() -> None:
    users = [UserRec(id="005A", name="Dana Agent"), UserRec(id="005B", name="Dana Agent", is_active=False)]
    assert users_by_name(users, frozenset({"Dana Agent"})) == {"dana agent": [users[0]]}


def test_cases_are_indexed_by_the_id_form_that_was_looked_up() -> None:
    case = CaseRec(id="500000000000001AAA", case_number="00001001")
    assert cases_by_id({case.id: case}, frozenset({"500000000000001", "500000000000002"})) == {
        "500000000000001": case
    }


def test_freeze_drops_empty_keys_and_duplicate_records() -> None:
    case = CaseRec(id="500A", case_number="1")
    assert freeze({"a": [case, case], "b": []}) == {"a": (case,)}
