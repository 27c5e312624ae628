"""Reason codes in plain words, for reviewers and reports. Codes are stable; words may improve."""

from __future__ import annotations

REASON_TEXT: dict[str, str] = {
    "phone_unique": "The phone number belongs to exactly one contact.",
    "email_unique": "The email address belongs to exactly one contact.",
    "signals_agree": "Phone and email both point to the same contact.",
    "email_picks_household": "The phone is a household's; the email picks one member.",
    "household_phone": "Several contacts on one account share this phone; related to the account only.",
    "household_email": "Several contacts on one account share this email; related to the account only.",
    "household_name_pick": "Several contacts share this phone or email; the name picked one.",
    "case_number": "The interaction names an existing case of this customer.",
    "case_picks_account": "The contact details match several accounts; the quoted case picked one.",
    "name_picks_account": "The contact details match several accounts; the name picked one.",
    "installer_and_homeowner": "Both an installer and a homeowner are involved; related to both.",
    "directory_org": "Not in Salesforce; the Engine directory says which organisation they work for.",
    "directory_homeowner_job": "Homeowner not in Salesforce; Engine ties them to a job and its installer.",
    "email_domain_org": "Not in Salesforce; the email domain is one installer organisation's website.",
    "multiple_accounts": "The same contact details are on several accounts. Pick the right one.",
    "multiple_cases": "Several existing cases are quoted. Pick the one this is about.",
    "multiple_orgs": "Engine lists this person under several organisations. Pick one.",
    "conflicting_signals": "The phone and the email point to different people.",
    "case_other_account": "The quoted case belongs to a different account than the caller.",
    "case_only": "Names an existing case; the person is not in Salesforce (details in the notes).",
    "email_variant": "The email differs from a stored one only by its +tag. Confirm the person.",
    "chat_name_only": "A chat with only a typed name: a name alone is never enough.",
    "lead_only": "Only a Lead matches; a Task needs an account.",
    "contact_without_account": "The contact has no account.",
    "no_match": "Nobody in Salesforce or Engine matches this customer.",
    "existing_relation_differs": "A person already related this Task to something else.",
    "salesforce_error": "Salesforce refused the Task write.",
    "processing_failed": (
        "cxrecon failed on this interaction (a defect, or data no check foresaw): nothing was decided "
        "for it. The error says which step failed; upload the export again once it is fixed."
    ),
    "reviewer_pick": "A reviewer chose the records.",
    "reviewer_org": "A reviewer related it to the organisation, with the contact details in the notes.",
    "relink": "Corrected after the fact (unlink/link of the Customer Card).",
    "no_relation_wrong_number": "A reviewer found no relation is needed: wrong number.",
    "no_relation_spam": "A reviewer found no relation is needed: spam.",
    "no_relation_internal_test": "A reviewer found no relation is needed: internal test.",
    "no_relation_other": "A reviewer found no relation is needed.",
    "abandoned": "Abandoned before reaching an agent.",
    "never_reached_agent": "Never reached an agent.",
    "nothing_identifying": "No customer identity, no case and no agent: nothing to act on.",
}


def reason_text(reason: str) -> str:
    return REASON_TEXT.get(reason, reason.replace("_", " ").capitalize() + ".")
