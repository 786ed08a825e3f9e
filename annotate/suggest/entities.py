"""Document-level entity rules: furniture detection, label repair and propagation.

These run after ``filters.clean_entity`` has fixed each span on its own; they look at
all the spans of one article together (a name tagged once is the same name elsewhere).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from annotate.suggest import words

Span = tuple[int, int, str]

# Head words that make a name an organisation whatever the model said.
ORG_HEADS = frozenset({
    "brigades", "brigade", "mouvement", "forces", "force", "cadre", "commission",
    "commandement", "gardiens", "parlement", "conseil", "congrès", "sénat", "ministère",
    "département", "parti", "front", "armée", "alliance", "mobilisation", "résistance",
    "organisation", "agence", "comité", "union", "ligue", "assemblée", "bureau",
    "pentagone", "kremlin", "élysée", "knesset", "maison blanche", "maison-blanche",
    "gouvernement", "état islamique", "etat islamique", "coalition", "milice", "milices",
})
_FURNITURE_LINES = re.compile(
    r"^\s*(?:rechercher|menu|accueil|se connecter|partager|afficher plus|lire aussi|"
    r"facebook|x|whatsapp|twitter|imprimer|publicité|\d+|"
    r"bouton retour en haut de la page|(?:copyright|©).*|"
    r"\d{1,2}/\d{1,2}/\d{2,4}.*mis à jour.*)\s*$",
    re.I,
)
_TAIL_MARKERS = re.compile(r"^\s*(?:articles similaires|à lire aussi|sur le même sujet)\s*$", re.I | re.M)
_DATE_PREFIX = re.compile(r"^\s*date \d{4}(?:-\d{2}){0,2}", re.M)
_COPYRIGHT = re.compile(r"(?:copyright|©)[^\n]*", re.I)
_AGENCIES = (r"(?:AFP|Agence\s+France[- ]Presse|Reuters|AP|Associated\s+Press|EPA|ANSA|DPA|Xinhua|Anadolu|"
             r"Belga|ATS|APS|MAP|TAP|SANA|IRNA|INA|Getty\s+Images|Sipa|SIPA|AA|Al\s+Jazeera|Afp)")
# Photo and source credits: a line or a parenthesis opened by "Photo", "Crédit", "Source"…
_CREDIT_LINE = re.compile(
    r"^[ \t]*[(\[]?(?:photos?|crédits?(?:\s+photos?)?|illustration|image|vidéo|infographie|sources?)"
    r"(?:\s+d'illustration)?\s*(?::|-|–|—|\s(?=[A-Z]))[^\n]*$", re.I | re.M)
_CREDIT_PAREN = re.compile(
    r"\((?:photos?|crédits?(?:\s+photos?)?|illustration|image|source)\b[^()\n]*\)", re.I)
# A picture credit at the end of a caption: "Ahmed Saad / Reuters", "Hadi Mizban/AP".
_CREDIT_TAIL = re.compile(rf"(?:[A-ZÉ][\w.'-]*\s+){{0,3}}[A-ZÉ][\w.'-]*\s*/\s*{_AGENCIES}\s*$", re.M)
# An agency byline in parentheses: "(AFP)", "(Reuters, AP)", "(avec AFP)", closing a sentence or
# before a dateline's dash; "l'Autorité palestinienne (AP) a dit" is an acronym, not a byline.
_BYLINE_PAREN = re.compile(rf"\((?:avec\s+)?{_AGENCIES}(?:\s*(?:,|/|et)\s*{_AGENCIES})*\)(?=[ \t]*(?:[.;\n–—-]|$))")
# An upper-case dateline opening a paragraph: "BAGDAD –", "MOSSOUL (Irak) -", "ERBIL (AFP) —".
_DATELINE = re.compile(r"^[ \t]*(?P<place>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]+(?:[ -][A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]+)*)"
                       r"(?:\s*\([^)\n]{1,40}\))?\s*[–—-]\s", re.M)


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of site furniture found by line patterns (ANNOTATION.md §1).

    Complements the regions given by the caller: metadata lines, stand-alone counters,
    copyright footers, "Articles similaires" and everything after it, photo and source credits
    ("Photo : X / AFP", "(Crédit : …)"), agency bylines in parentheses ("(AFP)").
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip() and _FURNITURE_LINES.match(line):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    m = _TAIL_MARKERS.search(text)
    if m:
        out.append((m.start(), len(text)))
    out.extend((m.start(), m.end()) for m in _DATE_PREFIX.finditer(text))
    out.extend((m.start(), m.end()) for m in _COPYRIGHT.finditer(text))
    for pattern in (_CREDIT_LINE, _CREDIT_PAREN, _CREDIT_TAIL, _BYLINE_PAREN):
        out.extend((m.start(), m.end()) for m in pattern.finditer(text))
    return out


def dateline_spans(text: str) -> list[Span]:
    """Upper-case datelines opening a paragraph ("BAGDAD –"): a place, whatever the model said.

    The guidelines annotate datelines; the model reads an all-caps word as an acronym (ORG).
    Agency names are not places ("AFP –" is a byline).
    """
    out = []
    for m in _DATELINE.finditer(text):
        place = m.group("place")
        if len(place) >= 3 and not re.fullmatch(_AGENCIES, place):
            out.append((m.start("place"), m.end("place"), "LOC"))
    return out


def overlaps(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    """True when ``[start, end)`` intersects any of ``ranges``."""
    return any(start < e and s < end for s, e in ranges)


def _key(surface: str) -> str:
    return " ".join(surface.lower().split())


def repair_labels(text: str, spans: list[Span], settled: frozenset[tuple[int, int]] | set = frozenset()) -> list[Span]:
    """Fix labels using the name itself and the other mentions of the article.

    1. institutional heads (``Brigades …``, ``Parlement``, ``Pentagone``) → ORG;
       short all-caps acronyms the model called MISC → ORG;
    2. a mention equal to the last word(s) of a PER name elsewhere → PER (``Kazimi``);
    3. identical surfaces take their majority label.

    The name-shape guesses (a kunya, a person's surname) leave alone the ``settled`` spans, whose
    label came from their canonical type or their context (``oneoff.repair_unvoted``).
    """
    out: list[Span] = []
    for s, e, label in spans:
        surface = text[s:e]
        first = surface.split()[0].lower() if surface.split() else ""
        if _key(surface) in ORG_HEADS or first in ORG_HEADS:
            label = "ORG"
        elif label == "MISC" and re.fullmatch(r"[A-Z]{2,6}", surface):
            label = "ORG"
        elif _KUNYA.match(surface) and len(surface.split()) >= 2 and (s, e) not in settled:
            label = "PER"  # Arabic kunya: "Abou Ali al-Askari" is a person
        out.append((s, e, label))

    person_tails: set[str] = set()
    for s, e, label in out:
        toks = text[s:e].split()
        if label == "PER" and len(toks) >= 2:
            person_tails.add(_key(toks[-1]))
            person_tails.add(_key(" ".join(toks[-2:])))
    out = [
        (s, e, "PER" if _key(text[s:e]) in person_tails and label != "ORG" and (s, e) not in settled else label)
        for s, e, label in out
    ]

    votes: dict[str, Counter] = defaultdict(Counter)
    for s, e, label in out:
        votes[_key(text[s:e])][label] += 1
    fixed = []
    for s, e, label in out:
        counts = votes[_key(text[s:e])]
        # Ties go to the most specific label: the model's MISC/PER on a one-word
        # place or group name is its commonest confusion.
        best = max(counts, key=lambda lab: (counts[lab], _TIE_ORDER.index(lab)))
        fixed.append((s, e, best))
    return fixed


_TIE_ORDER = ("MISC", "PER", "LOC", "ORG")
_KUNYA = re.compile(r"(?:Abou|Abu|Oum|Umm|Abd|Ibn)\s", re.I)
# Links inside a long official name: "Commandement central des États-Unis pour le Moyen-Orient",
# "Résistance islamique en Irak", "Brigades du Hezbollah".
_NAME_LINK = re.compile(r"\s+(?:en|au|aux|pour\s+le|pour\s+la|pour\s+l'|pour\s+les|des|du|de\s+la|de\s+l'|de|d')(?:\s+|(?<='))$")
_ADJECTIVE_END = re.compile(
    r"(?:al|ale|aux|ales|aire|aires|ien|ienne|iens|iennes|ique|iques|if|ive|ifs|ives|el|elle|els|elles|"
    r"ain|aine|ains|aines|ême|eur|eure|eurs|ieur|ieure|ieurs|ieures|int|inte|ints|intes)")


def _link_gap(gap: str) -> bool:
    """True when ``gap`` joins two parts of one name: up to two adjectives, then a linking
    preposition ("central des", " militaire américain au ", " pour le ")."""
    if "\n" in gap:
        return False
    m = _NAME_LINK.search(gap)
    if not m:
        return False
    adjectives = gap[:m.start()].split()
    return len(adjectives) <= 2 and all(
        w.islower() and (w in words.NATIONALITY_FORMS or _ADJECTIVE_END.search(w) and w[-2:] not in ("és", "ée"))
        for w in adjectives)


def merge_locative_names(text: str, spans: list[Span]) -> list[Span]:
    """Join an organisation name and the names that complete it, however many.

    ``Résistance islamique`` + `` en `` + ``Irak`` → ``Résistance islamique en Irak``;
    ``Commandement`` + `` central des `` + ``États-Unis`` + `` pour le `` + ``Moyen-Orient`` →
    one ORG; ``Brigades`` + `` du `` + ``Hezbollah`` → one ORG. Only names with an
    institutional head (see ``ORG_HEADS``) are extended, and only over adjectives and a
    linking preposition: a long official name is not cut at an inner preposition.
    """
    out: list[Span] = []
    i = 0
    spans = sorted(spans)
    while i < len(spans):
        s, e, label = spans[i]
        first = text[s:e].split()[0].lower() if text[s:e].split() else ""
        j = i
        if first in ORG_HEADS:
            while j + 1 < len(spans) and spans[j + 1][2] in ("LOC", "MISC", "ORG") and _link_gap(text[spans[j][1]:spans[j + 1][0]]):
                j += 1
        if j > i:
            out.append((s, spans[j][1], "ORG"))
            i = j + 1
            continue
        out.append((s, e, label))
        i += 1
    return out


# Particles a name is cut at by the tokenizer: "Haïdar Al" + "-Abadi", "al-" + "Chaabi".
_PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "abou", "abu", "abd",
                        "abdel", "bin", "ben", "ibn", "ould", "bou"})
_WORD_TAIL = re.compile(r"[\w'-]*\w")


def join_hyphenated(text: str, spans: list[Span]) -> list[Span]:
    """Keep hyphenated names whole ("Al-Maliki", "Abou Mahdi al-Mouhandis", "Hachd al-Chaabi").

    A span ending just before "-Word" runs on to the end of that word; a span starting just
    after "particle-" starts at the particle; a span followed by a space and a span that starts
    with a lowercase particle ("Hachd" + "al-Chaabi") becomes one name with the first's label.
    """
    grown: list[Span] = []
    for s, e, label in spans:
        while e + 1 < len(text) and text[e] == "-" and text[e + 1].isalpha():
            m = _WORD_TAIL.match(text, e + 1)
            e = m.end() if m else e
        if s > 1 and text[s - 1] == "-":
            w = s - 1
            while w > 0 and text[w - 1].isalpha():
                w -= 1
            if text[w:s - 1].lower() in _PARTICLES:
                s = w
        grown.append((s, e, label))
    grown = sorted(grown)
    out: list[Span] = []
    for s, e, label in grown:
        if out and out[-1][1] >= s:  # grown into its neighbour: keep the first, to the further end
            ps, pe, plab = out[-1]
            out[-1] = (ps, max(pe, e), plab)
            continue
        piece = text[s:e]
        if out and text[out[-1][1]:s] == " " and "-" in piece and piece.split("-")[0] in _PARTICLES:
            ps, _pe, plab = out[-1]
            out[-1] = (ps, e, plab)
            continue
        out.append((s, e, label))
    return out


def propagate(text: str, spans: list[Span], blocked: list[tuple[int, int]]) -> list[Span]:
    """Add the other occurrences of names already found in the article.

    Only capitalised surfaces of 3+ characters, at word boundaries, that overlap no
    existing span and no blocked range (furniture, regions) are added.
    """
    taken = sorted((s, e) for s, e, _ in spans)
    labels: dict[str, Counter] = defaultdict(Counter)
    for s, e, label in spans:
        labels[text[s:e]][label] += 1
    for tail in _person_tails(text, spans):
        if tail not in labels:  # "Kazimi", "Al Maliki" for "Mustafa al Kazimi", "Nouri Al Maliki"
            labels[tail]["PER"] += 1
    added: list[Span] = []
    for surface in sorted(labels, key=len, reverse=True):
        if len(surface) < 3 or not surface[0].isupper() or surface.lower() in words.STOP_SPANS:
            continue
        label = labels[surface].most_common(1)[0][0]
        pattern = re.compile(r"(?<![\w-])" + re.escape(surface) + r"(?![\w-])")
        for m in pattern.finditer(text):
            s, e = m.span()
            if overlaps(s, e, taken) or overlaps(s, e, blocked):
                continue
            added.append((s, e, label))
            taken.append((s, e))
    return sorted(spans + added)


def _person_tails(text: str, spans: list[Span]) -> set[str]:
    """Short forms of the article's person names: the surname alone, with or without its
    particle ("Al Maliki", "Maliki", "Soudani" for "Mohamed Chia al-Soudani")."""
    others = {text[s:e] for s, e, label in spans if label != "PER"}
    tails: set[str] = set()
    for s, e, label in spans:
        parts = text[s:e].split()
        if label != "PER" or len(parts) < 2 or _KUNYA.match(text[s:e]):
            continue
        last = parts[-1]
        if parts[-2].lower() in _PARTICLES and len(parts) >= 3:
            tails.add(f"{parts[-2]} {last}")
        bare = last.split("-")[-1]
        for tail in {last, bare}:
            if len(tail) >= 4 and tail[0].isupper() and tail not in others:
                tails.add(tail)
    return tails


def resolve_overlaps(spans: list[Span], preferred: list[Span] = ()) -> list[Span]:
    """Keep a non-overlapping subset: ``preferred`` spans first, then longer spans first."""
    chosen: list[tuple[int, int]] = []
    out: list[Span] = []
    ordered = list(preferred) + sorted(spans, key=lambda sp: (-(sp[1] - sp[0]), sp[0]))
    for s, e, label in ordered:
        if overlaps(s, e, chosen):
            continue
        chosen.append((s, e))
        out.append((s, e, label))
    return sorted(out)


_LINKS = frozenset({"de", "du", "des", "en", "au", "aux", "pour"})
_DETERMINERS = frozenset({"la", "le", "les", "l'", "l’"})


def _words_outside(text: str, start: int, end: int, inner: list[tuple[int, int]]) -> list[str]:
    """The lower-cased words of ``text[start:end]`` outside the ``inner`` ranges, elisions split
    off ("d'assistance" → "d'", "assistance")."""
    chars = list(text[start:end])
    for s, e in inner:
        chars[s - start:e - start] = " " * (e - s)
    return re.findall(r"[dl]['’]|[^\W\d_]+", "".join(chars).lower())


def yield_to_longer_names(text: str, names: list[Span], spans: list[Span]) -> list[Span]:
    """``names`` (known or taught) minus those strictly inside a longer suggested span that is one
    name holding them (guidelines §2: the outermost name only): a compound ("Liban" in
    "Liban-Sud"), or a name with a complement round them ("Kurdistan" in "Gouvernement régional du
    Kurdistan", "Brigades" in "Brigades de la paix"). Two names joined by a preposition alone
    ("Irak en Syrie") stay two names."""
    drop: set[Span] = set()
    for cs, ce, _label in spans:
        inner = [n for n in names if cs <= n[0] and n[1] <= ce and (n[0], n[1]) != (cs, ce)]
        if not inner:
            continue
        rest = _words_outside(text, cs, ce, [(s, e) for s, e, _ in inner])
        joined = any(s > cs and text[s - 1] == "-" or e < ce and text[e] == "-" for s, e, _ in inner)
        linked = any(w in _LINKS or w in ("d'", "d’") for w in rest)
        content = any(w not in _LINKS and w not in _DETERMINERS and w not in ("d'", "d’") for w in rest)
        if joined or linked and content:
            drop.update(inner)
    return [n for n in names if n not in drop]
