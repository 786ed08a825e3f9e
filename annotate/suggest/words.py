"""Closed word lists used by the entity filters (French news conventions)."""

from __future__ import annotations

import re

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août",
          "aout", "septembre", "octobre", "novembre", "décembre", "decembre")

# Spans that are never a name on their own: calendar words, the state as a common noun,
# generic heads cut from a longer name, site furniture and typographic leftovers.
STOP_SPANS = frozenset(
    WEEKDAYS + MONTHS + (
        "etat", "état", "cadre", "m", "mme", "mlle", "mm", "premier", "première", "président", "gouvernement",
        "parlement irakien", "inquiétude", "articles", "article", "rechercher", "menu",
        "accueil", "se connecter", "afficher plus", "articles similaires", "partager",
        "facebook", "whatsapp", "x", "twitter", "lire aussi", "publicité", "monde",
        "hier", "aujourd'hui", "demain", "réunion", "coalition", "milices", "dernières infos",
    )
)
BOILERPLATE = ("copyright", "all rights reserved", "tous droits réservés", "©",
               "mis à jour", "bouton retour")

# Ministry portfolios: inside a job title ("secrétaire à la Défense") they are no name.
PORTFOLIOS = frozenset({
    "défense", "affaires étrangères", "intérieur", "justice", "finances", "économie",
    "santé", "sécurité", "armées", "trésor", "énergie", "pétrole", "sécurité intérieure",
})

# Names that keep their leading article.
KEEP_DETERMINER = frozenset({
    "le caire", "la haye", "le havre", "la mecque", "la paz", "le monde", "le figaro",
    "le mans", "la havane", "le cap", "la nouvelle-orléans", "les échos", "le parisien",
})

# Lowercase starts that belong to the name (particles, official lowercase heads).
LOWERCASE_NAME_STARTS = ("al-", "al ", "el-", "el ", "ibn ", "bin ", "ben ", "abou ", "abu ",
                         "mer ", "océan ", "golfe ", "ministère", "département", "détroit ")

# Nationality adjectives and demonyms, inflected (m/f, sg/pl).
_NATIONALITY_BASES = (
    "irakien", "iraquien", "américain", "iranien", "libanais", "palestinien", "syrien",
    "israélien", "kurde", "turc", "français", "britannique", "russe", "chinois", "saoudien",
    "qatari", "jordanien", "égyptien", "yéménite", "européen", "occidental", "arabe",
    "chiite", "sunnite", "allemand", "italien", "espagnol", "afghan", "pakistanais",
    "ukrainien", "koweïtien", "émirati", "houthi", "bahreïni", "omanais", "tunisien",
    "algérien", "marocain", "libyen", "soudanais", "irano",
)


def inflect(base: str) -> set[str]:
    """The masculine, feminine, singular and plural forms of an adjective or demonym."""
    forms = {base, base + "s"}
    if base.endswith("en"):
        forms |= {base + "ne", base + "nes"}
    elif base.endswith("al"):
        forms |= {base + "e", base + "es", base[:-1] + "ux"}
    elif base.endswith("c"):
        forms |= {base + "s", base + "que", base + "ques"}
    elif base.endswith(("s", "e", "i")):
        forms |= {base + "e" if not base.endswith("e") else base, base + "es"}
    else:
        forms |= {base + "e", base + "es"}
    if base.endswith("er"):
        forms |= {base[:-2] + "ère", base[:-2] + "ères"}
    return forms


NATIONALITY_FORMS = frozenset(f for b in _NATIONALITY_BASES for f in inflect(b))

# Closed-list exception of the guidelines: "Commandement central américain" = US Central Command.
KEEP_NATIONALITY = frozenset({"Commandement central américain"})

# Titles, honorifics and functions at the start of a span (ANNOTATION.md §2).
_TITLES = (
    r"M\.", r"MM\.", r"Mme", r"Mmes", r"Mlle", r"Dr", r"Pr", r"Me",
    r"(?:grand\s+)?ayatollah", r"cheikh", r"cheick", r"sayyed", r"imam", r"émir", r"roi",
    r"reine", r"prince", r"princesse", r"général", r"générale", r"colonel", r"commandant",
    r"capitaine", r"lieutenant", r"maréchal", r"amiral", r"sergent",
    r"premier\s+ministre", r"première\s+ministre", r"vice-premier\s+ministre", r"ministre",
    r"président", r"présidente", r"vice-président", r"secrétaire\s+d'[EÉ]tat", r"secrétaire",
    r"porte-parole", r"ambassadeur", r"ambassadrice", r"député", r"députée", r"sénateur",
    r"sénatrice", r"juge", r"chef", r"cheffe", r"dirigeant", r"leader", r"responsable",
    r"numéro\s+deux", r"premier",
)
TITLE_RE = re.compile(
    r"(?:(?:ex-|ancien\s+|ancienne\s+|nouveau\s+|nouvelle\s+|l'|le\s+|la\s+)*)"
    r"(?:" + "|".join(_TITLES) + r")(?=\s|$|,)\s*",
    re.I,
)
