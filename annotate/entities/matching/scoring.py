"""Pairwise comparison of two analysed names: a score (0–100), the kind of match and the
evidence shown to the annotator.

Token alignment rather than whole-string similarity: a surname alone must score high against
the full name ("Soudani" ⊂ "Mohammed Shia al-Sudani") while a shared word must not merge two
different names ("Fouad Hussein" / "Saddam Hussein", "Hezbollah" / "Brigades du Hezbollah").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from annotate.entities.matching import lexicon as lx
from annotate.entities.matching.acronyms import spells
from annotate.entities.matching.knowledge import entity_name, known
from annotate.entities.matching.normalise import NameForm, skeleton, translit_labels

MIN_TOKEN_SIM = 80.0
KNOWN_SCORE = 96.0  # two names the starter KB gives to one entity
PREFIX_GENERIC = 86.0  # a name of common words opening a longer name: weak, see duplicates  # below this two words are different words, not variants
GENERIC_WEIGHT = 0.3

EXACT, FULL, CONTAINED, ACRONYM, PARTIAL, CONFLICT = (
    "exact", "full", "contained", "acronym", "partial", "conflict")


@dataclass(frozen=True, slots=True)
class Comparison:
    """Outcome of comparing two names; ``conflict`` marks names that must never merge."""

    score: float
    kind: str
    evidence: str
    conflict: bool = False


@lru_cache(maxsize=500_000)
def token_sim(a: str, b: str) -> tuple[float, str]:
    """Similarity of two normalised words and why: exact, transliteration rules, or spelling."""
    if a == b:
        return 100.0, ""
    if a in lx.DEMONYMS or b in lx.DEMONYMS:
        nationality = lx.NATIONALITY.get(a)
        if nationality and nationality == lx.NATIONALITY.get(b):
            return 95.0, "nationality of the country"  # "irakienne" / "d'Irak"
        return 0.0, ""
    ta, la = translit_labels(a)
    tb, lb = translit_labels(b)
    if ta == tb:
        return 97.0, ", ".join(sorted(la ^ lb)) or "spelling"
    if min(len(a), len(b)) >= 5 and -2 <= len(a) - len(b) <= 2 and \
            (_plural(a, b) or _plural(ta, tb)):
        return 96.0, "plural"
    ratio = fuzz.ratio(ta, tb)
    ka, kb = skeleton(a), skeleton(b)
    # vowels alone make a variant of about one length ("Kazimi" / "Kazemi", "Téhéran" /
    # "Tehran", "Liban" / "Lebanon"); a word with more than half again as many letters is
    # another word of the same consonants ("Ali" / "Awliya")
    if ka == kb and len(ka) >= 2 and ratio >= 60 and \
            3 * min(len(ta), len(tb)) >= 2 * max(len(ta), len(tb)) and \
            _initial_w(a) == _initial_w(b):
        return max(94.0, ratio), ", ".join(sorted((la ^ lb) | {"vowels"}))
    if len(a) == 1 and b.startswith(a) or len(b) == 1 and a.startswith(b):
        return 82.0, "initial"
    return float(ratio), "spelling"


def _initial_w(word: str) -> bool:
    """Whether a word opens with the consonant w ("Walid", "Oualid"): the transliteration
    key writes it as the vowel u, so that "ou" and "w" agree, and the vowel leniency must not
    take "Walaï" for "Allawi"."""
    return word.startswith("w") or word.startswith("ou") and word[2:3] in lx.VOWELS


def _plural(a: str, b: str) -> bool:
    """One word the French or English plural of the other ("Force"/"Forces", "armée"/
    "armées"); only for words of five letters or more, where it is not another name."""
    if len(a) > len(b):
        a, b = b, a
    extra = len(b) - len(a)
    return (extra == 1 and b[-1] in "sx" or extra == 2 and b[-2:] == "es") and b.startswith(a)


def _align(q: tuple[str, ...], a: tuple[str, ...], prefix_last: bool):
    """Greedy one-to-one alignment of words, best pairs first: [(i, j, sim, how)]."""
    pairs = []
    for i, x in enumerate(q):
        for j, y in enumerate(a):
            sim, how = token_sim(x, y)
            if sim < MIN_TOKEN_SIM and prefix_last and i == len(q) - 1 and len(x) >= 3 \
                    and y.startswith(x):
                sim, how = 90.0, "prefix"
            if sim >= MIN_TOKEN_SIM:
                pairs.append((sim, -abs(i - j), i, j, how))
    pairs.sort(reverse=True)
    used_i: set[int] = set()
    used_j: set[int] = set()
    out = []
    for sim, _, i, j, how in pairs:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j, sim, how))
    return out


def _acronym(q: NameForm, a: NameForm, etype: str) -> bool:
    if len(q.tokens) != 1 or len(a.raw) < 2:
        return False
    if etype == "PER" and not q.single_upper:
        # people go by initials only in capitals ("MBS"); a short word such as the article
        # "Al" is not the initials of "Lloyd Austin"
        return False
    return spells(q.raw[0], a.raw, a.after_genitive)


def _variant_note(aligned, q: NameForm, a: NameForm) -> str:
    notes = []
    for i, j, sim, how in aligned:
        if q.raw[i] != a.raw[j] and q.tokens[i] == a.tokens[j]:
            notes.append(f"translation {q.raw[i] if q.raw[i] != q.tokens[i] else a.raw[j]}"
                         f"→{q.tokens[i]}")
        elif how and how not in ("spelling", "prefix"):
            notes.append(f"transliteration {how}" if how != "initial" else "initial")
        elif how == "spelling":
            notes.append(f"spelling {q.raw[i]}~{a.raw[j]}")
        elif how == "prefix":
            notes.append(f"prefix '{q.raw[i]}'")
    return "; ".join(dict.fromkeys(notes))


def _containment(short: NameForm, long: NameForm, matched_long: dict[int, float],
                 etype: str) -> tuple[float, str, bool]:
    """Score of a name all of whose words occur in a longer one, by what the longer adds."""
    extra = [j for j in range(len(long.tokens)) if j not in matched_long]
    words = [long.raw[j] for j in extra]
    first = min(matched_long)
    if all(t in lx.GENERIC for t in short.tokens):
        # A name made of common words ("Garde nationale", "État islamique") is still that
        # name when the longer one only adds a nationality, or (weakly) when it opens it
        # ("État islamique en Irak et au Levant"); otherwise it is a word of it ("Forces").
        added = [long.raw[j] for j in extra]
        opens = sorted(matched_long) == list(range(len(short.tokens)))
        if len(short.tokens) < 2 or not opens:
            return 70.0, f"generic word(s) of '{long.text}'", False
        if not all(w in lx.DEMONYMS for w in added):
            return PREFIX_GENERIC, f"opens '{long.text}'", False
    if etype != "PER" and any(t in lx.GENERIC for t in short.tokens) and \
            all(t in lx.GENERIC or w in lx.DEMONYMS for t, w in zip(short.tokens, short.raw)):
        # a common noun and a nationality ("Forces libanaises", "Armée irakienne") describe a
        # body; a word the longer adds beyond a nationality makes it a more specific one
        # ("Forces armées libanaises")
        added = [long.raw[j] for j in extra
                 if long.raw[j] not in lx.DEMONYMS and long.tokens[j] not in lx.GENERIC]
        if added:
            return 80.0, f"'{long.text}' qualifies it further ({', '.join(added)})", False
    if etype != "PER" and any(t in lx.GENERIC for t in short.tokens) and \
            all(t in lx.VOCABULARY or w in lx.DEMONYMS for t, w in zip(short.tokens, short.raw)):
        # a name of common words only ("US Special Operations Command") is not a short form of
        # one that opens with another common word ("Joint Special Operations Command"): that
        # word names a more specific body, as an added adjective does above
        lead = [long.raw[j] for j in extra if j < first and long.raw[j] not in lx.DEMONYMS
                and long.tokens[j] in lx.VOCABULARY and long.tokens[j] not in lx.GENERIC]
        if lead:
            return 80.0, f"'{long.text}' qualifies it further ({', '.join(lead)})", False
    if etype == "LOC" and any(long.raw[j] in lx.PLACE_SUFFIXES for j in extra):
        # "Koweït City" is the capital, not the country
        return 60.0, f"a place named after '{short.text.strip()}'", True
    if etype == "LOC" and any(long.tokens[j] in lx.COMPASS for j in extra) and \
            not any(t in lx.COMPASS for t in short.tokens):
        # "Qayyarah-Ouest" (an air base), "Soudan du Sud": a compass point names another
        # place than the one it is named after, as "City" does
        return 60.0, f"a place named after '{short.text.strip()}'", True
    if etype == "LOC" and any(long.tokens[j] in lx.ADMIN_HEADS for j in extra) and \
            not any(t in lx.ADMIN_HEADS for t in short.tokens):
        if all(long.tokens[j] in lx.ADMIN_HEADS and not long.caps[j] for j in extra):
            # a lowercase "province de X" describes X: the place itself when nothing else
            # fits ("province d'Anbar"), but weaker than the division's own name, which it
            # equals word for word, so that a city and its governorate keep their own forms
            return 90.0, f"'{long.text}' describes '{short.text.strip()}'", False
        # "Gouvernorat de Kirkouk" / "Kirkuk Governorate" is the division, not the city: a
        # cannot-link in duplicates (a lowercase form joins one or the other, never both),
        # still offered for a lookup
        return 80.0, f"the division named after '{short.text.strip()}'", True
    if etype == "PER":
        if len(short.tokens) >= 2:
            if 0 not in matched_long and any(long.caps[:min(matched_long)]):
                # the longer name opens with another given name: a compound given name
                # ("Javad Zarif" in "Mohammad Javad Zarif") or a father's name in the nasab
                # ("Hafez al-Assad" in "Bashar Hafez al-Assad"); weaker than a short form, so
                # that the name it opens with wins (see _family)
                return 86.0, f"a name inside '{long.text}' after another given name", False
            if len(long.tokens) - 1 not in matched_long and short.raw[-2:-1] != ("bin",) \
                    and min(matched_long.values()) < 97:
                # the short name's last word is only like a middle name of the longer one,
                # whose own surname is missing ("Mohammad Bagheri" ~ "Mohammad Bagher
                # Ghalibaf"); the same word exactly is a short form before a nisba ("Saddam
                # Hussein al-Tikriti"), and "X ben Y" one of "X ben Y Al Z"
                return 80.0, f"surname missing from '{long.text}'", False
            return 90.0, f"short form of '{long.text}'", False
        if (len(long.tokens) - 1) in matched_long:
            return 88.0, f"surname '{short.raw[0]}' of '{long.text}'", False
        return 82.0, f"given name '{short.raw[0]}' of '{long.text}'", False
    score = 88.0
    notes = []
    if any(w in lx.DEMONYMS for w in words):
        # Mentions carry a nationality the guidelines leave out of the name ("Jihad islamique
        # palestinien"): weak evidence against, and duplicates drops such a link when the
        # shorter name fits two referents ("ministère des Affaires étrangères").
        score -= 1
        notes.append("adds nationality " + ", ".join(w for w in words if w in lx.DEMONYMS))
    extra = [j for j in extra if long.raw[j] not in lx.DEMONYMS]
    lead = [j for j in extra if j < first]
    conflict = False
    if lead and long.caps[first] and etype != "LOC" and \
            all(long.tokens[j] in lx.GENERIC for j in lead):
        # A head before a proper name: after de/du/des it names another body ("Brigades du
        # Hezbollah" ≠ "Hezbollah"); in apposition it is usually the same ("Mouvement
        # al-Nujaba"), but weakly so.
        if long.after_genitive[first]:
            score -= 6
            conflict = True
        else:
            score -= 2
        notes.append("adds head " + " ".join(long.raw[j] for j in lead))
    elif lead:
        score -= sum(1 if long.tokens[j] in lx.GENERIC else 3 for j in lead)
    trail = [j for j in extra if j > first and long.raw[j] not in lx.DEMONYMS]
    proper = [j for j in trail if long.tokens[j] not in lx.GENERIC]
    if len(short.tokens) == 1 and etype != "LOC" and \
            any(long.tokens[j] not in lx.VOCABULARY for j in proper):
        # a one-word name followed by another proper word names another body or place
        # ("Fatah" / "Fatah al-Islam", "Al-Qaïda" / "Al-Qaïda au Maghreb islamique")
        score -= 5
        notes.append("adds " + " ".join(long.raw[j] for j in proper))
    else:
        score -= min(3, len(proper))
    if lead and trail:
        score -= 3  # a name found in the middle of a longer one
    note = "; ".join(notes) or "shortened form"
    return score, f"{note} of '{long.text}'", conflict


def compare(q: NameForm, a: NameForm, etype: str = "", query: bool = False,
            explain: bool = True) -> Comparison:
    """Compare ``q`` with ``a`` (of entity type ``etype``).

    ``query=True`` scores a typed query against an alias: the last query word may be an
    unfinished prefix, and a query that is a part of the alias ranks slightly higher than in
    duplicate detection, where the comparison is symmetric. ``explain=False`` leaves out the
    word-by-word notes of the evidence (duplicate detection scores a million pairs and
    writes evidence only for the few links it keeps); score, kind and conflict are the same.
    """
    if q.tokens == a.tokens:
        if q.norm == a.norm and q.text.strip() == a.text.strip():
            return Comparison(100.0, EXACT, f"exact alias '{a.text}'")
        how = "same name after normalisation" if q.raw == a.raw else \
            "same name after translation"
        return Comparison(99.0, EXACT, f"{how} ('{a.text}')")
    knowledge = _knowledge(q, a)
    if knowledge is not None and knowledge.conflict:
        return knowledge
    cmp = _compare_strings(q, a, etype, query, explain)
    if knowledge is not None and cmp.score < knowledge.score:
        if cmp.score >= MIN_TOKEN_SIM and cmp.evidence:  # say what the strings show too
            return Comparison(knowledge.score, knowledge.kind,
                              f"{cmp.evidence}; {knowledge.evidence}")
        return knowledge
    return cmp


def _compare_strings(q: NameForm, a: NameForm, etype: str, query: bool,
                     explain: bool) -> Comparison:
    """:func:`compare` by the string rules alone, for names without the same words."""
    if _acronym(q, a, etype) or _acronym(a, q, etype):
        short, long = (q, a) if len(q.tokens) == 1 else (a, q)
        sure = short.single_upper or len(short.raw[0]) <= 5
        return Comparison(90.0 if sure else 85.0, ACRONYM,
                          f"acronym '{short.text.strip()}' of '{long.text}'")
    letters = _same_letters(q, a, etype)
    if letters is not None:
        return letters
    if q.single_upper and a.single_upper:
        # two acronyms are the same only letter for letter: the vowel and transliteration
        # leniency of words would make FMI (international) the FMA (arabe)
        return Comparison(0.0, PARTIAL, "")
    aligned = _align(q.tokens, a.tokens, prefix_last=query)
    mq = {i: s for i, _, s, _ in aligned}
    ma = {j: s for _, j, s, _ in aligned}
    generic = lx.GENERIC
    wq = [GENERIC_WEIGHT if t in generic else 1.0 for t in q.tokens]
    wa = [GENERIC_WEIGHT if t in generic else 1.0 for t in a.tokens]
    uq = [i for i in range(len(q.tokens)) if i not in mq]
    ua = [j for j in range(len(a.tokens)) if j not in ma]
    note = _variant_note(aligned, q, a) if explain else ""
    if any(q.raw[i] in lx.NATIONALITY for i in uq) and any(a.raw[j] in lx.NATIONALITY for j in ua):
        return Comparison(min(60.0, _dice(mq, ma, wq, wa)), CONFLICT,
                          f"different nationality than '{a.text}'", conflict=True)
    if etype == "PER" and _family(q, a, mq, ma):
        return Comparison(min(60.0, _dice(mq, ma, wq, wa)), CONFLICT,
                          f"another given name, same surname as '{a.text}'", conflict=True)
    if not uq and not ua:
        score = _dice(mq, ma, wq, wa)
        if [i for i, _, _, _ in sorted(aligned, key=lambda p: p[1])] != sorted(mq):
            score -= 1  # same words, other order: "Saoudite Arabie" is still a variant
        return Comparison(score, FULL, f"{note or 'variant'} on alias '{a.text}'")
    if aligned and (not uq or not ua):
        if not uq:
            base, ev, conflict = _containment(q, a, ma, etype)
            avg = sum(mq.values()) / len(mq)
            score = base - (100 - avg) * 0.5 + (2 if query else 0)
        else:
            base, ev, conflict = _containment(a, q, mq, etype)
            avg = sum(ma.values()) / len(ma)
            score = base - (100 - avg) * 0.5 - (3 if query else 0)
        return Comparison(score, CONTAINED, f"{note + '; ' if note else ''}{ev}", conflict)
    joined = _joined(q, a)
    if joined is not None:
        return joined
    if not aligned:
        return Comparison(0.0, PARTIAL, "")
    shared = ", ".join(q.raw[i] for i in sorted(mq))
    return Comparison(_dice(mq, ma, wq, wa) * 0.9, PARTIAL, f"shares '{shared}' with '{a.text}'")


# One acronym in another language's order (OTAN / NATO, CGRI / IRGC): under the duplicates
# threshold, since a capitalised word may be a name and not an acronym (AMAL / Lama), but
# enough to rank first for a query when nothing better fits.
ANAGRAM_SCORE = 84.0


def _same_letters(q: NameForm, a: NameForm, etype: str) -> Comparison | None:
    """Two acronyms with the same letters in another order: the same body named in French
    and in English ("Otan" / "NATO", "FSR" / "RSF"). Only for bodies (a person's initials or
    a place name do not reorder), capitalised, one in capitals or both of four letters or
    more; three letters are weaker (more of them collide)."""
    if etype in ("PER", "LOC") or len(q.tokens) != 1 or len(a.tokens) != 1:
        return None
    x, y = q.raw[0], a.raw[0]
    if not 3 <= len(x) <= 6 or len(x) != len(y) or x == y or sorted(x) != sorted(y):
        return None
    if not (q.caps[0] and a.caps[0]) or not (q.single_upper or a.single_upper or len(x) >= 4):
        return None
    score = ANAGRAM_SCORE if len(x) >= 4 else ANAGRAM_SCORE - 2
    return Comparison(score, ACRONYM, f"acronym '{q.text.strip()}' in another language's "
                                      f"order of '{a.text}'")


def _family(q: NameForm, a: NameForm, mq: dict[int, float], ma: dict[int, float]) -> bool:
    """Two people of one family: the same surname, and the first given names of both unlike
    each other ("Bachar al-Assad" / "Hafez al-Assad", "Michel Aoun" / "Joseph Aoun")."""
    if len(q.tokens) < 2 or len(a.tokens) < 2:
        return False
    if len(q.tokens) - 1 not in mq or len(a.tokens) - 1 not in ma or 0 in mq or 0 in ma:
        return False
    if not (q.caps[0] and a.caps[0]):
        return False  # a lowercase first word is a title or a function, not a given name
    x, y = q.raw[0], a.raw[0]
    if x in lx.PARTICLES or y in lx.PARTICLES or len(x) < 2 or len(y) < 2:
        return False  # "Abdel Mahdi" opens with a particle; "K. McKenzie" with an initial
    # a first word that is part of the other's (given or sur)name ("Amir Abdollahian" /
    # "Hossein Amirabdollahian", "Ali Akbar" / "Aliakbar") is a split, not another name
    return x not in "".join(a.raw) and y not in "".join(q.raw)


def _knowledge(q: NameForm, a: NameForm) -> Comparison | None:
    """What the starter KB says about two names it knows both of; None when it knows less."""
    kq = known(q)
    if not kq:
        return None
    ka = known(a)
    if not ka:
        return None
    shared = kq & ka
    if shared:
        name = entity_name(min(shared))
        return Comparison(KNOWN_SCORE, FULL, f"both names of '{name}' in the starter KB "
                                             f"('{q.text.strip()}' / '{a.text}')")
    return Comparison(0.0, CONFLICT, f"the starter KB names different entities "
                                     f"('{q.text.strip()}': {entity_name(min(kq))}, "
                                     f"'{a.text}': {entity_name(min(ka))})", conflict=True)


def known_relation(q: NameForm, a: NameForm) -> str:
    """What the starter KB says of two names: "same" entity, "different" ones, or ""."""
    kq = known(q)
    if not kq:
        return ""
    ka = known(a)
    if not ka:
        return ""
    return "same" if kq & ka else "different"


def _dice(mq, ma, wq, wa) -> float:
    num = sum(wq[i] * s for i, s in mq.items()) + sum(wa[j] * s for j, s in ma.items())
    return num / (sum(wq) + sum(wa))


def _joined(q: NameForm, a: NameForm) -> Comparison | None:
    """Names split differently ("Hizb Allah" / "Hezbollah") agree once written solid."""
    if q.joined == a.joined and len(q.joined) >= 3:
        return Comparison(90.0, FULL, f"same name written solid as '{a.text}'")
    return None
