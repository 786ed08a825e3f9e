"""Rows shared by the store tests."""

from store.models import Article, Region


def make_article(text="Nouri Al Maliki a reçu Mme Romanowski à Bagdad.", aid="a1"):
    """A small article with meta, a metadata region and a flag."""
    return Article(id=aid, source="x.txt", title="t", date="2024-01-22", text=text,
                   meta={"k": "v"}, regions=(Region(0, 5, "metadata"),), flags=("repeated_lead",))
