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

# Common nouns that name the kind of the next name ("le groupe X", "la ville de X", "le
# ministre X"): the context a one-off name's label is repaired from (oneoff.py), and a
# lowercase head cut from a span the model started on it ("parti Taqaddum" → "Taqaddum", ORG).
KIND_NOUNS = {
    "ORG": frozenset({"groupe", "mouvement", "organisation", "milice", "faction", "parti", "coalition",
                      "alliance", "formation", "réseau", "agence", "quotidien", "journal", "chaîne",
                      "société", "compagnie", "entreprise", "banque", "brigade", "bataillon", "syndicat",
                      "association", "ong", "fondation", "firme", "hebdomadaire", "magazine", "radio",
                      "télévision", "club", "constructeur", "opérateur", "fabricant", "groupuscule", "ministère"}),
    "LOC": frozenset({"ville", "province", "région", "village", "localité", "quartier", "gouvernorat",
                      "district", "capitale", "pays", "base", "aéroport", "port", "île",
                      "vallée", "fleuve", "désert", "montagne", "mont", "frontière", "hôpital",
                      "mosquée", "stade", "prison", "rue", "avenue", "boulevard", "place", "pont",
                      "hôtel", "champ", "raffinerie", "barrage", "lac", "rivière", "plaine", "colline",
                      "plateau", "oasis", "commune", "cité", "mausolée", "sanctuaire", "citadelle",
                      "passage", "poste-frontière", "bourgade", "agglomération", "péninsule"}),
    "PER": frozenset({"ministre", "président", "présidente", "général", "cheikh", "m.", "mme", "commandant",
                      "chef", "leader", "dirigeant", "dirigeante", "imam", "ayatollah", "député", "députée",
                      "porte-parole", "émir", "roi", "reine", "prince", "princesse", "colonel", "sénateur",
                      "sénatrice", "juge", "ambassadeur", "ambassadrice", "secrétaire", "journaliste",
                      "homologue", "religieux", "clerc", "guide", "vice-président", "vice-présidente",
                      "candidat", "candidate", "opposant", "opposante", "avocat", "avocate", "émissaire",
                      "envoyé", "envoyée", "conseiller", "conseillère", "gouverneur", "maire", "procureur",
                      "lieutenant", "capitaine", "sergent", "pape", "rabbin", "mollah", "mufti",
                      "chancelier", "chancelière", "directeur", "directrice", "sultan", "mme.", "mlle"}),
    # Guidelines §2: named operations and apps/platforms are MISC.
    "MISC": frozenset({"opération", "application", "plateforme", "messagerie", "logiciel"}),
}
# ("camp" is not one: "le camp Ashraf" is a place, "le camp Biden" his supporters.)
# Adjectives between the kind noun and the name: "le groupe armé X", "le chef militaire X".
KIND_ADJECTIVES = frozenset(
    form for base in ("armé", "jihadiste", "djihadiste", "islamiste", "chiite", "sunnite", "rebelle",
                      "terroriste", "extrémiste", "paramilitaire", "séparatiste", "militaire", "spirituel",
                      "sortant", "démissionnaire", "intérimaire", "suprême", "adjoint", "pétrolier",
                      "frontalier", "autonome", "rival", "radical", "pro-iranien", "conservateur",
                      "réformateur", "salafiste", "kurde", "druze", "yézidi", "chrétien", "palestinien")
    for form in inflect(base))


def kind_of_noun(word: str) -> str:
    """The label a kind noun gives the name after it ("groupe" → ORG), or ""."""
    low = word.lower()
    return next((label for label, nouns in KIND_NOUNS.items() if low in nouns), "")
