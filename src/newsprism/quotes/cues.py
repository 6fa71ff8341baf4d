"""Reporting cues per language for the quotes stage: verbs, prepositions, pronouns.

Each language has speech verbs usable for direct quotes (``direct``), the subset that also
introduces indirect speech (``indirect``), source prepositions (``according to``), the
complementiser that opens reported content (``that``), and personal pronouns that may stand
for a speaker. Unknown languages use the union of all tables (minus ambiguous short words).
Verbs come in the inflections used for reporting: present and past, singular and plural,
compound tenses (``a regretté``, ``ha subrayado``, ``ha detto``), French inverted pronouns
(``ajoute-t-il``, ``a-t-elle dit``) and German separable verbs (``teilte … mit``).

The module also holds the small multilingual word lists the speaker finder uses to read
clauses (determiners, adverbs, prepositions, time adverbs such as ``mardi soir``).
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


def _w(words: str) -> tuple[str, ...]:
    return tuple(words.split())


def _regular(stems: str, endings: str) -> tuple[str, ...]:
    """Every ``stem + ending`` (``_regular("afirm explic", "a an ó aron")``)."""
    return tuple(s + e for s in stems.split() for e in endings.split())


# French verbs after the quote take an inverted pronoun: ``ajoute-t-il``, ``a-t-elle dit``.
_FR_PRONOUN = r"(?:-t)?-(?:il|elle|ils|elles|on)"
INVERTED_PRONOUN = re.compile(r"-(?:t-)?(?:il|elle|ils|elles|on)(?!\w)", re.IGNORECASE)


def _fr_present(words: str) -> tuple[str, ...]:
    """Present forms, bare and with an inverted pronoun (``regrette``, ``regrette-t-elle``)."""
    return tuple(w for v in words.split() for w in (v, v + _FR_PRONOUN))


def _fr_compound(participles: str) -> str:
    """Passé composé / plus-que-parfait with optional inversion and adverb."""
    aux = r"(?:a|ont|avait|avaient|aurait|auraient)"
    adv = r"(?:\s+(?:encore|aussi|également|ensuite|enfin|alors|toutefois|pourtant|même))?"
    return aux + "(?:" + _FR_PRONOUN + ")?" + adv + r"\s+(?:" + "|".join(participles.split()) + ")"


def _de_separable(forms: str, particle: str) -> str:
    """A separable verb: ``fügte hinzu`` or ``fügte Kowalenko … hinzu``."""
    return (
        "(?:" + "|".join(forms.split()) + r")(?:\s+" + particle
        + r"|(?=[^.!?\n„“”«»]{1,60}?\s" + particle + r"(?![\w-])))"
    )  # fmt: skip


_EN_VERBS = (
    *_w(
        "said says told tells added adds stated states announced announces claimed claims warned "
        "warns explained explains wrote writes reported reports noted notes insisted insists "
        "argued argues confirmed confirms denied stressed stresses emphasi[sz]ed underlined "
        "assured admitted admits acknowledged declared commented tweeted posted recalled "
        "concluded suggested estimated predicted promised vowed mentioned observed repeated "
        "reiterated revealed disclosed indicated specified complained complains conceded alleged "
        "lamented regretted cautioned remarked asserted underscored highlighted "
        "say argue argued contend contends contended maintain maintains maintained "
        "believe believes believed think thinks thought fear fears feared hope hopes hoped "
        "suggest suggests show shows showed found finds predict predicts expect expects "
        "acknowledge acknowledges agree agrees agreed worry worries worried know knows knew "
        "predicts estimate estimates insist claim"
    ),
    "pointed out",
)
_EN_DIRECT = (
    *_w(
        "continued replied answered responded asked urged shouted exclaimed wondered joked "
        "recounted countered"
    ),
    "went on",
)

_ES_PARTICIPLES = (
    "dicho afirmado declarado asegurado señalado explicado añadido agregado indicado advertido "
    "anunciado informado subrayado destacado lamentado apuntado precisado reconocido insistido "
    "denunciado recordado admitido confirmado manifestado sostenido escrito criticado"
)
_ES_AR = "afirm declar asegur señal explic agreg indic anunci inform subray destac lament apunt"
_ES_AR_PAST_ONLY = "precis denunci critic coment confirm alert aclar relat"  # present = noun

_FR_PRESENT = (
    "déclare déclarent affirme affirment ajoute ajoutent explique expliquent indique indiquent "
    "souligne soulignent estime estiment précise précisent annonce annoncent assure assurent "
    "regrette regrettent confie confient déplore déplorent rappelle rappellent prévient "
    "préviennent insiste insistent raconte racontent témoigne témoignent dénonce dénoncent "
    "martèle martèlent reconnaît reconnaissent avertit avertissent admet admettent observe "
    "confirme confirment commente résume s'inquiète s’inquiète s'indigne s’indigne"
)
_FR_PARTICIPLES = (
    "déclaré dit affirmé ajouté expliqué indiqué souligné assuré estimé précisé annoncé écrit "
    "averti insisté confié martelé rappelé reconnu prévenu jugé regretté déploré confirmé "
    "raconté témoigné dénoncé observé noté commenté admis résumé"
)
_FR_IMPERFECT = (
    "disait expliquait racontait confiait assurait ajoutait soulignait précisait estimait "
    "affirmait déclarait indiquait regrettait"
)

_IT_ARE = "afferm dichiar spieg sottoline precis assicur annunci lament comment osserv conferm"
_IT_PARTICIPLES = (
    "detto dichiarato affermato spiegato aggiunto sottolineato annunciato scritto riferito "
    "precisato assicurato ribadito avvertito denunciato lamentato commentato osservato ammesso "
    "rilevato confermato ricordato evidenziato raccontato insistito"
)
_PT_AR = (
    "afirm declar explic acrescent anunci sublinh destac inform lament alert salient ressalt "
    "indic adiant fris assegur coment observ"
)

_DE = (
    "sagte sagten sagt erklärte erklärten erklärt betonte betonten betont warnte warnten warnt "
    "meinte meinten meint kritisierte kritisierten kritisiert schrieb schrieben schreibt "
    "berichtete berichteten berichtet versicherte versichert unterstrich unterstreicht "
    "bekräftigte bekräftigt bestätigte bestätigt erläuterte erläutert beklagte beklagt mahnte "
    "ergänzte ergänzt verwies"
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
            r"(?:ha|había|han|habían)\s+(?:" + "|".join(_ES_PARTICIPLES.split()) + ")",
            *_regular(_ES_AR, "a an ó aron"),
            *_regular(_ES_AR_PAST_ONLY, "ó aron"),
            *_regular("añad insist admit", "e en ió ieron"),
            *_w("dijo dijeron dice dicen advierte advierten advirtió advirtieron reconoce"),
            *_w("reconocen reconoció reconocieron sostiene sostuvo sostuvieron recuerda"),
            *_w("recordó recordaron escribió escribieron manifestó manifestaron contó"),
        ),
        direct_only=(
            *_regular(_ES_AR_PAST_ONLY, "a an"),
            *_regular("respond", "e ió ieron"),
            *_regular("replic pregunt continu prosigu", "ó aron"),
            *_w("concluye concluyó cuenta"),
        ),
        prepositions=("según", "de acuerdo con", "citando a"),
        that=("que",),
        singular=("él", "ella"),
        plural=("ellos", "ellas"),
        as_words=("como",),
    ),
    "fr": CueTable(
        indirect=(
            _fr_compound(_FR_PARTICIPLES),
            *_fr_present(_FR_PRESENT),
            *(v + "(?:-(?:il|elle|on))?" for v in _FR_IMPERFECT.split()),
            r"(?:s'|s’)(?:est|sont)\s+(?:félicité|inquiété|indigné|étonné|réjoui)e?s?",
            r"(?:a|ont)\s+fait\s+(?:savoir|valoir)",
        ),
        direct_only=(
            _fr_compound("répondu poursuivi lancé conclu demandé questionné interrogé ironisé"),
            *_fr_present("répond répondent poursuit poursuivent conclut ironise s'exclame"),
            *_w("dit lance note juge écrit tranche"),
            r"(?:dit|lance|note|juge|écrit|tranche)" + _FR_PRONOUN,
            r"disent-(?:ils|elles)",
        ),
        prepositions=("selon", "d'après", "d’après"),
        that=("que", "qu'", "qu’"),
        singular=("il", "elle"),
        plural=("ils", "elles"),
        as_words=("comme",),
    ),
    "de": CueTable(
        indirect=(
            *_w(_DE),
            _de_separable("räumte räumten räumt", "ein"),
            _de_separable("teilte teilten teilt", "mit"),
            _de_separable("kündigte kündigten kündigt", "an"),
            _de_separable("fügte fügten fügt", "hinzu"),
            _de_separable("gab gaben gibt", "zu"),
            r"sprach(?:en)?(?:\s+(?:dagegen|jedoch|aber|auch|zudem))?\s+von",
            r"(?:hat|haben|hatte|hatten)\s+(?:gesagt|erklärt|betont|gewarnt|geschrieben|"
            r"berichtet|mitgeteilt|kritisiert|bestätigt|angekündigt)",
        ),
        direct_only=("antwortete", "antwortet", "fragte", "fragt", "so", r"hieß\s+es"),
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
            r"(?:ha|hanno|aveva|avevano)\s+(?:" + "|".join(_IT_PARTICIPLES.split()) + ")",
            *_regular(_IT_ARE, "a ano ò"),
            *_w("dice dicono disse dissero aggiunge aggiungono aggiunse ribadisce ribadì"),
            *_w("avverte avvertì rileva ammette ammise riferisce riferì insiste ricorda"),
            *_w("evidenzia racconta raccontò scrive scrisse"),
        ),
        direct_only=(
            r"(?:ha|hanno)\s+(?:risposto|concluso|chiesto|continuato)",
            *_w("risponde rispose conclude concluse chiede chiese denuncia"),
        ),
        prepositions=("secondo", "stando a"),
        that=("che",),
        singular=("lui", "lei"),
        plural=("loro",),
        as_words=("come",),
    ),
    "pt": CueTable(
        indirect=(
            *_regular(_PT_AR, "a am ou aram"),
            *_w("diz dizem disse disseram escreve escreveu escreveram reconhece reconheceu"),
            *_w("garante garantiu garantiram admite admitiu insiste insistiu refere referiu"),
            *_w("advertiu denunciou contou"),
        ),
        direct_only=(*_w("respondeu responde perguntou pergunta continuou concluiu"),),
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

# -- vocabulary of speakers and clauses ---------------------------------------------
WORD = re.compile(r"\w[\w’'\-.]*")
NAME = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄ][\w’'\-]+(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄ][\w’'\-]+)+")
ADVERBS = word_set(
    "also however then later again has have had will would previously earlier further "
    "repeatedly already now today yesterday recently once still too later finally "
    "therefore thus meanwhile accordingly instead "
    "monday tuesday wednesday thursday friday saturday sunday on in this week "
    "también además ya luego aussi encore ensuite déjà auch bereits noch dann schon "
    "также тоже ещё уже затем потім також вже anche già inoltre ainda já tudi že"
)
LEADERS = word_set("and but while so then as and, y e pero et mais und aber и а но і та ale in")
RELATIVES = word_set("which who whom whose that que qui der die das который которая")
SUBORDINATORS = word_set(
    "where when after before since because if although though until once whereas wo donde "
    "cuando où quand где когда коли wenn als nachdem"
)
# Present-tense cues that are also plural nouns ("the Baltic states of …").
NOUN_LIKE = word_set("states reports notes claims warns says")
NOUN_NEXT = word_set("of and or were are have had from for in on")
# Cues whose bare object is a noun phrase, not reported speech ("announced a mobilisation").
NEEDS_THAT = word_set(
    "announced announces confirmed confirms reported reports denied posted revealed disclosed "
    "promised mentioned predicted estimated acknowledged admitted declared repeated "
    "reiterated tweeted recalled lamented regretted show shows showed found finds expect "
    "expects know knows knew fear fears feared hope hopes hoped estimate estimates "
    "annonce annoncent annoncé confirme confirment confirmé regrette regrettent regretté "
    "déplore déplorent déploré dénonce dénoncent dénoncé rappelle rappellent rappelé "
    "anunció anuncia anunciaron anunciado confirmó confirmaron lamentó lamenta lamentaron "
    "denunció denunciaron recordó recordaron reconoció "
    "kritisierte kritisiert kritisierten bestätigte bestätigt warnte warnt warnten "
    "annunciato annuncia annunciò lamenta lamentò anunciou lamentou denunciou"
)
DETERMINERS = word_set("the el la los las le les der die das il lo")
STOP_AFTER = word_set(
    "they he she it we i you there this these that who which after when while because "
    "ellos él ella ils il elle er sie они он она"
)
PREPOSITIONS = word_set(
    "in at on during after before to from with by via through for en a à dans sur pour con "
    "durante tras an auf bei nach vor mit в на во по при после из"
)
ADJUNCT = PREPOSITIONS - {"a"}  # "a" is also the English article
PASSIVE = word_set("been was were be is are being the a an")
NO_INVERSION = frozenset(("told", "tells", "asked", "urged"))
# Words that end a speaker named after its cue (``said the mayor at a press conference``).
AFTER_END = word_set(
    "at on in during after before while en dans lors pendant durante tras mientras am im in "
    "bei beim während nach vor auf nel nella durante no na nos nas"
)
NOT_FIRST = word_set("it there this these we i you")  # "said it would …"
OF_WORDS = PREPOSITIONS | word_set(
    "of de di do da von del della dos das des du by par por per durch"
)
PARTICLES = word_set("hinzu mit an ein zu fort")  # German separable-verb particles
_TIME_WORDS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|"
    r"morning|afternoon|evening|night|earlier|later|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|matin|soir|après-midi|nuit|"
    r"aujourd['’]hui|hier|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|mañana|tarde|noche|madrugada|"
    r"mediodía|hoy|ayer|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|abend|nachmittag|"
    r"vormittag|nacht|mittag|heute|gestern|"
    r"lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|mattina|pomeriggio|sera|"
    r"notte|oggi|ieri|(?:segunda|terça|quarta|quinta|sexta)-feira|manhã|noite|hoje|ontem"
)
_TIME_LEAD = (
    r"on|last|this|early|late|the|in|el|la|los|las|esta|este|por|en|a|le|ce|cette|dans|au|"
    r"am|vergangenen|letzten|der|den|il|la|questa|nella|na|no|nesta|neste|à|de|del"
)
_TIME = re.compile(
    rf"(?:[\s,]*(?:(?:{_TIME_LEAD})\s+){{0,2}}(?:{_TIME_WORDS})(?![\w-]))+", re.IGNORECASE
)


def skip_time(text: str, pos: int, limit: int) -> int:
    """``pos`` moved past time adverbs (``mardi soir``, ``el martes``, ``am Abend``)."""
    m = _TIME.match(text, pos, limit)
    return m.end() if m else pos


def needs_that(cue: str) -> bool:
    """A cue whose bare object is a noun phrase, not reported speech."""
    return any(w.lower() in NEEDS_THAT for w in word_list(cue))


def word_list(s: str) -> list[str]:
    return WORD.findall(s)


# Short words that are cues in one language but common words in others.
_AMBIGUOUS = {
    *("so", "dit", "dice", "diz", "da", "on", "как", "як", "lance", "note", "juge", "écrit"),
    *("tranche", "cuenta", "denuncia", "conta", "garante", "rileva", "ricorda", "indica"),
}

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
    body = "|".join(p.replace(" ", r"\s+") for p in parts)
    # not inside a word nor after an elision (``l'annonce``), except ``qu'a déclaré``;
    # a part may end with an elision (``qu'``).
    return rf"(?<![\w-])(?:(?<=qu['’])|(?<!\w['’]))(?:{body})(?:(?<=['’])|(?![\w-]))"


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
