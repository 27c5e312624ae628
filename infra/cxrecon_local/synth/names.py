"""Names for the synthetic world: people (some accented), nicknames, installer organisations, mail domains.

Everything here is data plus a few small pure helpers that take an explicit `random.Random`, so a
world is reproducible from its seed.
"""

from __future__ import annotations

import random
import unicodedata
from functools import lru_cache

FIRST_NAMES: tuple[str, ...] = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Margaret", "Anthony",
    "Sandra", "Mark", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Kenneth", "Donna",
    "Joshua", "Michelle", "Kevin", "Carol", "Brian", "Amanda", "Edward", "Melissa", "Ronald",
    "Deborah", "Timothy", "Stephanie", "Jason", "Rebecca", "Jeffrey", "Laura", "Gary", "Helen",
    "Nicholas", "Katherine", "Eric", "Christine", "Jonathan", "Samantha", "Larry", "Victoria",
    "Justin", "Alexandra", "Samuel", "Abigail", "Benjamin", "Olivia", "Gregory", "Sophia",
    "Alexander", "Isabella", "Patrick", "Hannah", "Raymond", "Madison", "Jack", "Grace",
    "Dennis", "Natalie", "Jerry", "Julia", "Tyler", "Megan", "Aaron", "Rachel", "Nathan", "Lauren",
    "Zachary", "Danielle", "Kyle", "Theresa", "Ethan", "Priya", "Wei", "Mei", "Hiroshi", "Yuki",
    "Ahmed", "Fatima", "Omar", "Aisha", "Carlos", "Lucia", "Diego", "Camila", "Mateo", "Valentina",
    # accented
    "José", "Zoë", "Renée", "Chloé", "Björn", "François", "Inés", "Sofía", "Andrés", "Noémie",
    "Łukasz", "Jürgen", "Héloïse", "Ángel", "Raúl", "Mónica", "Íñigo", "Søren", "Anaïs", "Joël",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green",
    "Adams", "Nelson", "Baker", "Hall", "Campbell", "Mitchell", "Carter", "Roberts", "Phillips",
    "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook",
    "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward",
    "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "James", "Hughes", "Price",
    "Sanders", "Myers", "Long", "Ross", "Foster", "Powell", "Jenkins", "Perry", "Russell",
    "Sullivan", "Fisher", "Henderson", "Coleman", "Simmons", "Patterson", "Jordan", "Reynolds",
    "Hamilton", "Graham", "Kim", "Wallace", "Chen", "Nguyen", "Patel", "Wang", "Li", "Singh",
    "Tanaka", "Kowalski", "O'Brien", "McCarthy", "Fitzgerald", "Van der Berg", "Okafor", "Haddad",
    "Rossi", "Schmidt", "Novak", "Ivanova", "Larsen", "Dubois", "Moreau",
    # accented
    "García", "Martínez", "Rodríguez", "Hernández", "López", "González", "Pérez", "Sánchez",
    "Ramírez", "Peña", "Núñez", "Muñoz", "Jiménez", "Müller", "Schäfer", "Fernández", "Álvarez",
    "Gómez", "Díaz", "Søndergaard", "Lefèvre", "Bélanger", "Côté", "Gauthier-Lévesque", "Ødegård",
)  # fmt: skip

# Formal first name -> common nicknames. A contact stored as "Robert" may introduce himself as "Bob".
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "William": ("Bill", "Will", "Billy"),
    "James": ("Jim", "Jimmy"),
    "John": ("Johnny",),
    "Richard": ("Rick", "Dick", "Rich"),
    "Joseph": ("Joe", "Joey"),
    "Thomas": ("Tom", "Tommy"),
    "Charles": ("Charlie", "Chuck"),
    "Christopher": ("Chris",),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Anthony": ("Tony",),
    "Michael": ("Mike",),
    "Steven": ("Steve",),
    "Andrew": ("Andy", "Drew"),
    "Kenneth": ("Ken", "Kenny"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Ronald": ("Ron",),
    "Timothy": ("Tim",),
    "Jeffrey": ("Jeff",),
    "Gregory": ("Greg",),
    "Nicholas": ("Nick",),
    "Jonathan": ("Jon",),
    "Samuel": ("Sam",),
    "Benjamin": ("Ben",),
    "Alexander": ("Alex",),
    "Patrick": ("Pat",),
    "Raymond": ("Ray",),
    "Zachary": ("Zach",),
    "Nathan": ("Nate",),
    "Patricia": ("Pat", "Patty", "Trish"),
    "Jennifer": ("Jen", "Jenny"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Katherine": ("Kate", "Katie", "Kathy"),
    "Christine": ("Chris", "Tina"),
    "Samantha": ("Sam",),
    "Victoria": ("Vicky", "Tori"),
    "Alexandra": ("Alex", "Sasha"),
    "Abigail": ("Abby",),
    "Deborah": ("Deb", "Debbie"),
    "Rebecca": ("Becky",),
    "Stephanie": ("Steph",),
    "Kimberly": ("Kim",),
    "Susan": ("Sue", "Susie"),
    "Barbara": ("Barb",),
    "Jessica": ("Jess",),
    "Melissa": ("Mel", "Missy"),
    "Amanda": ("Mandy",),
    "Theresa": ("Terry", "Tess"),
    "Danielle": ("Dani",),
}

# For looking a nickname back up: "Bob" -> ("Robert",).
FORMAL_NAMES: dict[str, tuple[str, ...]] = {}
for _formal, _nicks in NICKNAMES.items():
    for _nick in _nicks:
        FORMAL_NAMES[_nick] = (*FORMAL_NAMES.get(_nick, ()), _formal)

FREE_MAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "aol.com",
)

