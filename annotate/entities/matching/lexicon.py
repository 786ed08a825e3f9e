"""Word lists and transliteration rules used by name normalisation.

Everything here is general French/English/Arabic-in-Latin-script vocabulary, never a list of
entity names: a name is matched through these rules, not looked up in them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

# Titles, honorifics and functions that precede a name (guidelines §2 exclude them from spans,
# but a typed query or an imported gazetteer row often still carries them). Normalised form
# (lowercase, no accents, hyphens/apostrophes as spaces); longest first so that
# "grand ayatollah" wins over "ayatollah".
TITLES = tuple(
    sorted(
        (
            "m", "mm", "mme", "mmes", "mlle", "mr", "mrs", "ms", "dr", "pr", "me", "sir",
            "monsieur", "madame", "general", "gen", "colonel", "commandant", "capitaine",
            "lieutenant", "marechal", "amiral",
            "premier ministre", "ex premier ministre", "ancien premier ministre",
            "ministre", "president", "ex president", "ancien president", "vice president",
            "chef", "dirigeant", "leader", "leader chiite", "chef chiite",
            "ayatollah", "grand ayatollah", "haj", "hajj", "hadj", "cheikh", "sheikh", "cheick", "sayyed", "sayyid",
            "imam", "mollah", "emir", "rais", "roi", "prince", "reine", "pape",
            "secretaire d etat", "secretaire americain a la defense",
            "secretaire a la defense", "porte parole", "ambassadeur", "ambassadrice",
            "senateur", "depute", "juge", "commandant iranien", "general iranien",
            "prime minister", "president of", "minister", "secretary", "ambassador",
            "general", "the", "dictateur", "ex dictateur", "guide supreme",
        ),
        key=lambda t: -len(t),
    )
)

# Leading determiners and elided prepositions (guidelines §2).
DETERMINERS = frozenset({"le", "la", "les", "l", "du", "des", "d", "de", "the", "un", "une"})

# Lowercase generic heads written before a name ("groupe État islamique"); only stripped when
# lowercase in the original, since a capitalised head belongs to the name. Not the words of a
# division ("province", "gouvernorat", "région"): "province de X" names the division, which may
# be another place than the city X (see ADMIN_HEADS).
LOWER_HEADS = frozenset({
    "groupe", "organisation", "mouvement", "parti", "base", "quartier", "aeroport",
    "operation", "alliance", "milice", "faction", "ville",
})

# Function words skipped for acronyms and blocking; dropped from the comparable tokens.
FUNCTION_WORDS = frozenset({
    "de", "du", "des", "d", "la", "le", "les", "l", "et", "en", "au", "aux", "a", "pour",
    "sur", "par", "dans", "of", "the", "and", "for", "in", "on", "to", "at",
})

# Prepositions that make the following words a complement ("Brigades du Hezbollah").
GENITIVES = frozenset({"de", "du", "des", "d", "of"})

# Arabic article and particles: dropped ("al-Soudani" = "Soudani"), or unified.
ARTICLES = frozenset({"al", "el", "ul"})
# Sun-letter assimilated article forms, only dropped when hyphenated ("as-Sadr").
SUN_ARTICLES = frozenset({"ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath", "ad"})
PARTICLE_MAP = {
    "abou": "abu", "abo": "abu", "aboul": "abu", "abul": "abu",
    "ibn": "bin", "ben": "bin", "ould": "bin",
    "abdel": "abd", "abdul": "abd", "abdoul": "abd", "abdal": "abd", "abdoel": "abd",
}
# "Abdelkarim" is "Abd al-Karim" written solid; split the particle off long tokens.
COMPOUND_PREFIXES = ("abdel", "abdoul", "abdul", "abdal")

# Words after a place name that make it another place ("Koweït City", "Mexico City").
PLACE_SUFFIXES = frozenset({"city", "ville"})

# Compass points (as glossed: "West" → "ouest"): "Qayyarah-Ouest", "Beirut East" or "Soudan du
# Sud" is another place than the one it is named after.
COMPASS = frozenset({"nord", "sud", "est", "ouest"})

# Generational suffixes carry no identity ("Lloyd Austin III").
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "junior", "senior"})

# Heads that name a kind of organisation or place rather than a specific one; they weigh
# little in similarity and a name made only of them is too generic to link on its own.
GENERIC = frozenset({
    "brigades", "brigade", "mouvement", "movement", "forces", "force", "armee", "army",
    "parti", "party", "front", "ministere", "ministry", "conseil", "council", "organisation",
    "organization", "groupe", "group", "commandement", "command", "comite", "committee",
    "coalition", "alliance", "agence", "agency", "corps", "bataillon", "battalion", "ligue",
    "league", "union", "republique", "republic", "etat", "state", "departement",
    "department", "gouvernement", "government", "assemblee", "assembly", "parlement",
    "parliament", "province", "region", "base", "mer", "sea", "banque", "bank", "compagnie",
    "company", "compagnies", "cadre", "framework", "service", "services", "bureau", "office",
    "autorite", "authority", "resistance", "milice", "militia", "garde", "guard",
    "gardiens", "guardians", "national", "nationale", "nationaux", "internationale",
    "international", "islamique", "islamic", "district", "county", "canton",
})

# Cross-language equivalences (annotate/data/name_equivalences.toml): words, short given names
# and nationality adjectives, each compared as one canonical word.
_EQUIV = tomllib.loads((Path(__file__).resolve().parents[2] / "data" / "name_equivalences.toml")
                       .read_text(encoding="utf-8"))
EQUIV_VERSION = _EQUIV.get("version", 0)

# Nationality adjectives: two names that differ only by them are different referents
# ("ministère irakien …" vs "ministère iranien …"), so they never fuzzy-match each other.
# Every form of one nationality maps to its canonical form ("iraqi" → "irakien").
DEMONYM_KEY = {form: canon for canon, forms in _EQUIV["demonyms"].items()
               for form in (canon, *forms)}
DEMONYMS = frozenset(DEMONYM_KEY)
# The country word of a nationality ("irak", "iraq" → "irakien"), and either of them → the
# nationality: a name's "d'Irak" and "irakien" are one nationality, "d'Irak" and "d'Iran" two.
COUNTRY_KEY = {country: canon for canon, countries in _EQUIV.get("demonym_countries", {}).items()
               for country in countries}
# Countries of two words, written as one ("etatsunis") so that they are one country word.
COMPOUND_COUNTRIES = {tuple(words.split()): words.replace(" ", "")
                      for words in _EQUIV.get("compound_countries", ())}
COUNTRY_KEY.update({solid: canon for canon, countries in _EQUIV.get("demonym_countries", {}).items()
                    for country in countries if " " in country
                    for solid in [country.replace(" ", "")]})
NATIONALITY = {**COUNTRY_KEY, **DEMONYM_KEY}

# Administrative divisions (glossed to one of these words): "Gouvernorat de Kirkouk" or
# "Kirkuk Governorate", capitalised, is the proper name of another place than the city
# "Kirkouk". Written in lowercase ("province d'Anbar", "Kirkuk province") the word describes
# the place: that division if there is one, the place itself otherwise (scoring._containment).
ADMIN_HEADS = frozenset({"province", "district", "region", "comte", "county", "canton"})

# The glossary: words compared as the French word news copy uses ("Kataeb Hezbollah" =
# "Brigades du Hezbollah"). Keys are transliteration keys (see normalise.translit) so that every
# spelling of a word hits the same entry. Arabic nouns of militia and party names first:
_ARABIC = {
    "kataeb": "brigades", "kataib": "brigades", "katib": "brigades",
    "harakat": "mouvement", "haraka": "mouvement",
    "hachd": "mobilisation", "hashd": "mobilisation",
    "chaabi": "populaire", "shaabi": "populaire", "chabi": "populaire",
    "jaych": "armee", "jaish": "armee", "jeish": "armee",
    "asaib": "ligue", "asaeb": "ligue",
    # saraya is rendered "Brigades" as often as "Compagnies": both are compared as one word
    "saraya": "brigades", "quwat": "forces",
    "muqawama": "resistance", "moqawama": "resistance",
    "dawla": "etat", "islamiya": "islamique", "islamiyya": "islamique",
    **_EQUIV.get("arabic_words", {}),
}
# other French forms of one word
_FRENCH_FORMS = {
    "compagnies": "brigades",
    **_EQUIV.get("french_forms", {}),
}
# English words to the French word (their initials may make an acronym: WFP).
_ENGLISH = {
    "state": "etat", "islamic": "islamique", "white": "blanche", "house": "maison",
    "department": "departement", "ministry": "ministere", "foreign": "etrangeres",
    "affairs": "affaires", "defense": "defense", "defence": "defense", "united": "unies",
    "strip": "bande", "command": "commandement", "popular": "populaire",
    "mobilization": "mobilisation", "mobilisation": "mobilisation",
    "revolutionary": "revolution",
    "army": "armee", "party": "parti", "council": "conseil", "movement": "mouvement",
    "republic": "republique", "framework": "cadre", "agency": "agence",
    "organization": "organisation", "committee": "comite", "coalition": "coalition",
    "league": "ligue", "national": "national", "security": "securite",
    **_EQUIV["words"],
}
GLOSSARY = {
    **_ARABIC,
    **_FRENCH_FORMS,
    **_ENGLISH,
    **{short: full for full, shorts in _EQUIV["given_names"].items() for short in shorts},
    **DEMONYM_KEY,
}

# French word → the English words glossed to it, whose initials an acronym may use
# ("Programme alimentaire mondial" → WFP, World Food Programme).
TRANSLATIONS: dict[str, frozenset[str]] = {}
for _src, _dst in _ENGLISH.items():
    if _src != _dst:
        TRANSLATIONS[_dst] = TRANSLATIONS.get(_dst, frozenset()) | {_src}

# Common words: glossed or glossary targets, generic heads. A word outside these in a name is
# a proper one ("Fatah al-Islam": islam; not "Hachd al-Chaabi": populaire).
VOCABULARY = frozenset(GLOSSARY.values()) | frozenset(GLOSSARY) | GENERIC
# Particles that open a compound name ("Abdel Mahdi", "Abou Moussab", "ben Salmane").
PARTICLES = frozenset(PARTICLE_MAP.values()) | {"abd", "abu", "bin", "umm", "um"}

# Transliteration rules, applied in order to a lowercase accentless token. Each has the label
# shown in match evidence. French and English renderings of Arabic and Persian names differ by
# these pairs; the key keeps the consonant they both write.
TRANSLIT_RULES = (
    ("sch", "x", "ch/sh"),
    ("sh", "x", "ch/sh"),
    ("ch", "x", "ch/sh"),
    ("tch", "x", "ch/sh"),
    ("dj", "j", "dj/j"),
    ("kh", "k", "kh/k"),
    ("gh", "g", "gh/g"),
    ("dh", "z", "dh/z/d"),
    ("th", "t", "th/t"),
    ("ph", "f", "ph/f"),
    ("ck", "k", "k/q"),
    ("q", "k", "k/q"),
    ("ou", "u", "ou/u"),
    ("oo", "u", "ou/u"),
    ("w", "u", "w/ou"),
    ("y", "i", "y/i"),
)
TRANSLIT_RE = re.compile("|".join(re.escape(a) for a, _, _ in TRANSLIT_RULES))
TRANSLIT_MAP = {a: b for a, b, _ in TRANSLIT_RULES}
TRANSLIT_LABEL = {a: label for a, _, label in TRANSLIT_RULES}

# Consonant classes of the phonetic key: letters that transliterations swap collapse together.
KEY_CLASSES = str.maketrans({
    "q": "k", "g": "k", "c": "k", "z": "d", "v": "f",
})
VOWELS = frozenset("aeiouy")
