"""Spelling-variant keys for the label memory: a loose key, then a consonant skeleton.

Transliterated names come in many spellings ("al-Soudani", "Soudani", "Hachd"/"Hashd"). The loose
key folds case, accents, apostrophes, hyphens and the Arabic articles "al-"/"el-"; the skeleton
also drops vowels and doubled letters and reads "sh" as "ch", and is only trusted when it keeps
at least ``MIN_SKELETON`` consonants (shorter skeletons collide between unrelated names).
"""

from __future__ import annotations

import re
import unicodedata

# Bump when the learned rules (these keys, how the label memory applies its votes, the confidence
# caps) change output: part of the suggestion fingerprint, so old suggestions are recomputed.
LEARN_RULES_VERSION = "learn-rules-3"
MIN_SKELETON = 4
_ARTICLES = frozenset({"al", "el"})
_SPLIT = re.compile(r"[\s\-‐‑–'’`ʼ]+")
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if c.isalnum())


def loose_key(text: str) -> str:
    """Case, accents, apostrophes, hyphens and articles folded: "al-Soudani" → "soudani"."""
    words = [w for w in (_fold(p) for p in _SPLIT.split(text)) if w]
    kept = [w for w in words if w not in _ARTICLES]
    return " ".join(kept or words)


def skeleton(loose: str) -> str:
    """Consonant skeleton of a loose key ("hashd shaabi" → "hchd chb"), "" when too short to trust.

    Word breaks are kept, so a trailing vowel-only word ("a", "à") makes a different skeleton.
    """
    bare = _DOUBLE.sub(r"\1", _VOWELS.sub("", loose.replace("sh", "ch")))
    return bare if len(bare.replace(" ", "")) >= MIN_SKELETON else ""
