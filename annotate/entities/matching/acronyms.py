"""Acronyms of names: the word orders an acronym may spell (French, English), initials (own
or of a translation), syllabic acronyms ("CentCom"), and the blocking keys that find them.
"""

from __future__ import annotations

from functools import lru_cache

from annotate.entities.matching import lexicon as lx
from annotate.entities.matching.normalise import NameForm, gloss, translit


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
    if len(words) >= 3 and words[-1] in lx.NATIONALITY:
        # English puts a trailing nationality or "d'Iran" first or keeps it last, after the
        # English order of the rest ("Organisation de l'énergie atomique d'Iran" → AEOI,
        # "Service national de renseignement irakien" → INIS)
        for seq in _orders(words[:-1], gen[:-1]):
            seqs |= {(words[-1], *seq), (*seq, words[-1])}
    for k in range(len(words) - 1):
        if words[k:k + 2] == _UN:
            # a UN body's acronym may leave "Nations unies" out (HCR, HCDH) or put "UN" first
            # (UNHCR, UNEP): the orders of the other words, alone and after "unies nations"
            rest, rgen = words[:k] + words[k + 2:], gen[:k] + gen[k + 2:]
            if len(rest) >= 2:
                others = _orders(rest, rgen)
                seqs |= others | {(*_UN[::-1], *seq) for seq in others}
            break
    return sorted(seqs)


_UN = ("nations", "unies")


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
               or gloss().get(translit(w), "") in lx.VOCABULARY for w in words)


def _nested(parts: list[tuple[str, ...]]) -> tuple[str, ...]:
    head = parts[0]
    if not _common(head[1:]):  # a proper name keeps its place and order
        return head + (_nested(parts[1:]) if len(parts) > 1 else ())
    if len(parts) == 1:
        return head[1:] + head[:1]
    return head[1:] + _nested(parts[1:]) + head[:1]


@lru_cache(maxsize=1 << 16)
def initials(word: str) -> frozenset[str]:
    """Letters an acronym may use for ``word``: its own initial, that of its other
    transliteration ("Cham" → c, s for Sham: HTS) and those of its translations ("mondial" →
    m, w for World; "brigades" → b, k for Kataeb)."""
    french = gloss().get(translit(word), word)
    return frozenset({word[0], french[0], *(t[0] for t in lx.TRANSLATIONS.get(french, ())),
                      *(other for head, other in _OTHER_INITIALS if word.startswith(head))})


# Word beginnings that French and English transliterations write with another first letter
# (only these: every extra letter files a name under more acronym keys).
_OTHER_INITIALS = (("ch", "s"), ("sh", "c"), ("dj", "j"))


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
