"""Build annotate/data/kb/countries.jsonl, the country part of the starter knowledge base.

Countries come from ``pycountry`` (ISO 3166-1, with its French translations): English and French
names, official names, ISO alpha-2/alpha-3 codes (as the external id). The few usual names and
transliterations ISO does not give (Irak/Iraq/al-Iraq, Bagdad's country as "Etats-Unis"/"USA",
…) are listed below in EXTRA. The output is shipped and versioned with the project; pycountry is
only needed to rebuild it (the ``dev`` extra).

Run: .venv/bin/python scripts/build_starter_kb.py
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "annotate" / "data" / "kb" / "countries.jsonl"

# Slugs other than the slugified English short name.
SLUG = {"USA": "usa", "GBR": "uk", "ARE": "uae", "IRN": "iran", "SYR": "syria",
        "RUS": "russia", "KOR": "south_korea", "PRK": "north_korea", "PSE": "palestine",
        "TUR": "turkey", "VEN": "venezuela", "BOL": "bolivia", "TZA": "tanzania",
        "VNM": "vietnam", "LAO": "laos", "MDA": "moldova", "CZE": "czechia",
        "COD": "dr_congo", "COG": "congo", "TWN": "taiwan", "VAT": "vatican",
        "VGB": "british_virgin_islands", "VIR": "us_virgin_islands"}
# Usual French names where ISO's short form is inverted or official.
FRENCH = {"SYR": "Syrie", "KOR": "Corée du Sud", "PRK": "Corée du Nord", "PSE": "Palestine",
          "VEN": "Venezuela", "BOL": "Bolivie", "TZA": "Tanzanie", "MDA": "Moldavie",
          "LAO": "Laos", "VNM": "Viêt Nam", "COD": "République démocratique du Congo",
          "TWN": "Taïwan", "VAT": "Vatican", "IRN": "Iran", "RUS": "Russie"}
# Usual names and transliterations of the countries of this news domain.
EXTRA = {
    "IRQ": ["Iraq", "Irak", "al-Iraq", "République d'Irak", "Republic of Iraq", "Iraqi Republic"],
    "IRN": ["Iran", "République islamique d'Iran", "République islamique", "Perse"],
    "USA": ["États-Unis", "Etats-Unis", "États-Unis d'Amérique", "USA", "US", "U.S.", "U.S.A.",
            "United States", "United States of America", "Amérique"],
    "SYR": ["Syria", "Syrie", "République arabe syrienne", "Syrian Arab Republic"],
    "SAU": ["Arabie", "Royaume saoudien", "KSA"],
    "GBR": ["Royaume-Uni", "Grande-Bretagne", "UK", "Great Britain", "Britain"],
    "ARE": ["Émirats", "UAE", "EAU", "Emirates"],
    "TUR": ["Turquie", "Turkey", "Türkiye"],
    "ISR": ["Israël", "Israel", "État hébreu"],
    "PSE": ["Palestine", "Territoires palestiniens", "Palestinian Territories"],
    "RUS": ["Russie", "Russia", "Fédération de Russie"],
    "LBN": ["Liban", "Lebanon", "Lubnan"],
    "JOR": ["Jordanie", "Jordan", "Royaume hachémite"],
    "KWT": ["Koweït", "Koweit", "Kuwait"],
    "YEM": ["Yémen", "Yemen"],
    "EGY": ["Égypte", "Egypte", "Egypt", "Misr"],
    "BHR": ["Bahreïn", "Bahrein", "Bahrain"],
    "QAT": ["Qatar", "Katar"],
    "OMN": ["Oman", "Sultanat d'Oman"],
    "AFG": ["Afghanistan"],
    "PAK": ["Pakistan"],
    "KOR": ["South Korea", "Corée du Sud"],
    "PRK": ["North Korea", "Corée du Nord"],
    "CHN": ["Chine", "China"],
    "FRA": ["France"],
    "DEU": ["Allemagne", "Germany"],
}


def slugify(name: str) -> str:
    """ASCII lowercase slug with underscores."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def main() -> None:
    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    rows = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        english = getattr(c, "common_name", None) or c.name.split(",")[0]
        french_iso = fr.gettext(c.name)
        french = FRENCH.get(c.alpha_3) or french_iso.split(",")[0]
        names = [french, english, c.name, french_iso]
        official = getattr(c, "official_name", None)
        if official:
            names += [official, fr.gettext(official)]
        names += EXTRA.get(c.alpha_3, [])
        aliases = [n for n in dict.fromkeys(names) if n and n != french and "," not in n]
        rows.append({"id": SLUG.get(c.alpha_3) or slugify(english), "name": french,
                     "type": "LOC", "aliases": aliases,
                     "external_id": f"ISO 3166-1:{c.alpha_2}/{c.alpha_3}",
                     "description": f"country ({english})"})
    ids = [r["id"] for r in rows]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate slugs {dupes}"
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"_meta": {"source": "pycountry", "version": pycountry_version(),
                                       "count": len(rows)}}) + "\n")
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} countries → {OUT}")


def pycountry_version() -> str:
    """The pycountry release the file was built from."""
    from importlib.metadata import version

    return version("pycountry")


if __name__ == "__main__":
    main()
