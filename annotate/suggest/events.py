"""Event trigger rules: lexicon-driven Matcher candidates, then span conventions (ANNOTATION.md §4)."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Token

from annotate.suggest.lexicon import Lexicon

# (start_char, end_char, label, head token index)
Trigger = tuple[int, int, str, int]

_PERSON_NOUNS = frozenset({
    "ministre", "président", "commandant", "ambassadeur", "ambassadrice", "homologue",
    "délégation", "émissaire", "envoyé", "chef", "responsable", "dirigeant", "secrétaire",
    "général", "représentant", "homme", "femme", "suspect", "membre", "personne", "journaliste",
})
_SUBJECT_DEPS = ("nsubj", "nsubj:pass", "obj", "obl", "obl:arg", "obl:mod", "obl:agent", "nmod")
_AUX_FORMS = frozenset({
    "a", "ai", "as", "avons", "avez", "ont", "avait", "avaient", "avais", "avions", "aviez", "aura",
    "auront", "aurait", "auraient", "avoir", "ayant", "eu", "est", "sont", "était", "étaient", "été",
    "sera", "seront", "serait", "seraient", "être", "étant", "soit", "soient", "ait", "aient",
})
# Determiners that presuppose the event exists: a negated verb over "les attaques" denies
# something about attacks that happened ("n'a pas revendiqué les attaques"), while "pas
# d'attaque", "aucune attaque" deny the attack itself.
_DEFINITE = frozenset({"le", "la", "les", "l'", "ce", "cet", "cette", "ces", "son", "sa", "ses",
                       "leur", "leurs", "notre", "nos", "votre", "vos", "mon", "ma", "mes"})
# Verbs that speak about an event without making it happen: negating them leaves it real.
_ABOUT_VERBS = frozenset({"confirmer", "condamner", "commenter", "reconnaître", "expliquer",
                          "justifier", "évoquer", "mentionner", "oublier", "pardonner", "dénoncer",
                          "critiquer", "approuver", "soutenir", "détailler", "préciser", "assumer"})
# Objects that are machines, not people: "abattre un drone" kills nobody.
_MACHINES = frozenset({"drone", "avion", "appareil", "hélicoptère", "missile", "roquette",
                       "projectile", "chasseur", "aéronef", "engin", "arbre", "mur", "cible"})
# What one "s'attaque à" in the military sense: people, forces, places, named actors; not
# "s'attaquer à la corruption / au chômage / aux problèmes".
_ATTACKABLE = frozenset({"base", "position", "convoi", "poste", "caserne", "ambassade", "soldat",
                         "civil", "militaire", "policier", "patrouille", "camp", "village", "ville",
                         "quartier", "installation", "intérêt", "navire", "bateau", "pétrolier",
                         "aéroport", "siège", "milice", "milicien", "combattant", "manifestant"})
_KILLING = frozenset({"tuer", "abattre", "blesser"})
# What one is "visé par" / "frappé par" that is no weapon: "visé par une enquête", "frappé par la
# crise", "vise la présidence".
_NOT_WEAPONS = frozenset({"enquête", "plainte", "sanction", "mandat", "procédure", "critique",
                          "accusation", "poursuite", "mesure", "réforme", "poste", "présidence",
                          "électeur", "électorat", "public", "clientèle", "crise", "pauvreté", "chômage",
                          "épidémie", "pandémie", "sécheresse", "séisme", "inondation", "maladie",
                          "inflation", "embargo", "interdiction", "amende", "loi", "décret", "record",
                          "victoire", "titre", "marché"})
_NE = frozenset({"ne", "n'", "n’"})
_SECOND_NEGATIVES = frozenset({"pas", "plus", "jamais", "rien", "personne", "aucun", "aucune", "nul",
                               "nulle", "guère", "point", "ni", "nullement", "aucunement", "nulle part"})


def _noun_forms(lemma: str) -> set[str]:
    low = lemma.lower()
    if low.endswith(("s", "x", "z")):
        return {low}
    return {low, low + "s", low + "x"} if low.endswith(("au", "eu")) else {low, low + "s"}


def _verb_forms(lemma: str) -> set[str]:
    """Participles and gerund of regular verbs (covers lemmatiser misses)."""
    low = lemma.lower()
    if low.endswith("ire"):  # réduire → réduit(e)(s)
        stem = low[:-2]
        return {low, stem + "t", stem + "ts", stem + "te", stem + "tes", stem + "sant"}
    if low.endswith("ir") and not low.endswith("oir"):  # partir → parti(e)(s)
        stem = low[:-1]
        return {low, stem, stem + "s", stem + "e", stem + "es"}
    if not low.endswith("er"):
        return {low}
    stem = low[:-2]
    gerund = stem + ("e" if stem.endswith("g") else "") + "ant"
    return {low, stem + "é", stem + "és", stem + "ée", stem + "ées", gerund}


class EventMatcher:
    """Finds event triggers in a parsed doc according to a ``Lexicon``."""

    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lexicon = lexicon
        self._matcher = Matcher(nlp.vocab)
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._kind: dict[str, str] = {}  # match key -> "noun" | "verb"
        seen: set[str] = set()
        for etype in lexicon.types:
            nouns = [n for n in etype.nouns if n.lower() not in seen]
            verbs = [v for v in etype.verbs if v.lower() not in seen]
            seen.update(w.lower() for w in etype.nouns + etype.verbs)
            if nouns:
                forms = sorted(set().union(*(_noun_forms(n) for n in nouns)))
                key = f"noun:{etype.label}"
                self._matcher.add(key, [[{"LEMMA": {"IN": nouns}}], [{"LOWER": {"IN": forms}}]])
            if verbs:
                forms = sorted(set().union(*(_verb_forms(v) for v in verbs)))
                key = f"verb:{etype.label}"
                self._matcher.add(key, [
                    [{"LEMMA": {"IN": verbs}, "POS": {"IN": ["VERB", "ADJ", "NOUN", "AUX"]}}],
                    [{"LOWER": {"IN": forms}, "POS": {"IN": ["VERB", "ADJ", "AUX"]}}],
                ])
            if etype.phrases:
                self._phrases.add(etype.label, [nlp.make_doc(p) for p in etype.phrases])
        self.rules = {name: lexicon.rule(name) for name in (
            "troop_nouns", "needs_troops", "needs_person_object", "needs_contre",
            "threat_only", "irrealis_heads", "habitual_adverbs", "negators", "needs_reflexive",
            "excluded_objects", "claim_verbs")}

    # -- context tests -------------------------------------------------------------
    def _negated(self, tok: Token) -> bool:
        neg = self.rules["negators"]
        # "ni mort ni blessé", "ni frappe ni riposte": "ni" negates each conjunct.
        if any(c.lower_ == "ni" and c.dep_ in ("cc", "advmod") for c in tok.children):
            return True
        if tok.dep_ == "conj" and any(c.lower_ == "ni" for c in tok.head.children if c.dep_ in ("cc", "advmod")):
            return True
        scope = [tok]
        head = tok.head
        # "n'ont pas mené de frappe": the negative partitive "de" puts any complement in scope.
        partitive = any(c.dep_ == "det" and c.lower_ in ("de", "d'") for c in tok.children)
        if head.pos_ in ("VERB", "AUX") and (tok.dep_ in ("obj", "nsubj:pass", "xcomp") or partitive):
            # A negated claim or report is about an event that happened: "n'a pas revendiqué
            # les attaques", "n'a pas confirmé la frappe"; an indefinite object ("pas d'attaque",
            # "aucune frappe") or any other verb ("ne prévoit pas le retrait") falls in its negation.
            definite = tok.dep_ != "xcomp" and any(
                c.dep_ == "det" and c.lower_ in _DEFINITE for c in tok.children)
            about = head.lemma_.lower() in self.rules["claim_verbs"] | _ABOUT_VERBS
            if not (definite and about):
                scope.append(head)
        for t in scope:
            for c in t.children:
                if c.lower_ in _NE:
                    if self._second_negative(t):
                        return True
                elif c.lower_ in neg or (c.dep_ in ("det", "advmod", "mark", "case") and c.lemma_.lower() in neg):
                    return True
        # "sans faire de blessé": the negation hangs on the governing infinitive.
        return tok.dep_ == "obj" and any(c.lower_ == "sans" for c in head.children)

    @staticmethod
    def _second_negative(verb: Token) -> bool:
        """"ne" negates only with a second word ("pas", "jamais", "aucun", "rien"…): "n'a
        attaqué que la base" restricts, "ne cessent de se multiplier" affirms."""
        near = list(verb.children) + [g for c in verb.children if c.dep_ != "punct" for g in c.children]
        return any(t.lower_ in _SECOND_NEGATIVES for t in near)

    @staticmethod
    def _after_aux(tok: Token) -> bool:
        """Right after a form of "avoir"/"être" (adverbs between allowed: "a déjà tué")."""
        j = tok.i - 1
        while j >= 0 and tok.doc[j].pos_ == "ADV" and tok.doc[j].lower_ not in ("ne", "n'"):
            j -= 1
        return j >= 0 and tok.doc[j].lower_ in _AUX_FORMS and tok.doc[j].pos_ in ("AUX", "VERB")

    def _verbal(self, tok: Token) -> bool:
        return tok.pos_ in ("VERB", "AUX") or self._after_aux(tok)

    def _idiomatic(self, tok: Token, lemma: str) -> bool:
        """Senses of trigger verbs that are no event: "vise à renforcer" (aims to), "abattre un
        drone" (no casualty), "s'attaquer à la corruption" (to tackle)."""
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if lemma == "viser" and (any(c.dep_ == "xcomp" for c in tok.children) or (
                nxt is not None and nxt.lower_ in ("à", "a") and tok.i + 2 < len(tok.doc)
                and tok.doc[tok.i + 2].pos_ in ("VERB", "AUX"))):
            return True
        if lemma in ("viser", "frapper", "cibler"):
            comps = [c for c in tok.children if c.dep_ in ("obj", "obl:agent", "obl", "obl:arg", "obl:mod")]
            if any(c.lemma_.lower() in _NOT_WEAPONS or c.lower_ in _NOT_WEAPONS for c in comps):
                return True
        if lemma in _KILLING:
            patients = [c for c in tok.children if c.dep_ in ("obj", "nsubj:pass")]
            if tok.dep_ in ("acl", "amod"):
                patients.append(tok.head)
            if any(p.lemma_.lower() in _MACHINES or p.lower_ in _MACHINES for p in patients):
                return True
        if lemma == "attaquer" and any(c.lower_ in ("s'", "se") for c in tok.children):
            comps = [c for c in tok.children if c.dep_.startswith(("obl", "obj")) and c.lower_ not in ("s'", "se")]
            if comps and not any(c.pos_ == "PROPN" or c.ent_type_ or c.lemma_.lower() in _ATTACKABLE
                                 or c.lemma_.lower() in self.rules["troop_nouns"] for c in comps):
                return True
        return False

    def _irrealis(self, tok: Token) -> bool:
        heads = self.rules["irrealis_heads"]
        if any(c.lemma_.lower() in heads or c.lower_ in heads for c in tok.children if c.dep_ == "amod"):
            return True
        t = tok
        for _ in range(3):
            if t.head is t:
                return False
            t = t.head
            if t.lemma_.lower() in heads:
                return True
        return False

    def _habitual(self, tok: Token) -> bool:
        return any(c.lower_ in self.rules["habitual_adverbs"] for c in tok.children)

    def _concerns_troops(self, tok: Token) -> bool:
        troops = self.rules["troop_nouns"]
        near = list(tok.children) + [tok.head] + [g for c in tok.children for g in c.children]
        return any(t.lemma_.lower() in troops for t in near)

    def _person_object(self, tok: Token) -> bool:
        if self._passive_or_adjectival(tok):
            return True
        for c in tok.children:
            if c.dep_ in ("obj", "nsubj:pass"):
                if c.ent_type_ == "PER" or c.pos_ == "PROPN" or c.lemma_.lower() in _PERSON_NOUNS:
                    return True
                if any(g.pos_ == "PROPN" and g.dep_ in ("appos", "flat:name", "nmod") for g in c.children):
                    return True
        return False

    @staticmethod
    def _passive_or_adjectival(tok: Token) -> bool:
        if any(c.dep_ == "aux:pass" for c in tok.children):
            return True
        if any(c.dep_ == "aux:tense" for c in tok.children):
            return False  # "ont discuté" parsed as a relative clause is still active
        return tok.dep_ in ("acl", "amod", "acl:relcl") and "Part" in tok.morph.get("VerbForm")

    def _has_contre(self, tok: Token) -> bool:
        for c in tok.children:
            if any(g.lower_ == "contre" and g.dep_ == "case" for g in c.children):
                return True
        nxt = tok.doc[tok.i + 1:tok.i + 3]
        return any(t.lower_ == "contre" for t in nxt)

    # -- spans --------------------------------------------------------------------
    def _verb_span(self, tok: Token) -> tuple[int, int]:
        return verb_span(tok)

    def __call__(self, doc: Doc) -> list[Trigger]:
        """Event triggers of ``doc``: non-overlapping, sorted by offset."""
        cands: dict[int, tuple[str, str]] = {}
        for match_id, start, _end in self._matcher(doc):
            kind, label = doc.vocab.strings[match_id].split(":")
            if kind == "verb" and cands.get(start, ("", ""))[0] == "noun" and self._verbal(doc[start]):
                cands[start] = (kind, label)  # "avaient tué": the verb reading wins over the noun "tué"
            cands.setdefault(start, (kind, label))
        for i, (kind, label) in cands.items():
            if kind == "noun" and self._after_aux(doc[i]):
                cands[i] = ("verb", label)  # tagged as a noun, but "ont blessé" is a compound tense
        out: list[Trigger] = []
        taken: set[int] = set()
        for match_id, start, end in self._phrases(doc):
            span = doc[start:end]
            if self._negated(span.root) or self._irrealis(span.root):
                continue
            out.append((span.start_char, span.end_char, doc.vocab.strings[match_id], span.root.i))
            taken.update(range(start, end))

        nominal = {i: lab for i, (k, lab) in cands.items() if k == "noun" and doc[i].pos_ in ("NOUN", "PROPN", "ADJ")}
        for i, (kind, label) in sorted(cands.items()):
            tok = doc[i]
            if i in taken or tok.is_punct:
                continue
            lemma = tok.lemma_.lower()
            if self._negated(tok) or self._irrealis(tok) or self._habitual(tok):
                continue
            if (lemma in self.rules["needs_troops"] or tok.lower_ in self.rules["needs_troops"]) and not self._concerns_troops(tok):
                continue
            if kind == "noun":
                if tok.pos_ not in ("NOUN", "PROPN", "ADJ", "VERB"):
                    continue
                if lemma in self.rules["needs_contre"] and not self._has_contre(tok):
                    continue
                if (lemma in self.rules["threat_only"] or tok.lower_ in self.rules["threat_only"]) and tok.head.lemma_.lower() != "menacer":
                    continue
                out.append((tok.idx, tok.idx + len(tok.text), label, i))
                continue
            if tok.pos_ not in ("VERB", "ADJ", "NOUN", "AUX"):
                continue
            if lemma in self.rules["needs_person_object"] and not self._person_object(tok):
                continue
            if lemma in self.rules["needs_reflexive"] and not any(
                    c.lower_ in ("s'", "se", "m'", "me", "nous", "vous", "t'", "te") for c in tok.children):
                continue
            if any(c.dep_ == "obj" and c.lower_ in self.rules["excluded_objects"] for c in tok.children):
                continue
            if self._idiomatic(tok, lemma):
                continue
            # One trigger per event: a verb governing or governed by a nominal trigger
            # of the same type is only its support ("des attaques ont visé").
            near = [tok.head, tok.head.head] + list(tok.children) + [g for c in tok.children if c.dep_ in _SUBJECT_DEPS for g in c.children]
            if any(nominal.get(t.i) == label for t in near if t.i != i):
                continue
            # Purpose clause of a marked meeting ("a reçu X pour discuter de").
            if tok.dep_ == "advcl" and tok.head.i in cands and any(c.lower_ == "pour" for c in tok.children):
                continue
            s, e = self._verb_span(tok)
            out.append((s, e, label, i))

        out.sort()
        result: list[Trigger] = []
        for trig in out:
            if result and trig[0] < result[-1][1]:
                if trig[1] - trig[0] > result[-1][1] - result[-1][0]:
                    result[-1] = trig
                continue
            result.append(trig)
        return result


def verb_span(tok: Token) -> tuple[int, int]:
    """Auxiliary + participle for active compound tenses, the verb alone otherwise."""
    start = tok
    if not EventMatcher._passive_or_adjectival(tok) and tok.i > 0:
        prev = tok.doc[tok.i - 1]
        # The parse sometimes hangs the auxiliary elsewhere: adjacency decides.
        is_aux = prev.dep_.startswith("aux") or (
            prev.pos_ == "AUX" and prev.lemma_ in ("avoir", "être") and "Part" in tok.morph.get("VerbForm"))
        if is_aux and prev.dep_ != "aux:pass":
            start = prev
    # Pronominal verbs keep their clitic: "s'entretient", "s'est entretenue".
    prev = tok.doc[start.i - 1] if start.i > 0 else None
    if prev is not None and prev.lower_ in ("s'", "se") and prev.head == tok:
        start = prev
    return start.idx, tok.idx + len(tok.text)
