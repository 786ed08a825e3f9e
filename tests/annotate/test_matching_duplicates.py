"""find_duplicates: clustering within type, hard negatives kept apart, progress."""

from annotate.matching import Cluster, find_duplicates
from store.models import Entity


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