# Senders that are never identities (rule 11). Their domains are never an installer's website.
NO_REPLY_LOCALS: tuple[str, ...] = ("noreply", "no-reply", "do-not-reply", "donotreply")
NO_REPLY_DOMAINS: tuple[str, ...] = (
    "permits.citygov.example",
    "notifications.utilityco.example",
    "mailer.monitoringcloud.example",
    "alerts.inverterportal.example",
)

ORG_PREFIXES: tuple[str, ...] = (
    "North Valley", "Bright Path", "Sunrise", "Golden State", "Blue Ridge", "Pacific Coast",
    "Summit", "Evergreen", "Redwood", "Cascade", "Desert Sun", "Coastal", "High Desert", "Lakeside",
    "Prairie", "Silver Creek", "Iron Mountain", "Clearwater", "Harbor", "Canyon", "Bayview",
    "Oak Hill", "Pinecrest", "Riverbend", "Stonebridge", "Westwind", "Eastgate", "Sierra",
    "Mesa Verde", "Granite Peak", "Willow Brook", "Cedar Point", "Maple Grove", "Falcon",
    "Heritage", "Liberty", "Pioneer", "Keystone", "Horizon", "Meridian",
)  # fmt: skip
ORG_STEMS: tuple[str, ...] = (
    "Solar", "Energy", "Power", "Sun", "Renewables", "Electric", "Roofing & Solar", "Home Energy",
    "Solar Works", "Sun Systems", "Clean Energy", "PV", "Solar Co", "Energy Solutions",
)  # fmt: skip
ORG_SUFFIXES: tuple[str, ...] = ("", "", "", " Inc", " LLC", " Group")


@lru_cache(maxsize=4096)
def strip_accents(text: str) -> str:
    """'José Núñez' -> 'Jose Nunez'; 'Łukasz' -> 'Lukasz'; 'Søren' -> 'Soren'."""
    text = text.replace("Ł", "L").replace("ł", "l").replace("Ø", "O").replace("ø", "o")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=4096)
def ascii_token(text: str) -> str:
    """A lower-case ASCII token for an email local part or a domain: "O'Brien" -> "obrien"."""
    return "".join(ch for ch in strip_accents(text).lower() if ch.isalnum())


def nickname_for(first: str, rng: random.Random) -> str | None:
    nicks = NICKNAMES.get(first)
    return rng.choice(nicks) if nicks else None


def typo(name: str, rng: random.Random) -> str:
    """One plausible keyboard slip in a name of 5+ letters (swap two inner letters or drop one)."""
    if len(name) < 5:
        return name
    i = rng.randrange(1, len(name) - 2)
    if rng.random() < 0.5 and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def typed_chat_name(first: str, last: str, rng: random.Random) -> tuple[str, str]:
    """What a customer types into a chat form for a contact stored as `first last`.

    Returns (typed name, variant code). Variants: exact, lower-case, accents dropped, nickname,
    first/last swapped ("Smith, Joe" or "Smith Joe"), a typo in the last name.
    """
    variants = ["exact", "lower", "no_accents", "swapped", "typo"]
    if first in NICKNAMES:
        variants.append("nickname")
    variant = rng.choice(variants)
    if variant == "lower":
        return f"{first} {last}".lower(), variant
    if variant == "no_accents":
        return strip_accents(f"{first} {last}"), variant
    if variant == "nickname":
        return f"{nickname_for(first, rng)} {last}", variant
    if variant == "swapped":
        return (f"{last}, {first}" if rng.random() < 0.5 else f"{last} {first}"), variant
    if variant == "typo":
        return f"{first} {typo(last, rng)}", variant
    return f"{first} {last}", "exact"
