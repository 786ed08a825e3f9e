"""Name normalisation for French news copy: accents, punctuation, titles, Arabic particles,
transliteration keys and acronyms.

``analyse`` turns a surface form into a :class:`NameForm`, the unit every comparison works on;
``normalise_name`` is its readable string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from annotate.entities.matching import lexicon as lx

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-"})
_WORD = re.compile(r"[A-Za-z0-9]+")
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_ELISION = re.compile(r"\b([A-Za-z]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)'")
_REPEAT = re.compile(r"(.)\1+")
_DIGRAPH_H = re.compile(r"([xkg])h")
# A trailing one-word parenthesis locates or abbreviates a name ("Amman (Jordanie)", "… (AIEA)"):
# it is not part of the name. A longer one may tell two names apart ("Saint-Martin (partie
# française)") and stays.
_TRAILING_PAREN = re.compile(r"(?<=\w)\s*\(\s*[^()\s]+\s*\)\s*$")
# A capital after three lowercase letters inside one word: an acronym written in mixed case
# ("CentCom", "NorthCom"), unlike the capitals of "McKenzie" or "DiCaprio".
_CAMEL = re.compile(r"[a-z]{3}[A-Z]")
# Lowercase words that may sit inside a name ("Hadi al-Ameri", "Mohammed ben Salmane").
_NAME_PARTICLES = frozenset({"al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an", "bin",
                             "ben", "ibn", "ould", "abou", "abu", "de", "du", "da", "van", "von"})
_TITLE_SEQS = tuple(tuple(t.split()) for t in lx.TITLES)
# The same titles by first word, longest first as in TITLES: a name's first word picks the few
# worth trying instead of every title being compared at every step.
_TITLES_BY_HEAD: dict[str, tuple[tuple[str, ...], ...]] = {}
for _seq in _TITLE_SEQS:
    _TITLES_BY_HEAD[_seq[0]] = _TITLES_BY_HEAD.get(_seq[0], ()) + (_seq,)


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name analysed for comparison.

    ``tokens`` are the comparable words (function words dropped, Arabic nouns glossed);
    ``raw`` the same words before glossing; ``caps`` whether each was capitalised in the
    original; ``after_genitive`` whether it directly follows de/du/des/of.
    """

    text: str
    norm: str
    tokens: tuple[str, ...]
    raw: tuple[str, ...]
    caps: tuple[bool, ...]
    after_genitive: tuple[bool, ...]
    single_upper: bool  # the original is one all-caps or mixed-case acronym: "PMF", "CentCom"
    # phonetic key of the comparable words written solid ("Hizb Allah" = "Hezbollah"): made
    # once here, since the index files every name under it and lookups compare it per pair
    joined: str = ""
    # transliteration keys of the comparable words, space-separated: what a lookup's plain
    # string prefilter compares ("Kadhimi" / "Kazimi" agree there before any word rule)
    key: str = ""


def strip_accents(text: str) -> str:
    """Remove diacritics: "États" → "Etats", "Aïn" → "Ain"."""
    if text.isascii():  # most names: nothing to decompose
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[tuple[str, bool, str]]:
    """(word, capitalised, following character) for each word of a surface form."""
    if not text.isascii():
        text = strip_accents(unicodedata.normalize("NFKC", text).translate(_SPACES)
                             .translate(_QUOTES))
    elif "`" in text:
        text = text.replace("`", "'")
    if "'" in text:
        # An apostrophe after one letter is an elision ("l'Irak"); inside a longer word it
        # writes a hamza or ayn ("Kata'ib") and the word continues.
        text = _ELISION.sub(_unelide, text).replace("'", "")
    if "." in text:
        # "D.C.", "U.S.": dotted initials are one word
        text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    return [(m.group(), m.group()[0].isupper(), text[m.end():m.end() + 1])
            for m in _WORD.finditer(text)]


def _unelide(m: re.Match) -> str:
    return m.group(1) + " "  # a function: an r"\1 " template is re-expanded per match


