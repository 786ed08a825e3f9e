"""find_duplicates: clustering within type, hard negatives kept apart, progress."""

import json
from pathlib import Path

from rapidfuzz import fuzz

from annotate.entities.matching import Cluster, find_duplicates
from store.models import Alias, Entity

SEEDS_GOLD = Path(__file__).resolve().parents[1] / "data" / "seeds_gold.jsonl"


def E(id, name, type="PER"):
    return Entity(id=id, name=name, type=type)


def together(clusters, *ids):
    return any(set(ids) <= set(c.entity_ids) for c in clusters)


def test_variants_of_one_person_cluster():
    ents = [E("a", "Mohamed Chia al-Soudani"), E("b", "Mohammed Shia al-Sudani"),
            E("c", "M. Soudani"), E("d", "Mustafa al-Kadhimi"), E("e", "Mustafa al Kazimi")]
    clusters = find_duplicates(ents)
    assert together(clusters, "a", "b", "c")
    assert together(clusters, "d", "e")
    assert not together(clusters, "a", "d")
    assert all(isinstance(c, Cluster) and c.evidence and 0 < c.score <= 100 for c in clusters)


def test_hezbollah_stays_apart_from_iraqi_brigades():
    ents = [E("hl", "Hezbollah", "ORG"), E("hl2", "Hizbollah", "ORG"),
            E("kh", "Brigades du Hezbollah", "ORG"), E("kh2", "Kataeb Hezbollah", "ORG"),
            E("kh3", "Kataib Hezbollah", "ORG")]
    clusters = find_duplicates(ents)
    assert together(clusters, "kh", "kh2", "kh3")
    assert together(clusters, "hl", "hl2")
    assert not together(clusters, "hl", "kh")


def test_shared_surname_does_not_merge_and_bare_surname_stays_out():
    ents = [E("s", "Saddam Hussein"), E("f", "Fouad Hussein"), E("f2", "Fuad Hussein"),
            E("h", "Hussein")]
    clusters = find_duplicates(ents)
    assert together(clusters, "f", "f2")
    assert not together(clusters, "s", "f")
    assert not any("h" in c.entity_ids for c in clusters)


def test_nationality_conflict_and_types():
    ents = [E("iq", "ministère irakien des Affaires étrangères", "ORG"),
            E("ir", "ministère iranien des Affaires étrangères", "ORG"),
            E("city", "Bagdad", "LOC"), E("person", "Bagdad", "PER"), E("city2", "Baghdad", "LOC")]
    clusters = find_duplicates(ents)
    assert not together(clusters, "iq", "ir")
    assert together(clusters, "city", "city2")
    assert not together(clusters, "city", "person")


def test_acronym_joins_expansion():
    ents = [E("p1", "Forces de mobilisation populaire", "ORG"), E("p2", "PMF", "ORG"),
            E("p3", "Hachd al-Chaabi", "ORG"), E("p4", "Hashd al-Shaabi", "ORG")]
    clusters = find_duplicates(ents)
    assert together(clusters, "p1", "p2")
    assert together(clusters, "p3", "p4")


