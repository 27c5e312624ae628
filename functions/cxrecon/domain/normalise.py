"""Pure identity normalisation: phone numbers, email addresses, website domains. No I/O."""

from __future__ import annotations

import functools
import re
from email.utils import parseaddr
from urllib.parse import urlsplit

import phonenumbers

__all__ = [
    "FREE_MAIL_DOMAINS",
    "email_domain",
    "email_without_tag",
    "is_free_mail",
    "is_unusable_email",
    "is_unusable_phone",
    "normalise_email",
    "normalise_phone",
    "phone_digits",
    "website_domain",
]

_NON_DIGITS = re.compile(r"\D+")
_PHONE_SCHEME = re.compile(r"^\s*(?:tel|sip|sips|callto):", re.IGNORECASE)


def phone_digits(raw: str | None) -> str:
    """The digits of `raw` and nothing else ("" for None)."""
    if not raw:
        return ""
    return _NON_DIGITS.sub("", raw)


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


@functools.lru_cache(maxsize=65536)
def normalise_phone(raw: str | None, default_region: str = "US") -> str | None:
    """E.164 ("+15551234567") for a valid or full-length possible number, else None.

    Numbers without a country code are read in `default_region`. A long run of digits that is not a number
    there (e.g. "442079460958" with region US) is retried as an international number.
    Extensions ("x12", "ext. 12") are dropped. Cached: a chunk asks about the same numbers many times
    (every leg, every rule), and parsing is the costliest step of a decision.
    """
    if raw is None:
        return None
    text = _PHONE_SCHEME.sub("", raw).strip()
    if not text or len(phone_digits(text)) < 4 or is_unusable_phone(text):
        return None
    # "011 44 ..." / "00 44 ..." are handled by phonenumbers through the region's international prefix.
    number = _parse(text, default_region)
    if number is not None and phonenumbers.is_valid_number(number):
        return _e164(number)
    digits = phone_digits(text)
    if not text.startswith("+") and len(digits) >= 11:
        international = _parse("+" + digits, None)
        if international is not None and phonenumbers.is_valid_number(international):
            return _e164(international)
    if number is not None and (
        phonenumbers.is_possible_number_with_reason(number) == phonenumbers.ValidationResult.IS_POSSIBLE
    ):
        return _e164(number)
    return None


# A deliberately permissive address check: one "@", a non-empty local part, a dotted domain.
_EMAIL = re.compile(r"^[^\s@<>(),;:\"\[\]]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$")


def normalise_email(raw: str | None) -> str | None:
    """Trimmed, lower-cased address; display names, angle brackets and "mailto:" stripped. None if not one."""
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
        text = text.split("?", 1)[0]
    if "<" in text or '"' in text or "(" in text:
        _name, address = parseaddr(text)
        text = address or text
    text = text.strip().strip("<>").strip().strip("'\"").strip().rstrip(".").lower()
    if not _EMAIL.match(text):
        return None
    return text


def email_without_tag(email: str) -> str:
    """ "joe+jobs@x.com" → "joe@x.com" (sub-addressing tag removed)."""
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    return local.split("+", 1)[0] + "@" + domain


def email_domain(email: str) -> str:
    """The part after the last "@", lower-cased ("" when there is none)."""
    _local, at, domain = email.rpartition("@")
    return domain.strip().lower() if at else ""


_NO_REPLY = re.compile(r"no[-_.]?reply|do[-_.]?not[-_.]?reply|^bounces?(?:$|[-_.+])")
_MAILER_DAEMON = re.compile(r"^(?:mailer[-_.]?daemon|postmaster)(?:$|[-_.+])")


def is_unusable_email(email: str) -> str | None:
    """A reason code when the address can never identify a customer, else None.

    "no_reply" for no-reply/noreply/donotreply/do-not-reply/do_not_reply/bounce addresses, "mailer_daemon"
    for mailer-daemon/postmaster. Role addresses (info@, support@) are left to the rules.
    """
    local = email.strip().lower().rpartition("@")[0] or email.strip().lower()
    if _MAILER_DAEMON.search(local):
        return "mailer_daemon"
    if _NO_REPLY.search(local):
        return "no_reply"
    return None