def _described(words: list[tuple[str, bool, str]]) -> int:
    """How many leading words describe the name after them: lowercase words ending with a
    nationality ("émissaire américain", "chef milicien irakien") before a name whose words are
    all capitalised or particles ("Amos Hochstein", "Hadi al-Ameri"); 0 otherwise."""
    for k, (word, cap, _) in enumerate(words):
        if cap:
            return 0
        if k and word.lower() in lx.DEMONYMS:
            rest = words[k + 1:]
            if rest and rest[0][1] and all(c or w.lower() in _NAME_PARTICLES for w, c, _ in rest):
                return k + 1
            return 0
    return 0


def _strip_leading(words: list[tuple[str, bool, str]]) -> list[tuple[str, bool, str]]:
    """Drop titles, determiners, lowercase generic heads and descriptions in front of the
    name."""
    described = _described(words)
    if described:
        words = words[described:]
    changed = True
    while changed and len(words) > 1:
        changed = False
        low = [w.lower() for w, _, _ in words]
        if low[0] in lx.DETERMINERS or (low[0] in lx.LOWER_HEADS and not words[0][1]):
            words, changed = words[1:], True
            continue
        if low[0] == "ex":
            words, changed = words[1:], True
            continue
        for seq in _TITLES_BY_HEAD.get(low[0], ()):
            n = len(seq)
            if len(low) > n and tuple(low[:n]) == seq:
                words, changed = words[n:], True
                # "le Premier ministre irakien Mustafa al-Kazimi": the nationality qualifies
                # the title, not the name
                while len(words) > 1 and words[0][0].lower() in lx.DEMONYMS:
                    words = words[1:]
                break
    return words


def _particles(words: list[tuple[str, bool, str]]) -> list[tuple[str, bool, str]]:
    """Unify Arabic particles and drop the article (al-, Al , el-, as-)."""
    out: list[tuple[str, bool, str]] = []
    for word, cap, sep in words:
        low = word.lower()
        if low in lx.ARTICLES or (low in lx.SUN_ARTICLES and sep == "-"):
            continue
        for prefix in lx.COMPOUND_PREFIXES:
            if low.startswith(prefix) and len(low) > len(prefix) + 2:
                out.append(("abd", cap, " "))
                low = low[len(prefix):]
                if low.startswith(("al", "el")) and len(low) > 4:
                    low = low[2:]
                cap = True
                break
        out.append((lx.PARTICLE_MAP.get(low, low), cap, sep))
    while len(out) > 1 and out[-1][0] in lx.SUFFIXES:
        out.pop()
    return out or [(w.lower(), c, s) for w, c, s in words]


def _countries(words: list[tuple[str, bool, str]]) -> list[tuple[str, bool, str]]:
    """A country of two words ("États-Unis", "Royaume-Uni") as one comparable word, the
    country of a nationality (the readable ``norm`` keeps both)."""
    out: list[tuple[str, bool, str]] = []
    for word, cap, sep in words:
        solid = lx.COMPOUND_COUNTRIES.get((out[-1][0], word)) if out else None
        if solid:
            out[-1] = (solid, out[-1][1], sep)
        else:
            out.append((word, cap, sep))
    return out


@lru_cache(maxsize=1 << 19)
def analyse(text: str) -> NameForm:
    """Analyse a surface form (span text, alias, typed query) into a :class:`NameForm`."""
    words = _particles(_strip_leading(_words(_TRAILING_PAREN.sub("", text) or text)))
    norm = " ".join(w for w, _, _ in words)
    if len(words) > 1:
        words = _countries(words)
    tokens: list[str] = []
    raw: list[str] = []
    caps: list[bool] = []
    gen: list[bool] = []
    after_gen = False
    for word, cap, _ in words:
        if word in lx.FUNCTION_WORDS and len(words) > 1:
            after_gen = after_gen or word in lx.GENITIVES
            continue
        raw.append(word)
        tokens.append(gloss().get(translit(word), word))
        caps.append(cap)
        gen.append(after_gen)
        after_gen = False
    stripped = text.strip()
    single_upper = len(tokens) == 1 and " " not in stripped and (
        stripped.isupper() or _CAMEL.search(stripped) is not None)
    return NameForm(text, norm, tuple(tokens), tuple(raw), tuple(caps), tuple(gen),
                    single_upper, skeleton("".join(tokens)), " ".join(map(translit, tokens)))


