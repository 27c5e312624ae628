"""One chunk's `LookupKeys` answered with an `OrgView` in as few API calls as possible.

SOSL searches (phones, names) go one GET per batch; every SOQL query is packed, five at a time, into
`POST composite` calls. A second round fetches what the first one referenced (accounts, their open
cases, task relations) only when it has anything to ask.
"""

from __future__ import annotations

from collections.abc import Iterable

from simple_salesforce.format import format_soql

from cxrecon.domain.lookups import LookupKeys, OrgView
from cxrecon.domain.names import name_words
from cxrecon.domain.records import ContactRec
from cxrecon.domain.rules.chat_name import rankable_by_name, unranked_names
from cxrecon.salesforce import indexes as ix
from cxrecon.salesforce.client import SalesforceCall
from cxrecon.salesforce.queries import Query, rows_of_type, run_queries, run_search
from cxrecon.salesforce.records import (
    account_rec,
    case_rec,
    contact_rec,
    lead_rec,
    phone_search_term,
    task_rec,
    user_rec,
)
from cxrecon.salesforce.soql import batched_in_clauses, batched_or_clauses, query_url_overhead

CONTACT_FIELDS = "Id, Name, FirstName, LastName, Email, Phone, MobilePhone, HomePhone, OtherPhone, AccountId"
LEAD_FIELDS = "Id, Name, Email, Phone, MobilePhone, Company"
CASE_FIELDS = "Id, CaseNumber, AccountId, ContactId, IsClosed, Status, Subject"
ACCOUNT_FIELDS = "Id, Name, Type, ParentId, Website"
USER_FIELDS = "Id, Name, Email, FederationIdentifier, IsActive"
TASK_FIELDS = "Id, CXone_Contact_Id__c, WhoId, WhatId, OwnerId, Status, IsClosed, TaskSubtype"
PHONE_SEARCH = f"IN PHONE FIELDS RETURNING Contact({CONTACT_FIELDS}), Lead({LEAD_FIELDS})"
# A name search only ranks people (rule 10): a candidate is offered by name and account, so the
# fields that make up most of a record (email, four phones) are left out of the thousands it returns.
NAMED_CONTACT_FIELDS = "Id, Name, FirstName, LastName, AccountId"
NAME_SEARCH = f"IN NAME FIELDS RETURNING Contact({NAMED_CONTACT_FIELDS})"
# Typed-name words searched together: a first name finds a hundred people in a large org, and a search
# past SOSL's 2,000-record cap is thrown away and run again in halves. More common words shrink the
# batches still to run (`run_search`).
NAME_WORDS_PER_SEARCH = 12
# The selective, cheap condition first: evaluators that short-circuit skip the IN list for closed cases.
OPEN_FIRST = "IsClosed = false AND "
WHO_ONLY = "AND IsWhat = false"


def _select(fields: str, sobject: str) -> str:
    # Field lists and object names are constants of this module; values never pass through here.
    return f"SELECT {fields} FROM {sobject}"  # noqa: S608


def _in_queries(
    label: str, head: str, field: str, values: Iterable[str], tail: str = "", *, first: str = ""
) -> list[Query]:
    """`head WHERE first field IN (...) tail` split so each query's URL fits; none when `values` is
    empty."""
    vals = set(values)
    if not vals:
        return []
    overhead = query_url_overhead(f"{head} WHERE {first} {tail}")
    clauses = batched_in_clauses(vals, field=field, base_query_len=overhead)
    return [Query(label, f"{head} WHERE {first}{clause} {tail}".rstrip()) for clause in clauses]


