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


def _strip_leading(words: list[tuple[str, bool, str]]) -> list[tuple[str, bool, str]]:
    """Drop titles, determiners and lowercase generic heads in front of the name."""
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


@lru_cache(maxsize=1 << 19)
def analyse(text: str) -> NameForm:
    """Analyse a surface form (span text, alias, typed query) into a :class:`NameForm`."""
    words = _particles(_strip_leading(_words(_TRAILING_PAREN.sub("", text) or text)))
    norm = " ".join(w for w, _, _ in words)
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
        tokens.append(_gloss().get(translit(word), word))
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
def _gloss() -> dict[str, str]:
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


def acronym_words(form: NameForm) -> list[tuple[str, ...]]:
    """Word sequences an acronym of ``form`` may spell: French order, reversed, first two
    words swapped, and the English orders of its genitive parts ("Union patriotique du
    Kurdistan" → PUK, "Agence internationale de l'énergie atomique" → IAEA, "Service de
    contre-terrorisme" → CTS), each also without nationality adjectives ("Commandement central
    américain" → CENTCOM)."""
    return _acronym_seqs(form.raw, form.after_genitive)


@lru_cache(maxsize=1 << 18)
def _acronym_seqs(words: tuple[str, ...], gen: tuple[bool, ...] = ()) -> list[tuple[str, ...]]:
    # keyed by the words, not the NameForm: hashing a whole NameForm costs more than this
    if len(words) < 2:
        return []
    gen = gen or (False,) * len(words)
    seqs = _orders(words, gen)
    kept = [k for k, w in enumerate(words) if w not in lx.DEMONYMS]
    if 2 <= len(kept) < len(words):
        seqs |= _orders(tuple(words[k] for k in kept), tuple(gen[k] for k in kept))
    return sorted(seqs)


def _orders(words: tuple[str, ...], gen: tuple[bool, ...]) -> set[tuple[str, ...]]:
    """The orders of :func:`acronym_words` for one word sequence."""
    if len(words) < 2:
        return set()
    out = {words, words[::-1]}
    if len(words) == 2 or not any(gen) and not _common(words[1:]):
        # two words, or one part whose words after the first are proper: no other order
        return out | ({(words[1], words[0])} if len(words) == 2 else set())
    if _common(words[1:2]):
        out.add((words[1], words[0], *words[2:]))
    # parts: a new one starts after de/du/des/of ("Agence internationale | énergie atomique")
    parts: list[tuple[str, ...]] = []
    for word, after in zip(words, gen):
        if after and parts:
            parts.append((word,))
        else:
            parts[-1:] = [(parts[-1] if parts else ()) + (word,)]
    if len(parts) > 1 or len(words) > 2:
        # English puts the adjectives of a French noun before it ("patriotique union"); only
        # common words move: a proper name keeps its word order ("Zido Dhafaota")
        english = [p[1:] + p[:1] if _common(p[1:]) else p for p in parts]
        out.add(tuple(w for p in english for w in p))               # "Patriotic Union of K."
        out.add(tuple(w for p in reversed(english) for w in p))     # "Kurdistan Democratic P."
        out.add(tuple(w for p in reversed(parts) for w in p))       # "Counter-Terrorism Service"
        out.add(_nested(parts))                                     # "Int. Atomic Energy Agency"
    return out


def _common(words: tuple[str, ...]) -> bool:
    """Whether ``words`` are all common vocabulary or nationality adjectives."""
    return all(w in lx.VOCABULARY or w in lx.DEMONYMS
               or _gloss().get(translit(w), "") in lx.VOCABULARY for w in words)


def _nested(parts: list[tuple[str, ...]]) -> tuple[str, ...]:
    head = parts[0]
    if not _common(head[1:]):  # a proper name keeps its place and order
        return head + (_nested(parts[1:]) if len(parts) > 1 else ())
    if len(parts) == 1:
        return head[1:] + head[:1]
    return head[1:] + _nested(parts[1:]) + head[:1]


@lru_cache(maxsize=1 << 16)
def initials(word: str) -> frozenset[str]:
    """Letters an acronym may use for ``word``: its own initial and those of its translations
    ("mondial" → m, w for World; "brigades" → b, k for Kataeb)."""
    gloss = _gloss().get(translit(word), word)
    return frozenset({word[0], gloss[0], *(t[0] for t in lx.TRANSLATIONS.get(gloss, ()))})


MAX_INITIALS = 16  # initial strings filed per word sequence; beyond this only its own


def initial_strings(seq: tuple[str, ...]) -> set[str]:
    """Every initials acronym of ``seq`` (one letter of :func:`initials` per word)."""
    sets = [initials(word) for word in seq]
    if all(len(letters) == 1 for letters in sets):  # most names: no translated word
        return {"".join(word[0] for word in seq)}
    out = {""}
    for letters in sets:
        out = {head + c for head in out for c in letters}
        if len(out) > MAX_INITIALS:
            return {"".join(w[0] for w in seq)}
    return out


@lru_cache(maxsize=1 << 18)
def spells(acro: str, raw: tuple[str, ...], gen: tuple[bool, ...] = ()) -> bool:
    """Whether ``acro`` is an acronym of the name whose words are ``raw`` (``gen``: whether
    each follows de/du/des/of), in any of the orders of :func:`acronym_words` (cached: one
    pair turns up in several blocks)."""
    return any(is_acronym(acro, seq) for seq in _acronym_seqs(raw, gen))


def is_acronym(acro: str, words: tuple[str, ...]) -> bool:
    """Whether ``acro`` spells ``words`` by initials, own or translated ("ei" ← etat islamique,
    "wfp" ← mondial alimentaire programme), or by syllables of at least two letters of every
    word, in order ("centcom" ← central commandement)."""
    if len(words) < 2:
        return False
    if len(acro) == len(words):
        return all(c in initials(w) for w, c in zip(words, acro))
    if acro[:1] != words[0][:1]:  # syllables start with the first word's own letters
        return False
    return _syllables(acro, words)


def _syllables(acro: str, words: tuple[str, ...]) -> bool:
    word, rest = words[0], words[1:]
    if not rest:
        return len(acro) >= 2 and word.startswith(acro)
    for cut in range(2, min(len(word), len(acro) - 2 * len(rest)) + 1):
        if acro[:cut] != word[:cut]:
            break
        if _syllables(acro[cut:], rest):
            return True
    return False


def acronym_keys(form: NameForm) -> set[str]:
    """Blocking keys under which an acronym query finds ``form``: its initials and, for
    syllabic acronyms, the first two letters of its first word plus the second's initial."""
    keys: set[str] = set()
    for seq in _acronym_seqs(form.raw, form.after_genitive):
        if len(seq) <= 8:
            keys.update("A:" + acro for acro in initial_strings(seq))
        if len(seq[0]) >= 2:
            keys.add("S:" + seq[0][:2] + seq[1][0])
    return keys


def letters_key(form: NameForm) -> str | None:
    """Blocking key of a one-word name of 3–6 letters by its sorted letters, so that an
    acronym finds the same one in another language's order ("OTAN" / "NATO")."""
    if len(form.raw) != 1 or not 3 <= len(form.raw[0]) <= 6 or not form.raw[0].isalpha():
        return None
    return "P:" + "".join(sorted(form.raw[0]))


def query_acronym_keys(token: str) -> set[str]:
    """Blocking keys to probe for a one-word query that may be an acronym."""
    if not 2 <= len(token) <= 10 or not token.isalpha():
        return set()
    keys = {"A:" + token}
    keys |= {"S:" + token[:2] + c for c in token[2:]}
    return keys
