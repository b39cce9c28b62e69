"""The skills, certificates and occupations of Social Return work, from ``fixtures/taxonomy``.

The taxonomy is two hand-curated CSV files (see ``fixtures/taxonomy/README.md``):
``skills.csv`` and ``occupations.csv``. They are validated on load, so a broken file fails loudly
with the file, row, column and value instead of producing silently wrong matches.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Where the committed taxonomy lives.
DEFAULT_TAXONOMY_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "taxonomy"

SKILL_KINDS: tuple[str, ...] = ("skill", "certificate")
SECTORS: tuple[str, ...] = (
    "bouw",
    "schoonmaak",
    "groen",
    "logistiek",
    "transport",
    "horeca",
    "retail",
    "productie",
    "techniek",
    "zorg",
    "beveiliging",
    "facilitair",
    "kantoor",
    "ict",
    "algemeen",
)
SKILL_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "sector",
    "label_nl",
    "label_en",
    "synonyms",
    "esco_uri",
)
OCCUPATION_COLUMNS: tuple[str, ...] = (
    "id",
    "sector",
    "label_nl",
    "label_en",
    "isco08",
    "synonyms",
    "skills",
    "esco_uri",
)
LANGUAGES: tuple[str, ...] = ("nl", "en")

_SKILL_ID = re.compile(r"^sk_[a-z0-9_]+$")
_OCCUPATION_ID = re.compile(r"^oc_[a-z0-9_]+$")
_ISCO = re.compile(r"^[0-9]{4}$")
_ESCO_PREFIX = "http://data.europa.eu/esco/"


@dataclass(frozen=True)
class Skill:
    """A skill or certificate.

    ``synonyms`` are the extra surface forms (Dutch and English synonyms, abbreviations) beyond
    the two labels; ``esco_uri`` is the matching ESCO concept where one exists.
    """

    id: str
    kind: str
    sector: str
    label_nl: str
    label_en: str
    synonyms: tuple[str, ...]
    esco_uri: str | None

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The labels followed by the synonyms."""
        return (self.label_nl, self.label_en, *self.synonyms)


@dataclass(frozen=True)
class Occupation:
    """An occupation with its ISCO-08 unit group and the skill ids it usually needs."""

    id: str
    sector: str
    label_nl: str
    label_en: str
    isco08: str
    synonyms: tuple[str, ...]
    skills: tuple[str, ...]
    esco_uri: str | None

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The labels followed by the synonyms (job-title forms, male/female, English)."""
        return (self.label_nl, self.label_en, *self.synonyms)


@dataclass(frozen=True)
class Taxonomy:
    """All skills and occupations, keyed by id."""

    skills: dict[str, Skill]
    occupations: dict[str, Occupation]

    def label(self, concept_id: str, lang: str = "nl") -> str:
        """Return the label of a skill or occupation in Dutch (``"nl"``) or English (``"en"``).

        Parameters
        ----------
        concept_id : str
            A skill id (``sk_...``) or occupation id (``oc_...``).
        lang : {"nl", "en"}
            The label language.

        Returns
        -------
        str
            The label.

        Raises
        ------
        ValueError
            If the id is unknown or the language is not ``nl`` or ``en``.

        Examples
        --------
        >>> load_taxonomy().label("sk_heftruck", "en")
        'forklift licence'
        """
        if lang not in LANGUAGES:
            raise ValueError(f"lang: {lang!r} is not supported; allowed: {', '.join(LANGUAGES)}")
        concept: Skill | Occupation | None = self.skills.get(concept_id) or self.occupations.get(
            concept_id
        )
        if concept is None:
            raise ValueError(f"concept_id: unknown concept {concept_id!r}")
        return concept.label_nl if lang == "nl" else concept.label_en


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, row) with the header checked; row numbers count the header as 1."""
    if not path.is_file():
        raise ValueError(f"{path}: taxonomy file not found")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        missing = [c for c in columns if c not in header]
        if missing:
            raise ValueError(
                f"{path}: row 1, column {missing[0]!r}: missing from header {list(header)}; "
                f"expected columns {list(columns)}"
            )
        for number, row in enumerate(reader, start=2):
            if None in row or any(row.get(c) is None for c in columns):
                raise ValueError(
                    f"{path}: row {number}: expected {len(columns)} columns, "
                    f"got a row of a different width: {row!r}"
                )
            yield number, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _fail(path: Path, number: int, column: str, value: str, reason: str) -> ValueError:
    return ValueError(f"{path}: row {number}, column {column!r}: {value!r} {reason}")