def fetch_org_view(
    call: SalesforceCall,
    keys: LookupKeys,
    *,
    integration_username: str,
    default_region: str,
    task_last_modified_by: bool = False,
) -> OrgView:
    """Everything the decision core may look at for `keys`, indexed by the keys' normalised values.

    `task_last_modified_by` adds `LastModifiedById` to the Task query (only when the org has it).
    """
    phone_rows = run_search(call, {phone_search_term(p) for p in keys.phones}, PHONE_SEARCH)
    phone_contacts, phone_leads = rows_of_type(phone_rows, "Contact"), rows_of_type(phone_rows, "Lead")
    contacts_by_name = _search_names(call, keys)

    task_fields = TASK_FIELDS + (", LastModifiedById" if task_last_modified_by else "")
    user_by_username = format_soql("SELECT Id FROM User WHERE Username = {}", integration_username)
    rows = run_queries(
        call,
        [
            *_in_queries("contact_email", _select(CONTACT_FIELDS, "Contact"), "Email", keys.emails),
            *_in_queries("lead_email", _select(LEAD_FIELDS, "Lead"), "Email", keys.emails),
            *_in_queries("case", _select(CASE_FIELDS, "Case"), "CaseNumber", keys.case_numbers),
            *_in_queries("case", _select(CASE_FIELDS, "Case"), "Id", keys.case_ids),
            *_in_queries("task", _select(task_fields, "Task"), "CXone_Contact_Id__c", keys.cxone_contact_ids),
            *_in_queries("user", _select(USER_FIELDS, "User"), "FederationIdentifier", keys.agent_ids),
            *_in_queries(
                "user", _select(USER_FIELDS, "User"), "Name", keys.agent_names, "AND IsActive = true"
            ),
            Query("integration_user", user_by_username),
            *_installer_queries(keys.email_domains),
        ],
    )
    email_contacts = [contact_rec(r) for r in rows["contact_email"]]
    # Contacts found by name carry only NAMED_CONTACT_FIELDS: their accounts are fetched, but they are
    # not `contacts_by_id` (rule 9 compares a case's contact's email and phones).
    named = [c for found in contacts_by_name.values() for c in found]
    contacts = [*map(contact_rec, phone_contacts), *email_contacts]
    cases = {c.id: c for c in map(case_rec, rows["case"])}
    tasks = {t.id: t for t in map(task_rec, rows["task"])}
    installers = {a.id: a for a in map(account_rec, rows["installer"])}
    users = [user_rec(r) for r in rows["user"]]

    known_contacts = {c.id: c for c in contacts}
    case_contact_ids = {c.contact_id for c in cases.values() if c.contact_id} - known_contacts.keys()
    referenced = [*(c.account_id for c in [*contacts, *named]), *(c.account_id for c in cases.values())]
    account_ids = set(keys.account_ids) | {a for a in referenced if a}
    rows2 = run_queries(
        call,
        [
            *_in_queries(
                "account", _select(ACCOUNT_FIELDS, "Account"), "Id", account_ids - installers.keys()
            ),
            *_in_queries(
                "open_case",
                _select(CASE_FIELDS, "Case"),
                "AccountId",
                # Offered to reviewers beside a person, a case or a directory entry: never needed for
                # an installer that only an email domain named.
                account_ids,
                first=OPEN_FIRST,
            ),
            *_in_queries(
                "relation", _select("TaskId, RelationId", "TaskRelation"), "TaskId", tasks, WHO_ONLY
            ),
            # Rule 9 needs the contact a quoted case belongs to.
            *_in_queries("case_contact", _select(CONTACT_FIELDS, "Contact"), "Id", case_contact_ids),
        ],
    )
    known_contacts.update({c.id: c for c in map(contact_rec, rows2["case_contact"])})
    return OrgView(
        contacts_by_phone=ix.freeze(
            ix.index_by_phone(phone_contacts, keys.phones, default_region, contact_rec)
        ),
        contacts_by_email=ix.freeze(ix.by_lower_email(email_contacts)),
        contacts_by_name=ix.freeze(contacts_by_name),
        contacts_by_id=known_contacts,
        leads_by_phone=ix.freeze(ix.index_by_phone(phone_leads, keys.phones, default_region, lead_rec)),
        leads_by_email=ix.freeze(ix.by_lower_email(map(lead_rec, rows["lead_email"]))),
        cases_by_number={c.case_number: c for c in cases.values() if c.case_number in keys.case_numbers},
        cases_by_id=ix.cases_by_id(cases, keys.case_ids),
        accounts={**installers, **{a.id: a for a in map(account_rec, rows2["account"])}},
        installer_orgs_by_domain=ix.installers_by_domain(list(installers.values()), keys.email_domains),
        open_cases_by_account=ix.freeze(ix.open_cases_by_account(map(case_rec, rows2["open_case"]))),
        tasks_by_cxone_id=ix.tasks_with_relations(tasks, rows2["relation"]),
        users_by_federation_id={u.federation_id: u for u in users if u.federation_id in keys.agent_ids},
        users_by_name=ix.freeze(ix.users_by_name(users, keys.agent_names)),
        integration_user_id=next((str(r["Id"]) for r in rows["integration_user"]), None),
    )


def fetch_name_view(call: SalesforceCall, keys: LookupKeys) -> OrgView:
    """The name round (rule 10): contacts found by `keys.names` that can rank for a typed name, and
    their accounts (a candidate is offered with its account's name): the searches, then a composite
    call for the accounts. Nothing else in `keys` is looked up, not even the integration user, and no
    open cases: the name round only ranks people."""
    contacts_by_name = _search_names(call, keys)
    account_ids = {c.account_id for found in contacts_by_name.values() for c in found if c.account_id}
    rows = run_queries(call, _in_queries("account", _select(ACCOUNT_FIELDS, "Account"), "Id", account_ids))
    return OrgView(
        contacts_by_name=ix.freeze(contacts_by_name),
        accounts={a.id: a for a in map(account_rec, rows["account"])},
    )


def _name_search(
    call: SalesforceCall, names: Iterable[str], *, max_terms: int | None = None
) -> dict[str, list[ContactRec]]:
    found = set(names)
    rows = run_search(call, found, NAME_SEARCH, phrases=True, max_terms=max_terms)
    return ix.contacts_by_name(rows_of_type(rows, "Contact"), frozenset(found))


def _search_names(call: SalesforceCall, keys: LookupKeys) -> dict[str, list[ContactRec]]:
    """Contacts by searched name: `keys.names` first (phrases), then, word by word, the words of the
    typed names none of those found anyone for. Only contacts that can rank for a typed name are kept:
    a common first name finds hundreds of people, and each kept one costs its account and cases."""
    found = _name_search(call, keys.names)
    if not keys.typed_names:
        return found
    found = rankable_by_name(found, keys.typed_names)
    unfound = unranked_names(found, keys.typed_names)
    words = {word for name in unfound for word in name_words(name)} - keys.names
    if words:
        found.update(rankable_by_name(_name_search(call, words, max_terms=NAME_WORDS_PER_SEARCH), unfound))
    return found


def _installer_queries(domains: Iterable[str]) -> list[Query]:
    likes = [format_soql("Website LIKE '%{:like}%'", d) for d in sorted(set(domains))]
    if not likes:
        return []
    head = _select(ACCOUNT_FIELDS, "Account") + " WHERE Type = 'Installer' AND "
    groups = batched_or_clauses(likes, base_query_len=query_url_overhead(head))
    return [Query("installer", head + group) for group in groups]
