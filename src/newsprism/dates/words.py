"""Month names, weekday names and relative day words per language, for the dates stage.

Each table maps a lower-case word or phrase to a number: the month (1-12), the weekday
(0 = Monday … 6 = Sunday), or the day offset from publication (``yesterday`` → -1).
"""

from __future__ import annotations

from functools import lru_cache


def _months(*names: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for month, group in enumerate(names, start=1):
        for name in group.split("|"):
            out[name] = month
    return out


def _weekdays(*names: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for day, group in enumerate(names):
        for name in group.split("|"):
            out[name] = day
    return out


MONTHS: dict[str, dict[str, int]] = {
    "en": _months(
        "january|jan",
        "february|feb",
        "march",
        "april|apr",
        "may",
        "june",
        "july",
        "august|aug",
        "september|sept",
        "october|oct",
        "november|nov",
        "december|dec",
    ),
    "es": _months(
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre|setiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "fr": _months(
        "janvier",
        "février|fevrier",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août|aout",
        "septembre",
        "octobre",
        "novembre",
        "décembre|decembre",
    ),
    "de": _months(
        "januar|jänner",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ),
    "it": _months(
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ),
    "pt": _months(
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ),
    "ru": _months(
        "января|январь|январе",
        "февраля|февраль|феврале",
        "марта|март|марте",
        "апреля|апрель|апреле",
        "мая|май|мае",
        "июня|июнь|июне",
        "июля|июль|июле",
        "августа|август|августе",
        "сентября|сентябрь|сентябре",
        "октября|октябрь|октябре",
        "ноября|ноябрь|ноябре",
        "декабря|декабрь|декабре",
    ),
    "uk": _months(
        "січня|січень|січні",
        "лютого|лютий|лютому",
        "березня|березень|березні",
        "квітня|квітень|квітні",
        "травня|травень|травні",
        "червня|червень|червні",
        "липня|липень|липні",
        "серпня|серпень|серпні",
        "вересня|вересень|вересні",
        "жовтня|жовтень|жовтні",
        "листопада|листопад|листопаді",
        "грудня|грудень|грудні",
    ),
    "sl": _months(
        "januar|januarja",
        "februar|februarja",
        "marec|marca",
        "april|aprila",
        "maj|maja",
        "junij|junija",
        "julij|julija",
        "avgust|avgusta",
        "september|septembra",
        "oktober|oktobra",
        "november|novembra",
        "december|decembra",
    ),
}
# Month names written with a capital in running text; elsewhere a capital means a name.
CAPITALISED = frozenset(MONTHS["en"]) | frozenset(MONTHS["de"])

WEEKDAYS: dict[str, dict[str, int]] = {
    "en": _weekdays("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "es": _weekdays("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "fr": _weekdays("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "de": _weekdays(
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag|sonnabend",
        "sonntag",
    ),
    "it": _weekdays(
        "lunedì|lunedi",
        "martedì|martedi",
        "mercoledì|mercoledi",
        "giovedì|giovedi",
        "venerdì|venerdi",
        "sabato",
        "domenica",
    ),
    "pt": _weekdays(
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "sábado",
        "domingo",
    ),
    "ru": _weekdays(
        "понедельник",
        "вторник",
        "среду|среда",
        "четверг",
        "пятницу|пятница",
        "субботу|суббота",
        "воскресенье",
    ),
    "uk": _weekdays(
        "понеділок",
        "вівторок",
        "середу|середа",
        "четвер",
        "п'ятницю|п’ятницю|п'ятниця",
        "суботу|субота",
        "неділю|неділя",
    ),
    "sl": _weekdays(
        "ponedeljek",
        "torek",
        "sredo|sreda",
        "četrtek",
        "petek",
        "soboto|sobota",
        "nedeljo|nedelja",
    ),
}

RELATIVE: dict[str, dict[str, int]] = {
    "en": {
        "today": 0,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "tonight": 0,
        "yesterday": -1,
        "last night": -1,
        "the day before": -1,
        "the previous day": -1,
        "the day before yesterday": -2,
        "tomorrow": 1,
        "last week": -7,
        "the week before": -7,
        "the previous week": -7,
        "two days ago": -2,
        "three days ago": -3,
        "a week ago": -7,
    },
    "es": {
        "hoy": 0,
        "esta mañana": 0,
        "esta tarde": 0,
        "esta noche": 0,
        "ayer": -1,
        "anoche": -1,
        "anteayer": -2,
        "antier": -2,
        "el día anterior": -1,
        "la víspera": -1,
        "la semana pasada": -7,
        "hace una semana": -7,
    },
    "fr": {
        "aujourd'hui": 0,
        "aujourd’hui": 0,
        "ce matin": 0,
        "ce soir": 0,
        "hier": -1,
        "hier soir": -1,
        "avant-hier": -2,
        "demain": 1,
        "la veille": -1,
        "la semaine dernière": -7,
    },
    "de": {
        "heute": 0,
        "heute morgen": 0,
        "heute früh": 0,
        "heute abend": 0,
        "gestern": -1,
        "gestern abend": -1,
        "vorgestern": -2,
        "am vortag": -1,
        "letzte woche": -7,
        "vergangene woche": -7,
        "in der vergangenen woche": -7,
        "vor einer woche": -7,
    },
    "it": {
        "oggi": 0,
        "stamattina": 0,
        "stamani": 0,
        "ieri": -1,
        "ieri sera": -1,
        "l'altro ieri": -2,
        "domani": 1,
        "il giorno prima": -1,
        "la settimana scorsa": -7,
    },
    "pt": {
        "hoje": 0,
        "esta manhã": 0,
        "ontem": -1,
        "anteontem": -2,
        "amanhã": 1,
        "o dia anterior": -1,
        "na semana passada": -7,
        "a semana passada": -7,
    },
    "ru": {
        "сегодня": 0,
        "сегодня утром": 0,
        "этим утром": 0,
        "вчера": -1,
        "позавчера": -2,
        "завтра": 1,
        "накануне": -1,
        "на прошлой неделе": -7,
    },
    "uk": {
        "сьогодні": 0,
        "вчора": -1,
        "учора": -1,
        "позавчора": -2,
        "завтра": 1,
        "напередодні": -1,
        "минулого тижня": -7,
        "на минулому тижні": -7,
    },
    "sl": {
        "danes": 0,
        "davi": 0,
        "včeraj": -1,
        "predvčerajšnjim": -2,
        "jutri": 1,
        "dan prej": -1,
        "prejšnji teden": -7,
    },
}


@lru_cache(maxsize=32)
def language_tables(
    language: str | None,
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Months, weekdays and relative words for ``language`` plus English; all when unknown."""
    langs = [language, "en"] if language in MONTHS else list(MONTHS)
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    relative: dict[str, int] = {}
    for lang in langs:
        assert lang is not None
        months.update(MONTHS[lang])
        weekdays.update(WEEKDAYS[lang])
        relative.update(RELATIVE[lang])
    return months, weekdays, relative
