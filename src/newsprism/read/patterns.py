"""Keyword tables used by :mod:`newsprism.read.clean` (en, es, fr, de, ru, uk, sl, it, pt).

Each table is a plain tuple of phrases; the regular expressions are built from them, so a
new language is a matter of adding words. Phrases are written lower-case and matched
case-insensitively unless said otherwise.
"""

from __future__ import annotations

import re


def _alt(words: tuple[str, ...]) -> str:
    """A regex alternation of literal phrases, longest first; spaces match any whitespace."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


# Words introducing a picture credit ("Photo: Reuters", "Фото: ТАСС", "(Foto: EPA)").
CREDIT_WORDS: tuple[str, ...] = (
    "photo", "photos", "photograph", "photo credit", "picture", "pic", "image", "images",
    "credit", "credits", "illustration", "video", "crédit", "crédits", "crédit photo",
    "crédits photo", "foto", "fotos", "fotografía", "fotografia", "fotografija", "imagen",
    "imagem", "immagine", "bild", "bildquelle", "fotoquelle", "фото", "фотография",
    "фотографія", "світлина", "видео", "відео", "ілюстрація", "иллюстрация", "slika",
    "posnetek", "kuva", "zdjęcie",
)  # fmt: skip

# Picture agencies and stock libraries that end a caption ("... REUTERS/Gleb Garanich").
AGENCIES: tuple[str, ...] = (
    "reuters", "afp", "ap", "epa", "efe", "epa-efe", "ansa", "dpa", "tass", "тасс",
    "риа новости", "ria novosti", "sputnik", "getty images", "getty", "anadolu", "xinhua",
    "shutterstock", "istock", "profimedia", "bobo", "sta", "ukrinform", "укрінформ",
    "unian", "уніан", "alamy", "imago", "picture alliance", "keystone", "europa press",
    "agencia efe", "ap photo", "afp photo", "pixsell", "hina",
)  # fmt: skip

# Lines that start a caption of their own ("Image caption, ...", "FILE PHOTO: ...").
CAPTION_STARTS: tuple[str, ...] = (
    "image caption", "media caption", "image source", "picture caption", "video caption",
    "caption", "file photo", "pictured", "photo", "photos", "foto", "fotos", "фото",
    "bildunterschrift", "légende", "legende", "pie de foto", "leyenda", "didascalia",
    "legenda", "подпись к фото", "підпис до фото", "podpis", "imagen", "bild", "image",
    "crédit photo", "photo credit",
)  # fmt: skip

TAG_WORDS: tuple[str, ...] = (
    "tags", "tag", "tagged", "tagged with", "topics", "related topics", "keywords",
    "etiquetas", "temas", "palabras clave", "mots-clés", "mots clés", "thèmes", "sujets",
    "schlagwörter", "schlagworte", "stichwörter", "themen", "теги", "тэги", "темы",
    "ключевые слова", "теґи", "мітки", "ключові слова", "теми", "oznake", "značke",
    "ključne besede", "teme", "parole chiave", "argomenti", "palavras-chave",
    "palavras chave", "assuntos", "tópicos",
)  # fmt: skip

# "Read more"-style markers, in any case, when followed by a separator or alone on a line.
TEASER_WORDS: tuple[str, ...] = (
    "next", "previous", "read more", "read also", "also read", "read next", "see also",
    "related", "related article", "related articles", "related story", "related stories",
    "related news", "more on this story", "more on this", "recommended", "most read",
    "watch", "listen", "video", "you may also like", "lee también", "lea también",
    "leer más", "te puede interesar", "le puede interesar", "ver también", "ver más",
    "relacionado", "relacionados", "noticias relacionadas", "lo más leído", "lire aussi",
    "à lire aussi", "a lire aussi", "lire la suite", "voir aussi", "à voir aussi",
    "sur le même sujet", "weiterlesen", "lesen sie auch", "lesen sie mehr",
    "mehr zum thema", "auch interessant", "siehe auch", "das könnte sie auch interessieren",
    "читайте также", "читайте по теме", "смотрите также", "см. также", "по теме",
    "похожие новости", "читайте також", "дивіться також", "також читайте", "схожі новини",
    "preberite tudi", "preberi še", "preberite več", "več o tem", "sorodne novice",
    "sorodno", "leggi anche", "leggi tutto", "vedi anche", "potrebbe interessarti",
    "leia também", "leia mais", "veja também", "saiba mais", "notícias relacionadas",
)  # fmt: skip

# Multi-word teaser phrases distinctive enough to need no separator ("Lire aussi Le ...").
TEASER_PHRASES: tuple[str, ...] = tuple(
    w for w in TEASER_WORDS if " " in w and w not in {"more on this", "see also", "ver más"}
)

# Upper-case markers followed by a headline ("NEXT Bizarre: ...", "READ MORE ..."), matched
# case-sensitively so that a sentence starting "Next, ..." is never touched.
TEASER_CAPS: tuple[str, ...] = (
    "NEXT", "PREVIOUS", "PREV", "READ MORE", "READ ALSO", "ALSO READ", "READ NEXT",
    "SEE ALSO", "RELATED", "WATCH", "LISTEN", "LEE TAMBIÉN", "LEA TAMBIÉN", "LIRE AUSSI",
    "À LIRE AUSSI", "A LIRE AUSSI", "LESEN SIE AUCH", "MEHR ZUM THEMA", "ЧИТАЙТЕ ТАКЖЕ",
    "ЧИТАЙТЕ ТАКОЖ", "PREBERITE TUDI", "LEGGI ANCHE", "LEIA TAMBÉM", "VEJA TAMBÉM",
)  # fmt: skip

CHROME_WORDS: tuple[str, ...] = (
    "advertisement", "advertising", "sponsored", "sponsored content", "ad", "publicidad",
    "anuncio", "publicité", "annonce", "anzeige", "werbung", "реклама", "oglas",
    "oglasno sporočilo", "pubblicità", "publicidade", "share", "share this",
    "share this article", "share this story", "share on facebook", "share on twitter",
    "tweet", "facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "email",
    "e-mail", "print", "copy link", "link copied", "compartir", "compartir en facebook",
    "partager", "partager sur facebook", "teilen", "поделиться", "поділитися", "deli",
    "delite", "condividi", "compartilhar", "compartilhe", "subscribe", "subscribe now",
    "sign up", "newsletter", "suscríbete", "abonnez-vous", "abonnieren", "jetzt abonnieren",
    "подписаться", "підписатися", "naroči se", "iscriviti", "abbonati", "assine", "comments",
    "comment", "leave a comment", "show comments", "comentarios", "comentario",
    "commentaires", "commentaire", "kommentare", "kommentar", "комментарии", "коментарі",
    "komentarji", "commenti", "comentários", "loading", "cargando", "chargement",
    "wird geladen", "загрузка", "завантаження", "back to top", "top", "home", "menu",
    "search", "skip to content", "skip to main content", "listen to this article",
    "escuchar", "écouter", "anhören", "слушать", "слухати", "poslušaj", "ascolta", "ouvir",
)  # fmt: skip

# Chrome lines that go on with free text ("Follow us on Telegram", "Sign up for ...").
CHROME_STARTS: tuple[str, ...] = (
    "follow us", "síguenos", "suivez-nous", "folgen sie uns", "подписывайтесь",
    "подпишитесь", "підписуйтесь", "підпишіться", "sledite nam", "seguici", "siga-nos",
    "subscribe to", "sign up for", "sign up to", "suscríbete a", "abonnez-vous à",
    "naročite se", "click here", "haga clic aquí", "cliquez ici", "hier klicken",
    "нажмите здесь", "натисніть тут", "kliknite tukaj", "clicca qui", "clique aqui",
)  # fmt: skip

# Metadata lines, dropped when followed by a colon or a date ("Updated: 22 Sep 2022").
META_STARTS: tuple[str, ...] = (
    "updated", "published", "posted", "last updated", "actualizado", "publicado", "publié",
    "mis à jour", "aktualisiert", "veröffentlicht", "опубликовано", "обновлено",
    "опубліковано", "оновлено", "objavljeno", "posodobljeno", "pubblicato", "aggiornato",
    "atualizado",
)  # fmt: skip

# Source and byline labels, dropped only when followed by a colon ("Source: Reuters").
LABEL_STARTS: tuple[str, ...] = (
    "source", "sources", "fuente", "quelle", "источник", "джерело", "vir", "fonte", "by",
    "por", "par", "von", "автор", "avtor", "di", "author", "autor", "auteur",
)  # fmt: skip

RIGHTS: tuple[str, ...] = (
    "all rights reserved", "todos los derechos reservados", "tous droits réservés",
    "alle rechte vorbehalten", "все права защищены", "всі права захищені",
    "vse pravice pridržane", "tutti i diritti riservati", "todos os direitos reservados",
)  # fmt: skip

# "The article is in Slovenian", "Translated from Spanish", "Originally published in ...".
NOTICES: tuple[str, ...] = (
    r"(?:the |this )?(?:article|text|story|piece|original(?: article| text| version)?)"
    r" (?:is|was|has been) (?:also |originally |first )?(?:written |published |available "
    r"|translated |machine[- ]translated )?(?:in|from|into) \w+",
    r"read (?:this|the) (?:article|story) in \w+",
    r"(?:machine[- ]|automatically )?translated (?:from|by) \w+",
    r"originally published (?:in|on|by|at) \w+",
    r"(?:art[ií]culo|texto) (?:original )?(?:en|traducido del?) \w+",
    r"traducido (?:del?|por) \w+",
    r"traduit (?:de l['’]|du |de la |par )\w+",
    r"(?:article|texte) (?:original )?(?:en|traduit)\b",
    r"(?:übersetzt aus dem|dieser artikel (?:erschien|ist) (?:zuerst |auch )?(?:auf|in)) \w+",
    r"(?:статья|текст|материал) (?:на|переведен[а]? с|доступ\w+ на) \w+",
    r"переведено с \w+",
    r"(?:стаття|текст|матеріал) (?:на|перекладен[аоий]* з) \w+",
    r"članek je (?:v|bil|na voljo v) \w+",
    r"(?:l['’]articolo|articolo) (?:è|originale) (?:in|tradotto) \w+",
    r"(?:o artigo|artigo|texto) (?:está|foi|original) (?:em|traduzido) \w+",
)  # fmt: skip

_I = re.IGNORECASE
_SEP = r"\s*(?:[:：|»>–—\-]|\s+-)\s*"
_ENDP = r"[\s.:!…»>|\-–—]*"

CAPTION_SUFFIX = re.compile(
    rf"(?:(?:^|[\s(\[|–—\-.,;])(?:{_alt(CREDIT_WORDS)})(?:\s*[:：/]|\s+by\s)"
    rf"\s*[^\n!?]{{1,60}}(?<![.!?:;,])"
    rf"|(?:^|[\s(\[|–—\-])(?:{_alt(AGENCIES)})\s*/\s*[\w .'’-]{{2,60}}"
    rf"|/\s*(?:{_alt(AGENCIES)})"
    rf"|(?:^|\s)(?:via\s+)?getty\s+images"
    rf"|©\s*[\w .'’/-]{{2,60}}"
    rf")[)\]]?\s*$",
    _I,
)
CAPTION_PREFIX = re.compile(rf"^[(\[]?(?:{_alt(CAPTION_STARTS)})\s*[:：,]\s*\S", _I)
TAGS_LINE = re.compile(rf"^(?:{_alt(TAG_WORDS)})\s*[:：]", _I)
TEASER_LINE = re.compile(
    rf"^(?:(?:{_alt(TEASER_WORDS)}){_SEP}\S"
    rf"|(?:{_alt(TEASER_PHRASES)})\s+\S(?:\S*\s+){{0,25}}\S*$)"
    rf"|^(?-i:(?:{_alt(TEASER_CAPS)}))(?=[\s:])",
    _I,
)
TEASER_MARKER = re.compile(rf"(?:{_alt(TEASER_WORDS)}){_ENDP}", _I)
NOTICE_LINE = re.compile(rf"^(?:{'|'.join(NOTICES)})(?:\s+\w+)?[\s.)]*$", _I)
CHROME_LINE = re.compile(
    rf"(?:(?:{_alt(CHROME_WORDS)})|(?:{_alt(CHROME_STARTS)})\b[^\n]{{0,120}}|\d+\s+comments?"
    rf"|(?:{_alt(META_STARTS)})(?:\s*[:：]|\s+(?:on\s+|el\s+|le\s+|am\s+)?\d)[^\n]{{0,80}}"
    rf"|(?:{_alt(LABEL_STARTS)})\s*[:：][^\n]{{1,60}})"
    rf"{_ENDP}",
    _I,
)
CONTAINS_CHROME = re.compile(
    r"^\s*(?:©|\(c\)\s*\d{4}|copyright\b)"
    rf"|{_alt(RIGHTS)}"
    r"|\bcookies?\b[^\n]*\b(?:accept|consent|polic|use|settings|acept|accepte|akzept|utiliz"
    r"|verwend|использ|використ|uporablja|utilizz)"
    r"|\b(?:we|this site|this website) uses? cookies"
    r"|\b(?:enable|activate|turn on) javascript|\bjavascript (?:is )?(?:disabled|required)"
    r"|\bad[- ]?blocker|\byour browser does(?: not|n['’]t) support",
    _I,
)
