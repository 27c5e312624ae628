from __future__ import annotations

import pytest

from cxrecon.domain.normalise import (
    FREE_MAIL_DOMAINS,
    email_domain,
    email_without_tag,
    is_free_mail,
    is_unusable_email,
    is_unusable_phone,
    normalise_email,
    normalise_phone,
    phone_digits,
    website_domain,
)


@pytest.mark.parametrize(
    "raw",
    [
        "+1 (212) 555-0142",
        "(212) 555-0142",
        "212.555.0142",
        "212-555-0142",
        "2125550142",
        "12125550142",
        "+12125550142",
        "1-212-555-0142",
        "tel:+1-212-555-0142",
        "011 1 212 555 0142",
        " 212 555 0142 ext. 12 ",
    ],
)
def test_us_phone_formats_become_e164(raw: str) -> None:
    assert normalise_phone(raw) == "+12125550142"


def test_international_numbers_keep_their_country_code() -> None:
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"
    assert normalise_phone("442079460958") == "+442079460958"
    assert normalise_phone("020 7946 0958", default_region="GB") == "+442079460958"


@pytest.mark.parametrize(
    "raw", [None, "", "123", "Anonymous", "0000000000", "+10000000000", "hello", "12345"]
)
def test_invalid_or_withheld_phones_normalise_to_none(raw: str | None) -> None:
    assert normalise_phone(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("JOE@X.COM", "joe@x.com"),
        ("  joe@x.com  ", "joe@x.com"),
        ("Joe <JOE@x.com>", "joe@x.com"),
        ('"Smith, Joe" <joe.smith@Example.co.uk>', "joe.smith@example.co.uk"),
        ("<joe@x.com>", "joe@x.com"),
        ("mailto:Joe@X.com", "joe@x.com"),
        ("joe+jobs@x.com", "joe+jobs@x.com"),
    ],
)
def test_emails_are_trimmed_lowercased_and_unwrapped(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw", [None, "", "joe", "joe@", "@x.com", "joe@localhost", "a b@x.com", "Joe Bloggs"]
)
def test_non_addresses_normalise_to_none(raw: str | None) -> None:
    assert normalise_email(raw) is None


def test_email_tag_and_domain_helpers() -> None:
    assert email_without_tag("joe+jobs@x.com") == "joe@x.com"
    assert email_without_tag("joe@x.com") == "joe@x.com"
    assert email_domain("joe@Sub.Example.com") == "sub.example.com"
    assert email_domain("nope") == ""


@pytest.mark.parametrize(
    "email",
    [
        "no-reply@x.com",
        "noreply@x.com",
        "NoReply+abc@x.com",
        "donotreply@x.com",
        "do-not-reply@x.com",
        "do_not_reply@x.com",
        "alerts-noreply@x.com",
        "bounce@x.com",
        "bounces+123@x.com",
    ],
)
def test_no_reply_addresses_are_unusable(email: str) -> None:
    assert is_unusable_email(email) == "no_reply"


@pytest.mark.parametrize("email", ["mailer-daemon@x.com", "MAILER-DAEMON@x.com", "postmaster@x.com"])
def test_mailer_daemons_are_unusable(email: str) -> None:
    assert is_unusable_email(email) == "mailer_daemon"


@pytest.mark.parametrize(
    "email", ["info@x.com", "support@x.com", "joe@x.com", "bouncer.bob@x.com", "replyall@x.com"]
)
def test_people_and_role_addresses_are_usable(email: str) -> None:
    assert is_unusable_email(email) is None


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "Anonymous",
        "RESTRICTED",
        "Private",
        "Unknown",
        "unavailable",
        "Withheld",
        "blocked",
        "0000000000",
        "+10000000000",
        "000",
        "12345",
        "9999999999",
    ],
)
def test_withheld_caller_ids_are_unusable(raw: str | None) -> None:
    assert is_unusable_phone(raw) == "withheld"


@pytest.mark.parametrize("raw", ["+1 212 555 0142", "2125550142", "+44 20 7946 0958"])
def test_real_numbers_are_usable(raw: str) -> None:
    assert is_unusable_phone(raw) is None


def test_free_mail_domains() -> None:
    assert len(FREE_MAIL_DOMAINS) > 50
    for domain in ("gmail.com", "Outlook.com", "yahoo.com", "icloud.com", "proton.me", "comcast.net"):
        assert is_free_mail(domain)
    assert not is_free_mail("northvalley.com")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.NorthValley.com/about", "northvalley.com"),
        ("northvalley.com", "northvalley.com"),
        ("www.northvalley.com", "northvalley.com"),
        ("http://shop.northvalley.co.uk:8080/x?y=1", "shop.northvalley.co.uk"),
        ("  HTTPS://NorthValley.com.  ", "northvalley.com"),
        (None, None),
        ("", None),
        ("n/a", None),
        ("http://", None),
        ("not a website", None),
    ],
)
def test_website_domains(raw: str | None, expected: str | None) -> None:
    assert website_domain(raw) == expected


def test_phone_digits_keeps_only_digits() -> None:
    assert phone_digits("+1 (212) 555-0142") == "12125550142"
    assert phone_digits(None) == ""