# Words that name nobody on their own: the Arabic article and particles, determiners,
# function words, generational suffixes and one-word titles ("M.", "Mme", "cheikh").
_BARE_WORDS = (lx.ARTICLES | lx.SUN_ARTICLES | lx.DETERMINERS | lx.FUNCTION_WORDS
               | lx.SUFFIXES | set(lx.PARTICLE_MAP) | set(lx.PARTICLE_MAP.values()) | {"ex"})


def uninformative(form: NameForm) -> bool:
    """Whether a query is too little to pick an entity: only particles, articles and titles
    ("Al", "al-", "Abou", "M.", "le Premier ministre"), a single letter, or two lowercase
    letters. Two capitals ("EI", "US") are an acronym and stay informative."""
    if not form.tokens:
        return True
    if len(form.tokens) == 1 and (len(form.raw[0]) == 1
                                  or len(form.raw[0]) == 2 and not form.single_upper):
        return True
    words, i = form.raw, 0
    while i < len(words):
        if words[i] in _BARE_WORDS:
            i += 1
            continue
        for seq in _TITLES_BY_HEAD.get(words[i], ()):
            if words[i:i + len(seq)] == seq:
                i += len(seq)
                break
        else:
            if i and words[i] in lx.DEMONYMS:  # "le Premier ministre irakien"
                i += 1
                continue
            return False
    return True


@lru_cache(maxsize=1)
def gloss() -> dict[str, str]:
    """The glossary keyed by transliteration key, so every spelling of a word hits it."""
    return {translit(k): v for k, v in lx.GLOSSARY.items()}


def normalise_name(text: str) -> str:
    """Readable normalised form of a name: lowercase, no accents, apostrophes, hyphens and
    non-breaking spaces as spaces, leading titles/determiners and the Arabic article removed,
    particles unified (Abou→abu, Abdel→abd).

    >>> normalise_name("le Premier ministre Mohamed Chia al-Soudani")
    'mohamed chia soudani'
    """
    return analyse(text).norm


@lru_cache(maxsize=200_000)
def translit_labels(token: str) -> tuple[str, frozenset[str]]:
    """Transliteration key of a lowercase token with vowels kept, and the rules that fired."""
    labels: set[str] = set()

    def rule(m: re.Match) -> str:  # one pass both rewrites and records the rule
        labels.add(lx.TRANSLIT_LABEL[m.group()])
        return lx.TRANSLIT_MAP[m.group()]

    out = lx.TRANSLIT_RE.sub(rule, token)
    collapsed = _REPEAT.sub(r"\1", out)
    if collapsed != out:
        labels.add("double letters")
    if len(collapsed) > 3 and collapsed.endswith("h") and collapsed[-2] in lx.VOWELS:
        collapsed = collapsed[:-1]
    return collapsed, frozenset(labels)


def translit(token: str) -> str:
    """Transliteration key with vowels: "Soudani"/"Sudani" → "sudani", "Chia"/"Shia" → "xia"."""
    return translit_labels(token)[0]


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Phonetic key: consonant classes only ("Kadhimi", "Kazimi", "Kazemi" → "kdm").

    Vowels carry the e/a, i/e, o/u alternations of transliteration, so they are dropped after
    the first letter (an initial vowel becomes "a" so "Esmail"/"Ismail" agree).
    """
    t = translit(token).translate(lx.KEY_CLASSES)
    if not t:
        return t
    head = "a" if t[0] in lx.VOWELS else t[0]
    # an h after ch/sh/kh/gh is what is left of a doubled digraph one spelling wrote and the
    # other did not ("Machhad" → x + had, "Mashad" → x + ad); after other consonants it may
    # open the next word of a name written solid ("Karimhosokou"), so it stays
    if "h" in t:
        t = t[0] + _DIGRAPH_H.sub(r"\1", t[1:]) if len(t) > 1 else t
    body = "".join(c for c in t[1:] if c not in lx.VOWELS)
    key = _REPEAT.sub(r"\1", head + body)
    if len(key) > 2 and key.endswith("h"):
        key = key[:-1]
    return key
