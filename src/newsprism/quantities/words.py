"""Word lists for the quantities stage: qualifiers, range words, units and phrase stops.

Tables are keyed by ISO 639-1 language code; a text with an unknown or missing language
uses the union of all of them. Everything is lower case.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsprism.model import Quantity
from newsprism.quantities.units import CURRENCY_CODES, CURRENCY_SYMBOLS, RATE_WORDS, unit_of

__all__ = [
    "AGE_CUES",
    "AUX",
    "CURRENCY_CODES",
    "CURRENCY_SYMBOLS",
    "OF_WORDS",
    "RATE_WORDS",
    "STOP",
    "VAGUE_DETERMINERS",
    "direction",
    "is_event_word",
    "is_plain_join",
    "qualifier_regex",
    "range_regexes",
    "unit_of",
]


def _w(words: str) -> list[str]:
    """Split a whitespace-separated word list."""
    return words.split()


# Qualifier phrases written right before a number, by language.
_QUALIFIERS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "more_than": ("more than", "over", "above", "in excess of", "upwards of", "exceeding"),
        "at_least": ("at least", "no fewer than", "no less than", "a minimum of", "at a minimum"),
        "less_than": ("less than", "fewer than", "under", "below", "sub-"),
        "at_most": ("at most", "no more than", "not more than", "a maximum of"),
        "up_to": ("up to", "as many as", "as much as"),
        "about": (
            "about",
            "around",
            "some",
            "approximately",
            "roughly",
            "an estimated",
            "estimated",
            "circa",
            "ca.",
            "approx.",
            "or so",
        ),
        "nearly": ("nearly", "almost", "close to", "just under", "just shy of"),
    },
    "es": {
        "more_than": ("más de", "mas de", "por encima de", "superior a"),
        "at_least": ("al menos", "por lo menos", "como mínimo", "mínimo"),
        "less_than": ("menos de", "por debajo de"),
        "at_most": ("como máximo", "a lo sumo", "no más de", "máximo"),
        "up_to": ("hasta",),
        "about": ("unos", "unas", "alrededor de", "aproximadamente", "en torno a", "cerca de"),
        "nearly": ("casi", "poco menos de"),
    },
    "fr": {
        "more_than": ("plus de", "au-delà de", "plus d'", "plus d’"),
        "at_least": ("au moins", "pas moins de", "au minimum"),
        "less_than": ("moins de", "moins d'", "moins d’"),
        "at_most": ("au plus", "au maximum", "pas plus de"),
        "up_to": ("jusqu'à", "jusqu’à", "jusqu'a"),
        "about": ("environ", "quelque", "autour de", "approximativement", "à peu près"),
        "nearly": ("près de", "presque", "quasiment", "pas loin de"),
    },
    "de": {
        "more_than": ("mehr als", "über", "ueber", "knapp über"),
        "at_least": ("mindestens", "wenigstens", "zumindest"),
        "less_than": ("weniger als", "unter"),
        "at_most": ("höchstens", "maximal", "nicht mehr als"),
        "up_to": ("bis zu",),
        "about": ("etwa", "rund", "ungefähr", "circa", "ca.", "zirka", "gut"),
        "nearly": ("fast", "knapp", "beinahe", "nahezu"),
    },
    "ru": {
        "more_than": ("более", "больше", "свыше", "более чем", "больше чем", "сверх"),
        "at_least": (
            "не менее",
            "по меньшей мере",
            "как минимум",
            "минимум",
            "по крайней мере",
            "не меньше",
        ),
        "less_than": ("менее", "меньше", "менее чем", "меньше чем"),
        "at_most": ("не более", "не больше", "максимум"),
        "up_to": ("до",),
        "about": ("около", "примерно", "приблизительно", "порядка", "почти около"),
        "nearly": ("почти", "чуть менее", "без малого"),
    },
    "uk": {
        "more_than": ("понад", "більше", "більш ніж", "більше ніж", "більш як", "понад як"),
        "at_least": ("щонайменше", "не менше", "принаймні", "як мінімум", "мінімум"),
        "less_than": ("менше", "менш ніж", "менше ніж"),
        "at_most": ("не більше", "максимум"),
        "up_to": ("до",),
        "about": ("близько", "приблизно", "орієнтовно", "до близько"),
        "nearly": ("майже", "трохи менше"),
    },
    "it": {
        "more_than": ("più di", "oltre"),
        "at_least": ("almeno",),
        "less_than": ("meno di",),
        "at_most": ("al massimo", "non più di"),
        "up_to": ("fino a",),
        "about": ("circa", "intorno a", "attorno a", "cerca di"),
        "nearly": ("quasi",),
    },
    "pt": {
        "more_than": ("mais de",),
        "at_least": ("pelo menos", "ao menos", "no mínimo"),
        "less_than": ("menos de",),
        "at_most": ("no máximo", "não mais de"),
        "up_to": ("até",),
        "about": ("cerca de", "aproximadamente", "por volta de", "uns", "umas"),
        "nearly": ("quase",),
    },
    "nl": {
        "more_than": ("meer dan", "ruim", "boven"),
        "at_least": ("minstens", "ten minste", "tenminste", "minimaal"),
        "less_than": ("minder dan",),
        "at_most": ("hoogstens", "maximaal", "ten hoogste"),
        "up_to": ("tot", "tot wel"),
        "about": ("ongeveer", "zo'n", "circa", "rond de"),
        "nearly": ("bijna",),
    },
    "sl": {
        "more_than": ("več kot", "več kakor", "nad"),
        "at_least": ("vsaj", "najmanj"),
        "less_than": ("manj kot", "pod"),
        "at_most": ("največ",),
        "up_to": ("do",),
        "about": ("okoli", "približno", "približno okoli"),
        "nearly": ("skoraj",),
    },
    "pl": {
        "more_than": ("ponad", "więcej niż", "przeszło", "powyżej"),
        "at_least": ("co najmniej", "przynajmniej", "minimum"),
        "less_than": ("mniej niż", "poniżej"),
        "at_most": ("najwyżej", "maksymalnie", "nie więcej niż"),
        "up_to": ("do",),
        "about": ("około", "mniej więcej", "ok."),
        "nearly": ("prawie", "blisko", "niemal"),
    },
}

# Words opening a range ("between 20 and 30", "from four to 82", "de 20 a 30").
_RANGE_OPEN = _w(
    "between entre zwischen между між from de des von от від tra fra tussen med między od"
)
# Words joining a range when no opening word is there ("20 to 30", "20-30", "2 или 3").
_RANGE_JOIN = _w("to - – — a à al au bis до or o ou oder или або tot do lub ó")
# Words joining a range only after an opening word ("between 20 and 30").
_RANGE_AND = _w("and y et und и і e en i in a à al au to bis до tot do")
# Determiners making a bare scale vague: "several thousand", "несколько тысяч".
VAGUE_DETERMINERS = frozenset(
    _w("""several few a few some various varios varias unos pocos plusieurs quelques mehrere
    einige paar несколько кілька декілька alcune alcuni diversi vários várias alguns algumas
    enkele meerdere nekaj kilka kilkanaście""")
)

AGE_CUES = frozenset(
    _w("""aged age ages edad edades âgé âgés âgée âgées âge alter alters возраст возрасте возрасту
    віку вік età idade leeftijd starosti starost wieku""")
)

STOP: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": """the a an in on at from to for with by into about as than and or but that which
            who whom whose this these those it its their them they he she we you i his her our
            my your was were is are be been being had has have having will would could should
            may might can must do did does not no also already still only just more most some
            any all each many much very so if when while where after before since until during
            per according said says told there here then other others across including such
            now last this next both either reportedly allegedly under over above below near
            against without within along behind toward towards through via among amid inside
            outside despite like out off up down around""",
        "es": """el la los las un una unos unas de del en a al con por para que y o pero se su sus
            lo como más menos ya han ha fueron fue son es están estaban sido había habían ser
            desde hasta entre sobre según tras durante sin no ni les le este esta estos estas
            otros otras según cuando donde""",
        "fr": """le la les l un une des de du d en à au aux avec par pour que qui et ou mais se sa
            son ses leur leurs ont a été sont est étaient avaient avait depuis jusqu entre sur
            selon pendant sans ne pas dont y ce cette ces dans""",
        "de": """der die das den dem des ein eine einen einem einer eines von vom in im am an auf
            aus mit für bei nach zu zum zur und oder aber dass sind wurden wurde waren haben
            hatten hat ist sein seit bis zwischen über unter gegen ohne nicht auch schon bereits
            noch als wie""",
        "ru": """и в во на с со по к ко от до из за у о об для при без через над под между или но
            а что как который которые были был была было это этот эти их его её уже ещё также
            не ни же бы ли из-за""",
        "uk": """і й в у на з із зі по до від за для при без через над під між або але а що як які
            були був була було це цей ці їх його її вже ще також не ні ж би чи""",
        "it": """il lo la i gli le un una uno di del della dei degli delle da dal in nel nella a
            al alla con per su che e o ma sono stati è hanno era già anche non""",
        "pt": """o a os as um uma de do da dos das em no na nos nas por para com que e ou mas
            foram foi são está estavam já também não""",
        "nl": """de het een van in op aan met voor door dat die en of maar zijn waren werd
            werden is hebben had al ook niet""",
    }.items()
}
AUX: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "was were is are be been being had has have having already also reportedly "
        "allegedly still now all reported believed said thought feared confirmed",
        "es": "fueron fue han ha habían había sido son están estaban ya",
        "fr": "ont été sont a avaient avait étaient déjà ont",
        "de": "wurden wurde sind waren haben hatten bereits schon",
        "ru": "были был была было уже",
        "uk": "були був була було вже",
        "it": "sono stati state è stato stata hanno già",
        "pt": "foram foi estão estavam já",
        "nl": "zijn werden werd waren al",
    }.items()
}
OF_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset({"of"}),
    "es": frozenset({"de"}),
    "fr": frozenset({"de", "d", "des"}),
    "it": frozenset({"di"}),
    "pt": frozenset({"de"}),
    "nl": frozenset({"van"}),
}
_EVENT_IRREGULAR = frozenset(
    _w("""died dead killed fled fell left hurt held taken missing wounded injured lost gone sent
    born drawn shot struck hit slain caught muertos heridos morts tués blessés disparus tote
    getötet verletzt morti feriti mortos feridos doden""")
)
_EVENT_SUFFIX: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"\w{3,}ed$"),
    "es": re.compile(r"\w{2,}(?:ados?|adas?|idos?|idas?|aron|ieron)$"),
    "fr": re.compile(r"\w{2,}(?:é|ée|és|ées)$"),
    "it": re.compile(r"\w{2,}(?:ati|ate|iti|ite|uti|ute)$"),
    "pt": re.compile(r"\w{2,}(?:ados|adas|idos|idas|aram|eram|iram)$"),
    "ru": re.compile(r"\w{2,}(?:аны|ены|яны|ты|ли|лись|ено|ана|ена)$"),
    "uk": re.compile(r"\w{2,}(?:ані|ені|яні|ті|ли|лися)$"),
}


def is_event_word(word: str, language: str | None) -> bool:
    """A participle or past verb saying what happened to what is counted (``arrested``)."""
    w = word.lower()
    if w in _EVENT_IRREGULAR:
        return True
    rx = _EVENT_SUFFIX.get(language or "en")
    return bool(rx and rx.match(w))


def _langs(language: str | None) -> list[str]:
    return [language] if language in _QUALIFIERS else list(_QUALIFIERS)


def _alternation(phrases: list[str]) -> str:
    parts = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


@lru_cache(maxsize=64)
def qualifier_regex(language: str | None) -> tuple[re.Pattern[str], dict[str, str]]:
    """A regex matching a qualifier phrase that ends the searched text, and phrase → kind."""
    kinds: dict[str, str] = {}
    for lang in reversed(_langs(language)):
        for kind, phrases in _QUALIFIERS[lang].items():
            for p in phrases:
                kinds[p] = kind
    rx = re.compile(r"(?<![\w'’])(" + _alternation(list(kinds)) + r")\s*$", re.IGNORECASE)
    return rx, kinds


@lru_cache(maxsize=64)
def range_regexes(language: str | None) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(join between two numbers, opening word before the first number)."""
    join = re.compile(
        r"\s*(?:" + _alternation(_RANGE_JOIN) + r"|" + _alternation(_RANGE_AND) + r")\s*$",
        re.IGNORECASE,
    )
    opening = re.compile(r"(?<!\w)(" + _alternation(_RANGE_OPEN) + r")\s+$", re.IGNORECASE)
    return join, opening


