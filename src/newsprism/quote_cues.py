"""Reporting cues per language for the quotes stage: verbs, prepositions, pronouns.

Each language has speech verbs usable for direct quotes (``direct``), the subset that also
introduces indirect speech (``indirect``), source prepositions (``according to``), the
complementiser that opens reported content (``that``), and personal pronouns that may stand
for a speaker. Unknown languages use the union of all tables (minus ambiguous short words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def word_set(words: str) -> frozenset[str]:
    """The blank-separated words of ``words``."""
    return frozenset(words.split())


@dataclass(frozen=True)
class CueTable:
    """Reporting vocabulary of one language (regex fragments, matched case-insensitively)."""

    indirect: tuple[str, ...]
    direct_only: tuple[str, ...] = ()
    prepositions: tuple[str, ...] = ()
    that: tuple[str, ...] = ()
    singular: tuple[str, ...] = ()
    plural: tuple[str, ...] = ()
    as_words: tuple[str, ...] = ()


_EN_VERBS = (
    "said",
    "says",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "states",
    "announced",
    "announces",
    "claimed",
    "claims",
    "warned",
    "warns",
    "explained",
    "explains",
    "wrote",
    "writes",
    "reported",
    "reports",
    "noted",
    "notes",
    "insisted",
    "insists",
    "argued",
    "argues",
    "confirmed",
    "confirms",
    "denied",
    "stressed",
    "emphasi[sz]ed",
    "underlined",
    "assured",
    "admitted",
    "acknowledged",
    "declared",
    "commented",
    "tweeted",
    "posted",
    "recalled",
    "concluded",
    "suggested",
    "estimated",
    "predicted",
    "promised",
    "vowed",
    "mentioned",
    "observed",
    "repeated",
    "reiterated",
    "pointed out",
    "revealed",
    "disclosed",
    "indicated",
    "specified",
    "complained",
    "conceded",
    "alleged",
)
_EN_DIRECT = (
    "continued",
    "went on",
    "replied",
    "answered",
    "responded",
    "asked",
    "urged",
    "shouted",
    "exclaimed",
    "wondered",
    "joked",
    "recounted",
)

TABLES: dict[str, CueTable] = {
    "en": CueTable(
        indirect=_EN_VERBS,
        direct_only=_EN_DIRECT,
        prepositions=("according to",),
        that=("that",),
        singular=("he", "she"),
        plural=("they",),
        as_words=("as",),
    ),
    "es": CueTable(
        indirect=(
            r"(?:ha|había|han|habían)\s+(?:dicho|afirmado|declarado|asegurado|señalado|"
            r"explicado|añadido|indicado|advertido|anunciado|informado|subrayado|destacado)",
            "dijo",
            "dijeron",
            "dice",
            "afirmó",
            "afirma",
            "declaró",
            "aseguró",
            "asegura",
            "señaló",
            "señala",
            "explicó",
            "añadió",
            "agregó",
            "indicó",
            "advirtió",
            "manifestó",
            "sostuvo",
            "subrayó",
            "destacó",
            "insistió",
            "comentó",
            "precisó",
            "reconoció",
            "anunció",
            "informó",
            "escribió",
            "denunció",
            "afirmaron",
            "declararon",
            "aseguraron",
            "señalaron",
            "anunciaron",
            "informaron",
        ),
        direct_only=("respondió", "replicó", "preguntó", "continuó", "prosiguió", "concluyó"),
        prepositions=("según", "de acuerdo con", "citando a"),
        that=("que",),
        singular=("él", "ella"),
        plural=("ellos", "ellas"),
        as_words=("como",),
    ),
    "fr": CueTable(
        indirect=(
            r"(?:a|ont|avait|avaient)(?:-t-(?:il|elle|ils|elles))?\s+(?:déclaré|dit|affirmé|"
            r"ajouté|expliqué|indiqué|souligné|assuré|estimé|précisé|annoncé|écrit|averti|"
            r"insisté|confié|martelé|rappelé|reconnu|assuré|prévenu|jugé)",
            "déclare",
            "affirme",
            "ajoute",
            "explique",
            "indique",
            "souligne",
            "estime",
            "précise",
            "annonce",
            "assure",
        ),
        direct_only=(
            r"(?:a|ont)(?:-t-(?:il|elle|ils|elles))?\s+(?:répondu|poursuivi|lancé|conclu|"
            r"demandé|questionné)",
            "dit",
            "répond",
            "poursuit",
            "lance",
        ),
        prepositions=("selon", "d'après", "d’après"),
        that=("que", "qu'", "qu’"),
        singular=("il", "elle"),
        plural=("ils", "elles"),
        as_words=("comme",),
    ),
    "de": CueTable(
        indirect=(
            "sagte",
            "sagten",
            "sagt",
            "erklärte",
            "erklärt",
            "betonte",
            "betont",
            "warnte",
            "schrieb",
            "berichtete",
            "meinte",
            "versicherte",
            "unterstrich",
            "bekräftigte",
            "teilte mit",
            "kündigte an",
            "räumte ein",
            r"hat\s+(?:gesagt|erklärt|betont|gewarnt|geschrieben|berichtet|mitgeteilt)",
        ),
        direct_only=("fügte hinzu", "antwortete", "fragte", "ergänzte", "so"),
        prepositions=("laut", "nach angaben von"),
        that=("dass", "daß"),
        singular=("er", "sie"),
        plural=(),
        as_words=("wie",),
    ),
    "ru": CueTable(
        indirect=(
            r"заявил[аи]?",
            r"сказал[аи]?",
            r"сообщил[аи]?",
            r"отметил[аи]?",
            r"подчеркнул[аи]?",
            r"добавил[аи]?",
            r"пояснил[аи]?",
            r"написал[аи]?",
            r"указал[аи]?",
            r"признал[аи]?",
            r"заверил[аи]?",
            r"предупредил[аи]?",
            r"заявляет",
            r"говорит",
            "заявив",
            "сказав",
            "отметив",
            "сообщив",
            "подчеркнув",
            "добавив",
        ),
        direct_only=(r"ответил[аи]?", r"спросил[аи]?", r"продолжил[аи]?"),
        prepositions=("по словам", "по данным", "как сообщает", "согласно"),
        that=("что",),
        singular=("он", "она"),
        plural=("они",),
        as_words=("как",),
    ),
    "uk": CueTable(
        indirect=(
            "заявив",
            "заявила",
            "заявили",
            "сказав",
            "сказала",
            "сказали",
            r"повідомив|повідомила|повідомили",
            r"зазначив|зазначила",
            r"додав|додала",
            r"наголосив|наголосила",
            r"написав|написала",
            r"підкреслив|підкреслила",
            r"пояснив|пояснила",
        ),
        direct_only=(r"відповів|відповіла",),
        prepositions=("за словами", "за даними", "як повідомляє", "згідно з"),
        that=("що",),
        singular=("він", "вона"),
        plural=("вони",),
        as_words=("як",),
    ),
    "it": CueTable(
        indirect=(
            r"ha\s+(?:detto|dichiarato|affermato|spiegato|aggiunto|sottolineato|annunciato|"
            r"scritto|riferito|precisato|assicurato|ribadito)",
            "dice",
            "afferma",
            "dichiara",
            "spiega",
            "aggiunge",
            "sottolinea",
        ),
        direct_only=(r"ha\s+(?:risposto|concluso|chiesto)",),
        prepositions=("secondo", "stando a"),
        that=("che",),
        singular=("lui", "lei"),
        plural=("loro",),
        as_words=("come",),
    ),
    "pt": CueTable(
        indirect=(
            "disse",
            "afirmou",
            "declarou",
            "explicou",
            "acrescentou",
            "anunciou",
            "escreveu",
            "sublinhou",
            "garantiu",
            "destacou",
            "informou",
            "afirma",
            "diz",
        ),
        direct_only=("respondeu", "perguntou", "continuou"),
        prepositions=("segundo", "de acordo com"),
        that=("que",),
        singular=("ele", "ela"),
        plural=("eles", "elas"),
        as_words=("como",),
    ),
    "sl": CueTable(
        indirect=(
            r"je\s+(?:dejal|dejala|povedal|povedala|rekel|rekla|izjavil|izjavila|poudaril|"
            r"poudarila|zapisal|zapisala|sporočil|sporočila|dodal|dodala|pojasnil|pojasnila|"
            r"ocenil|ocenila|napovedal|napovedala|opozoril|opozorila)",
            r"so\s+(?:dejali|povedali|sporočili|izjavili|zapisali|pojasnili)",
            "pravi",
            "dodaja",
        ),
        direct_only=(r"je\s+(?:odgovoril|odgovorila|nadaljeval|nadaljevala)",),
        prepositions=("po besedah", "po navedbah", "kot poroča"),
        that=("da",),
        singular=("on", "ona"),
        plural=("oni",),
        as_words=("kot",),
    ),
}

# Short words that are cues in one language but common words in others.
_AMBIGUOUS = {"so", "dit", "dice", "diz", "da", "on", "как", "як", "lance"}

ROLE_NOUNS = word_set(
    "head chief minister president spokesman spokeswoman spokesperson leader secretary "
    "director governor mayor official diplomat chancellor commander general ambassador "
    "premier envoy prosecutor judge senator lawmaker ceo chairman chairwoman founder "
    "ministro presidente portavoz jefe jefa líder ministre président porte-parole chef "
    "dirigeant minister präsident sprecher sprecherin kanzler kanzlerin chef"
)


@dataclass(frozen=True)
class CuePatterns:
    """Compiled cue regexes for one language (or for all languages when unknown)."""

    direct: re.Pattern[str]
    indirect: re.Pattern[str]
    preposition: re.Pattern[str]
    that: re.Pattern[str]
    singular: frozenset[str]
    plural: frozenset[str]
    as_words: frozenset[str]
    ignore_case: bool = False


def _alternation(parts: list[str]) -> str:
    parts = sorted(set(parts), key=len, reverse=True)
    return r"(?<![\w-])(?:" + "|".join(p.replace(" ", r"\s+") for p in parts) + r")(?![\w-])"


@lru_cache(maxsize=64)
def cue_patterns(language: str | None, ignore_case: bool = False) -> CuePatterns:
    """The compiled cues for ``language`` (ISO 639-1), the union of all tables if unknown.

    The patterns are lower-case: match them against ``text.lower()`` (much faster), or ask
    for ``ignore_case`` when lower-casing would change the length of the text.
    """
    lang = (language or "").lower()[:2]
    if lang in TABLES:
        tables = [TABLES[lang]]
        if lang != "en":
            tables.append(TABLES["en"])  # English reporting verbs are common in wire copy
        drop: set[str] = set()
    else:
        tables = list(TABLES.values())
        drop = _AMBIGUOUS
    own = TABLES.get(lang)

    def collect(attr: str, tabs: list[CueTable]) -> list[str]:
        return [w for t in tabs for w in getattr(t, attr) if w not in drop]

    direct = collect("indirect", tables) + collect("direct_only", tables)
    indirect = collect("indirect", tables)
    if own is not None and own is not TABLES["en"]:
        # In a non-English article, only that language's ambiguous short words count.
        direct = [w for w in direct if w not in _AMBIGUOUS or w in own.direct_only + own.indirect]
    flags = re.IGNORECASE if ignore_case else 0
    return CuePatterns(
        direct=re.compile(_alternation(direct), flags),
        indirect=re.compile(_alternation(indirect), flags),
        preposition=re.compile(_alternation(collect("prepositions", tables)), flags),
        that=re.compile(_alternation(collect("that", tables)), flags),
        singular=frozenset(w.lower() for w in collect("singular", tables)),
        plural=frozenset(w.lower() for w in collect("plural", tables)),
        as_words=frozenset(w.lower() for w in collect("as_words", tables)),
        ignore_case=ignore_case,
    )