def _check_common(
    path: Path, number: int, row: dict[str, str], id_pattern: re.Pattern[str], seen: set[str]
) -> None:
    if not id_pattern.match(row["id"]):
        raise _fail(path, number, "id", row["id"], f"does not match {id_pattern.pattern}")
    if row["id"] in seen:
        raise _fail(path, number, "id", row["id"], "is a duplicate id")
    seen.add(row["id"])
    if row["sector"] not in SECTORS:
        raise _fail(path, number, "sector", row["sector"], f"is not one of {list(SECTORS)}")
    for column in ("label_nl", "label_en"):
        if not row[column]:
            raise _fail(path, number, column, row[column], "must not be empty")
    uri = row["esco_uri"]
    if uri and not uri.startswith(_ESCO_PREFIX):
        raise _fail(path, number, "esco_uri", uri, f"must start with {_ESCO_PREFIX} or be empty")


def read_taxonomy(path: Path) -> Taxonomy:
    """Read and validate the taxonomy in a directory (uncached; see :func:`load_taxonomy`).

    Parameters
    ----------
    path : Path
        A directory with ``skills.csv`` and ``occupations.csv``.

    Returns
    -------
    Taxonomy

    Raises
    ------
    ValueError
        Naming the file, row, column and value of the first problem found.

    Examples
    --------
    >>> tax = read_taxonomy(DEFAULT_TAXONOMY_DIR)
    >>> tax.occupations["oc_magazijnmedewerker"].isco08
    '9333'
    """
    skills_path = path / "skills.csv"
    occupations_path = path / "occupations.csv"
    seen: set[str] = set()
    skills: dict[str, Skill] = {}
    for number, row in _rows(skills_path, SKILL_COLUMNS):
        _check_common(skills_path, number, row, _SKILL_ID, seen)
        if row["kind"] not in SKILL_KINDS:
            raise _fail(skills_path, number, "kind", row["kind"], f"is not one of {SKILL_KINDS}")
        skills[row["id"]] = Skill(
            id=row["id"],
            kind=row["kind"],
            sector=row["sector"],
            label_nl=row["label_nl"],
            label_en=row["label_en"],
            synonyms=_split(row["synonyms"]),
            esco_uri=row["esco_uri"] or None,
        )
    occupations: dict[str, Occupation] = {}
    for number, row in _rows(occupations_path, OCCUPATION_COLUMNS):
        _check_common(occupations_path, number, row, _OCCUPATION_ID, seen)
        if not _ISCO.match(row["isco08"]):
            raise _fail(
                occupations_path, number, "isco08", row["isco08"], "is not a 4-digit ISCO-08 code"
            )
        needed = _split(row["skills"])
        for skill_id in needed:
            if skill_id not in skills:
                raise _fail(
                    occupations_path, number, "skills", skill_id, "is not a skill id in skills.csv"
                )
        occupations[row["id"]] = Occupation(
            id=row["id"],
            sector=row["sector"],
            label_nl=row["label_nl"],
            label_en=row["label_en"],
            isco08=row["isco08"],
            synonyms=_split(row["synonyms"]),
            skills=needed,
            esco_uri=row["esco_uri"] or None,
        )
    return Taxonomy(skills=skills, occupations=occupations)


@functools.lru_cache(maxsize=1)
def _load_default() -> Taxonomy:
    return read_taxonomy(DEFAULT_TAXONOMY_DIR)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load the taxonomy; the default one in ``fixtures/taxonomy`` is read once and cached.

    Parameters
    ----------
    path : Path, optional
        A directory with ``skills.csv`` and ``occupations.csv``; read fresh on every call.

    Returns
    -------
    Taxonomy

    Raises
    ------
    ValueError
        If a file is missing or invalid (file, row, column and value in the message).

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> tax.label("oc_magazijnmedewerker", "en")
    'warehouse worker'
    """
    if path is None:
        return _load_default()
    return read_taxonomy(Path(path))