_WITHHELD_WORDS = (
    "anonymous",
    "private",
    "restricted",
    "unknown",
    "unavailable",
    "withheld",
    "blocked",
    "no caller",
    "not available",
    "n/a",
)


def is_unusable_phone(raw: str | None) -> str | None:
    """ "withheld" for a caller id that is missing, withheld or a placeholder, else None.

    Covers words like Anonymous/Private/Restricted/Unknown/Unavailable/Withheld/Blocked, numbers with fewer
    than 7 digits, and placeholders made of one repeated digit or zeros after a country code
    ("0000000000", "+10000000000").
    """
    if raw is None:
        return "withheld"
    text = raw.strip().lower()
    if not text:
        return "withheld"
    if any(word in text for word in _WITHHELD_WORDS):
        return "withheld"
    digits = phone_digits(text)
    if len(digits) < 7:
        return "withheld"
    if len(set(digits)) == 1:
        return "withheld"
    # A country code (1-3 digits) followed by nothing but zeros.
    if any(set(digits[i:]) == {"0"} for i in (1, 2, 3)):
        return "withheld"
    return None


FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        # Google, Microsoft, Yahoo, AOL, Apple
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "outlook.co.uk",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.fr",
        "hotmail.de",
        "hotmail.it",
        "hotmail.es",
        "live.com",
        "live.co.uk",
        "live.ca",
        "msn.com",
        "passport.com",
        "windowslive.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.ca",
        "yahoo.fr",
        "yahoo.de",
        "yahoo.es",
        "yahoo.it",
        "yahoo.com.au",
        "yahoo.co.in",
        "yahoo.co.jp",
        "ymail.com",
        "rocketmail.com",
        "aol.com",
        "aim.com",
        "icloud.com",
        "me.com",
        "mac.com",
        # Privacy-focused and international providers
        "proton.me",
        "protonmail.com",
        "protonmail.ch",
        "pm.me",
        "tutanota.com",
        "tuta.io",
        "hey.com",
        "fastmail.com",
        "fastmail.fm",
        "zoho.com",
        "zohomail.com",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "gmx.at",
        "gmx.us",
        "web.de",
        "t-online.de",
        "freenet.de",
        "mail.com",
        "email.com",
        "usa.com",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "inbox.ru",
        "bk.ru",
        "list.ru",
        "rambler.ru",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "naver.com",
        "daum.net",
        "hanmail.net",
        "rediffmail.com",
        "libero.it",
        "virgilio.it",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "laposte.net",
        "sfr.fr",
        "btinternet.com",
        "sky.com",
        "talktalk.net",
        "virginmedia.com",
        "ntlworld.com",
        "bigpond.com",
        "optusnet.com.au",
        "shaw.ca",
        "rogers.com",
        "sympatico.ca",
        "telus.net",
        # US ISPs
        "comcast.net",
        "xfinity.com",
        "att.net",
        "verizon.net",
        "sbcglobal.net",
        "bellsouth.net",
        "charter.net",
        "spectrum.net",
        "cox.net",
        "earthlink.net",
        "frontier.com",
        "frontiernet.net",
        "windstream.net",
        "centurylink.net",
        "embarqmail.com",
        "optonline.net",
        "juno.com",
        "netzero.net",
        "roadrunner.com",
        "rr.com",
        "twc.com",
        "q.com",
        "prodigy.net",
        "pacbell.net",
        "ameritech.net",
        "swbell.net",
        "flash.net",
        "mindspring.com",
        "cableone.net",
        "mediacombb.net",
        "suddenlink.net",
        "wowway.com",
    }
)


def is_free_mail(domain: str) -> bool:
    """True for consumer mailbox providers (gmail.com, outlook.com, ...), whose domain says nothing about
    the customer's company."""
    return domain.strip().lower().rstrip(".") in FREE_MAIL_DOMAINS


_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$")


def website_domain(website: str | None) -> str | None:
    """ "https://www.NorthValley.com/about" → "northvalley.com"; None when it holds no host name."""
    if website is None:
        return None
    text = website.strip()
    if not text or " " in text:
        return None
    if "://" not in text:
        text = "//" + text.lstrip("/")
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[len("www.") :]
    if not _HOST.match(host):
        return None
    return host