def test_threshold_and_progress():
    ents = [E(str(i), name) for i, name in enumerate(
        ["Qassem Soleimani", "Qassem Suleimani", "Ghassem Soleimani", "Donald Trump", "Trump"])]
    calls = []
    clusters = find_duplicates(ents, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(0 <= d <= t for d, t in calls)
    assert together(clusters, "0", "1", "2")
    assert find_duplicates(ents, threshold=101) == []


def test_merged_entities_are_ignored():
    ents = [E("a", "Nouri al-Maliki"), Entity("b", "Nouri Al Maliki", "PER", merged_into="a")]
    assert find_duplicates(ents) == []


# --- Entities as the import of hand gold builds them: every linked surface is an alias, ------
# metonymic ones included (ANNOTATION.md §3: "Bagdad" standing for the state → iraq).

def K(id, name, type, *aliases):
    """An entity as ``Service.data.import_jsonl`` creates it: its name among its aliases."""
    return Entity(id=id, name=name, type=type,
                  aliases=tuple(Alias(a) for a in dict.fromkeys([name, *aliases])))


IMPORTED = [
    K("iraq", "Irak", "LOC", "Baghdad", "Bagdad"),
    K("baghdad", "Baghdad", "LOC", "Bagdad"),
    K("usa", "États-Unis", "LOC", "Etats-Unis", "Washington"),
    K("washington_dc", "Washington", "LOC"),
    K("iran", "Iran", "LOC", "Téhéran"),
    K("tehran", "Téhéran", "LOC"),
    K("mohammed_shia_al_sudani", "Mohammed Shia al-Sudani", "PER",
      "Mohamed Chia Al Soudani", "Soudani"),
    K("soudani", "Soudani", "PER"),                        # created from a surname mention
    K("kadhimi_a", "Mustafa al-Kadhimi", "PER", "Kazimi"),  # two annotators, one referent
    K("kadhimi_b", "Mustafa al Kazimi", "PER", "Al-Kadhimi"),
    K("irgc_a", "CGRI", "ORG"),
    K("irgc_b", "Gardiens de la Révolution", "ORG",
      "Corps des gardiens de la révolution islamique"),
]


def test_capital_alias_of_a_country_does_not_merge_it_with_the_city():
    clusters = find_duplicates(IMPORTED)
    assert not together(clusters, "iraq", "baghdad")
    assert not together(clusters, "usa", "washington_dc")
    assert not together(clusters, "iran", "tehran")


def test_true_duplicates_still_cluster_through_aliases():
    clusters = find_duplicates(IMPORTED)
    assert together(clusters, "mohammed_shia_al_sudani", "soudani")
    assert together(clusters, "kadhimi_a", "kadhimi_b")
    # the alias agrees with its own name, and the other name is its acronym
    assert together(clusters, "irgc_a", "irgc_b")
    assert not together(clusters, "mohammed_shia_al_sudani", "kadhimi_a")


def test_shared_alias_link_is_held_below_the_threshold_and_says_why():
    ents = [K("iraq", "Irak", "LOC", "Baghdad", "Bagdad"), K("baghdad", "Baghdad", "LOC")]
    assert find_duplicates(ents) == []
    [weak] = find_duplicates(ents, threshold=50)
    assert set(weak.entity_ids) == {"iraq", "baghdad"}
    assert weak.score < 85
    assert "shared alias only; names differ" in weak.evidence


def test_a_sound_second_link_still_joins_when_the_best_is_metonymic():
    # both carry the metonymic "Téhéran", but also a real variant of their names
    ents = [K("iran_a", "Iran", "LOC", "Téhéran", "République islamique d'Iran"),
            K("iran_b", "République islamique d'Iran", "LOC", "Téhéran")]
    [cluster] = find_duplicates(ents)
    assert set(cluster.entity_ids) == {"iran_a", "iran_b"}
    assert "names differ" not in cluster.evidence


def _seeds_gold_entities() -> list[Entity]:
    """One entity per kb_id of tests/data/seeds_gold.jsonl, every linked surface an alias,
    named by the surface closest to the slug, as ``Service.data.import_jsonl`` does (no database)."""
    surfaces: dict[str, dict[str, None]] = {}
    types: dict[str, str] = {}
    for line in SEEDS_GOLD.read_text(encoding="utf-8").splitlines():
        for span in json.loads(line)["spans"] if line.strip() else ():
            if span.get("kb_id"):
                text = " ".join(span["text"].split())
                surfaces.setdefault(span["kb_id"], {})[text] = None
                types.setdefault(span["kb_id"], span["label"])
    return [K(kb, max(forms, key=lambda t: fuzz.ratio(t.lower(), kb.replace("_", " "))),
              types[kb], *forms) for kb, forms in surfaces.items()]


def test_seeds_gold_import_clusters_no_capital_with_its_country():
    ents = _seeds_gold_entities()
    iraq = next(e for e in ents if e.id == "iraq")
    assert {"Irak", "Bagdad"} <= {a.text for a in iraq.aliases}  # the metonymic alias is there
    clusters = find_duplicates(ents + [K("washington_dc", "Washington", "LOC")])
    assert not together(clusters, "iraq", "baghdad")
    assert not together(clusters, "usa", "washington_dc")