def is_plain_join(word: str) -> bool:
    return word.strip().lower() in _RANGE_JOIN


# Verbs of change right before a quantity ("rose 2%", "fell by 3", "вырос на 5%").
_UP = (
    r"rose|rise[sn]?|rising|gain(?:ed|s)?|jump(?:ed|s)?|climb(?:ed|s)?|increas(?:ed|es)|gr[eo]w(?:s|n)?|"
    r"advanc(?:ed|es)|surg(?:ed|es)|soar(?:ed|s)?|rall(?:ied|ies)|added|up|higher|"
    r"subi[óo]|aument[óo]|creci[óo]|augment[ée]e?|progress[ée]|grimp[ée]|"
    r"(?:an)?stieg(?:en)?|gestiegen|wuchs|zugelegt|выр[ао]с(?:ла|ли|ло)?|увеличил(?:ся|ась|ись|ось)|"
    r"подорожал[аио]?|зріс|зросл[аио]"
)
_DOWN = (
    r"fell|fall(?:s|en)?|drop(?:ped|s)?|declin(?:ed|es)|decreas(?:ed|es)|lost|los(?:es|ing)|slid|"
    r"slip(?:ped|s)|plung(?:ed|es)|plummet(?:ed|s)?|s[au]nk|tumbl(?:ed|es)|shed|down|lower|eased|"
    r"baj[óo]|cay[óo]|disminuy[óo]|baiss[ée]|chut[ée]|recul[ée]|fiel|gesunken|"
    r"упал[аио]?|снизил(?:ся|ась|ись|ось)|сократил(?:ся|ась|ись|ось)|подешевел[аио]?|впа[влл]\w*"
)
_BY = r"(?:\s+(?:by|of|un|una|de|d['’]|um|на|an|about|nearly|some))?"
_DIRECTION = re.compile(rf"(?i)(?<![\w-])(?:({_UP})|({_DOWN})){_BY}\s*[$€£¥]?\s*$")


def direction(text: str, quantity: Quantity, language: str | None = None) -> str | None:
    """``up``/``down`` when a verb of change governs the quantity ("rose 2%", "fell by 3").

    The verb (or ``up``/``down``, or a sign ``+``/``-``) must come right before the
    quantity, optionally followed by ``by``/``un``/``de``/``um``/``на``; "rose from 3 to 4"
    and "rose 60% to 3.9 million" give a direction to 3 and 60% only.
    """
    del language  # the verb lists cover every supported language at once
    before = text[max(0, quantity.start - 40) : quantity.start]
    if before.endswith("+"):
        return "up"
    m = _DIRECTION.search(before)
    if m is None:
        return None
    return "up" if m.group(1) else "down"
