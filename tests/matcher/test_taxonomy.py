"""The committed taxonomy: its size and shape (issue 3), and validation of broken files."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from matcher.normalize import normalize_text
from matcher.taxonomy import (
    DEFAULT_TAXONOMY_DIR,
    SECTORS,
    Taxonomy,
    load_taxonomy,
    read_taxonomy,
)


@pytest.fixture(scope="module")
def real_taxonomy() -> Taxonomy:
    return load_taxonomy()


def test_default_taxonomy_is_cached(real_taxonomy: Taxonomy) -> None:
    assert load_taxonomy() is real_taxonomy
    assert load_taxonomy(DEFAULT_TAXONOMY_DIR) is not real_taxonomy  # explicit path: fresh read


def test_size_meets_issue(real_taxonomy: Taxonomy) -> None:
    assert len(real_taxonomy.skills) >= 400
    assert len(real_taxonomy.occupations) >= 150
    kinds = Counter(s.kind for s in real_taxonomy.skills.values())
    assert kinds["certificate"] >= 60 and kinds["skill"] >= 300


def test_surface_forms_average_at_least_three_beyond_labels(real_taxonomy: Taxonomy) -> None:
    for concepts in (real_taxonomy.skills.values(), real_taxonomy.occupations.values()):
        items = list(concepts)
        assert sum(len(c.synonyms) for c in items) / len(items) >= 3.0


def test_every_sector_is_covered(real_taxonomy: Taxonomy) -> None:
    skill_sectors = {s.sector for s in real_taxonomy.skills.values()}
    occupation_sectors = {o.sector for o in real_taxonomy.occupations.values()}
    assert skill_sectors == set(SECTORS)
    assert occupation_sectors == set(SECTORS) - {"algemeen"}


def test_occupations_have_isco_and_existing_skills(real_taxonomy: Taxonomy) -> None:
    for occupation in real_taxonomy.occupations.values():
        assert len(occupation.isco08) == 4 and occupation.isco08.isdigit(), occupation.id
        assert occupation.skills, occupation.id
        assert all(s in real_taxonomy.skills for s in occupation.skills), occupation.id


@pytest.mark.parametrize(
    ("concept_id", "isco08"),
    [
        ("oc_magazijnmedewerker", "9333"),
        ("oc_heftruckchauffeur", "8344"),
        ("oc_schoonmaker", "9112"),
        ("oc_vrachtwagenchauffeur", "8332"),
        ("oc_kok", "5120"),
        ("oc_beveiliger", "5414"),
        ("oc_hovenier", "6113"),
        ("oc_metselaar", "7112"),
        ("oc_kassamedewerker", "5230"),
        ("oc_helpdesk", "3512"),
    ],
)
def test_isco_codes_of_core_occupations(
    real_taxonomy: Taxonomy, concept_id: str, isco08: str
) -> None:
    assert real_taxonomy.occupations[concept_id].isco08 == isco08


def test_esco_uris_are_esco_and_some_exist(real_taxonomy: Taxonomy) -> None:
    uris = [
        c.esco_uri
        for c in [*real_taxonomy.skills.values(), *real_taxonomy.occupations.values()]
        if c.esco_uri
    ]
    assert len(uris) >= 100
    assert all(u.startswith("http://data.europa.eu/esco/") for u in uris)
    assert real_taxonomy.occupations["oc_magazijnmedewerker"].esco_uri
    assert real_taxonomy.skills["sk_heftruck"].esco_uri


def test_no_surface_form_names_two_concepts(real_taxonomy: Taxonomy) -> None:
    """An ambiguous form would never be matched exactly; the taxonomy must not have any."""
    for concepts in (real_taxonomy.skills.values(), real_taxonomy.occupations.values()):
        owners: dict[str, set[str]] = {}
        for concept in concepts:
            for form in concept.surface_forms:
                owners.setdefault(normalize_text(form), set()).add(concept.id)
        clashes = {form: ids for form, ids in owners.items() if len(ids) > 1}
        assert not clashes


def test_label_in_both_languages(real_taxonomy: Taxonomy) -> None:
    assert real_taxonomy.label("sk_heftruck") == "heftruckcertificaat"
    assert real_taxonomy.label("sk_heftruck", "en") == "forklift licence"
    assert real_taxonomy.label("oc_magazijnmedewerker", "en") == "warehouse worker"
    with pytest.raises(ValueError, match="unknown concept 'sk_nope'"):
        real_taxonomy.label("sk_nope")
    with pytest.raises(ValueError, match="lang: 'de'"):
        real_taxonomy.label("sk_heftruck", "de")


# --- validation of broken files -----------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "taxonomy"
    target.mkdir()
    for name in ("skills.csv", "occupations.csv"):
        shutil.copy(DEFAULT_TAXONOMY_DIR / name, target / name)
    return target


def _edit(path: Path, row_index: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    rows[row_index][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("file", "row_index", "column", "value", "message"),
    [
        ("skills.csv", 3, "id", "sk_vca_basis", "row 5, column 'id': 'sk_vca_basis' is a dup"),
        ("skills.csv", 0, "id", "heftruck", "row 2, column 'id': 'heftruck' does not match"),
        ("skills.csv", 1, "kind", "diploma", "row 3, column 'kind': 'diploma' is not one of"),
        ("skills.csv", 2, "sector", "mijnbouw", "column 'sector': 'mijnbouw' is not one of"),
        ("skills.csv", 2, "label_nl", "", "row 4, column 'label_nl': '' must not be empty"),
        ("skills.csv", 2, "esco_uri", "http://x/y", "column 'esco_uri': 'http://x/y' must"),
        ("occupations.csv", 0, "isco08", "933", "row 2, column 'isco08': '933' is not a 4-dig"),
        ("occupations.csv", 4, "isco08", "93a3", "row 6, column 'isco08': '93a3'"),
        ("occupations.csv", 1, "skills", "sk_nope", "row 3, column 'skills': 'sk_nope' is not"),
        ("occupations.csv", 1, "id", "sk_orderpicken", "'sk_orderpicken' does not match"),
    ],
)
def test_broken_file_names_file_row_column_value(
    tmp_path: Path, file: str, row_index: int, column: str, value: str, message: str
) -> None:
    directory = _copy(tmp_path)
    _edit(directory / file, row_index, column, value)
    with pytest.raises(ValueError) as caught:
        read_taxonomy(directory)
    assert str(directory / file) in str(caught.value)
    assert message in str(caught.value)


def test_missing_column_and_file(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    text = (directory / "occupations.csv").read_text(encoding="utf-8")
    (directory / "occupations.csv").write_text(
        text.replace(",isco08,", ",isco,", 1), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="row 1, column 'isco08': missing from header"):
        read_taxonomy(directory)
    (directory / "skills.csv").unlink()
    with pytest.raises(ValueError, match="skills.csv: taxonomy file not found"):
        read_taxonomy(directory)


def test_ragged_row_is_reported(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    with (directory / "skills.csv").open("a", encoding="utf-8") as handle:
        handle.write("sk_extra,skill,bouw,iets\n")
    with pytest.raises(ValueError, match=r"row \d+: expected 7 columns"):
        read_taxonomy(directory)
