"""The skills, certificates and occupations of Social Return work, from ``fixtures/taxonomy``.

The taxonomy is two hand-curated CSV files (see ``fixtures/taxonomy/README.md``),
``skills.csv`` and ``occupations.csv``, and three optional ones read when present:

* ``skills_more.csv``: further hand-curated skills (same columns as ``skills.csv``);
* ``surface_forms.csv``: further hand-curated surface forms of existing concepts
  (``concept_id,form,note``). A form listed there belongs to that concept only: it is taken away
  from any other concept's synonyms (how ``heftruck rijden`` moved from the forklift certificate
  to the skill of driving one);
* ``esco_occupations.csv``: every ESCO occupation with its Dutch labels, built by
  ``fixtures/build/build_esco_occupations.py``. A row whose id is a curated occupation adds its
  labels to it; every other row is an occupation of its own (``source == "esco"``).

They are validated on load, so a broken file fails loudly with the file, row, column and value
instead of producing silently wrong matches.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import re
import unicodedata
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
ESCO_OCCUPATION_COLUMNS: tuple[str, ...] = (
    "id",
    "esco_uri",
    "isco08",
    "esco_code",
    "sector",
    "label_nl",
    "alt_labels",
    "hidden_labels",
    "skills",
    "skill_source",
    "labels_dropped",
)
SURFACE_FORM_COLUMNS: tuple[str, ...] = ("concept_id", "form", "note")
LANGUAGES: tuple[str, ...] = ("nl", "en")

_SKILL_ID = re.compile(r"^sk_[a-z0-9_]+$")
_OCCUPATION_ID = re.compile(r"^oc_[a-z0-9_]+$")
_ESCO_OCCUPATION_URI = re.compile(r"^http://data\.europa\.eu/esco/occupation/[0-9a-f-]{36}$")
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
    """An occupation with its ISCO-08 unit group and the skill ids it usually needs.

    ``source`` is ``"curated"`` for the hand-curated occupations (whose ``synonyms`` also hold
    the Dutch ESCO labels of their ESCO concept) and ``"esco"`` for one taken from ESCO as is
    (its ``label_en`` is its Dutch label: the Dutch export has no English one). ``hidden`` are
    ESCO's search-only forms: matched, never shown.
    """

    id: str
    sector: str
    label_nl: str
    label_en: str
    isco08: str
    synonyms: tuple[str, ...]
    skills: tuple[str, ...]
    esco_uri: str | None
    hidden: tuple[str, ...] = ()
    source: str = "curated"

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The labels followed by the synonyms (job-title forms, male/female, English)."""
        return (self.label_nl, self.label_en, *self.synonyms, *self.hidden)


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


def _fold(text: str) -> str:
    """Case, accents and punctuation folded (what makes two surface forms the same)."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def _read_skills(path: Path, seen: set[str], skills: dict[str, Skill]) -> None:
    for number, row in _rows(path, SKILL_COLUMNS):
        _check_common(path, number, row, _SKILL_ID, seen)
        if row["kind"] not in SKILL_KINDS:
            raise _fail(path, number, "kind", row["kind"], f"is not one of {SKILL_KINDS}")
        skills[row["id"]] = Skill(
            id=row["id"],
            kind=row["kind"],
            sector=row["sector"],
            label_nl=row["label_nl"],
            label_en=row["label_en"],
            synonyms=_split(row["synonyms"]),
            esco_uri=row["esco_uri"] or None,
        )


def _check_skills(path: Path, number: int, cell: str, skills: dict[str, Skill]) -> tuple[str, ...]:
    needed = _split(cell)
    for skill_id in needed:
        if skill_id not in skills:
            raise _fail(path, number, "skills", skill_id, "is not a skill id in skills.csv")
    return needed


def _apply_surface_forms(
    path: Path, skills: dict[str, Skill], occupations: dict[str, Occupation]
) -> None:
    """Add the forms of ``surface_forms.csv``; each is taken away from other concepts."""
    added: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for number, row in _rows(path, SURFACE_FORM_COLUMNS):
        cid, form = row["concept_id"], row["form"]
        if cid not in skills and cid not in occupations:
            raise _fail(path, number, "concept_id", cid, "is not a skill or occupation id")
        if not _fold(form):
            raise _fail(path, number, "form", form, "must not be empty")
        if owner.setdefault(_fold(form), cid) != cid:
            raise _fail(path, number, "form", form, f"is already a form of {owner[_fold(form)]}")
        added.setdefault(cid, []).append(form)
    for table in (skills, occupations):
        for other in table.values():
            for label in (other.label_nl, other.label_en):
                cid = owner.get(_fold(label), other.id)
                if cid != other.id:
                    raise ValueError(
                        f"{path}: form {label!r} of {cid} is a label of {other.id}; "
                        "a label cannot move"
                    )

    def synonyms_of(cid: str, concept: Skill | Occupation) -> tuple[str, ...]:
        labels = {_fold(concept.label_nl), _fold(concept.label_en)}
        kept = [f for f in concept.synonyms if owner.get(_fold(f), cid) == cid]
        extra = [f for f in added.get(cid, []) if _fold(f) not in labels]
        return tuple(dict.fromkeys([*kept, *extra]))

    for sid, skill in list(skills.items()):
        skills[sid] = dataclasses.replace(skill, synonyms=synonyms_of(sid, skill))
    for oid, occupation in list(occupations.items()):
        occupations[oid] = dataclasses.replace(occupation, synonyms=synonyms_of(oid, occupation))


def read_curated(path: Path) -> tuple[dict[str, Skill], dict[str, Occupation]]:
    """The hand-curated part of the taxonomy: skills and occupations without ESCO's occupations.

    Reads ``skills.csv``, ``occupations.csv`` and, when present, ``skills_more.csv`` and
    ``surface_forms.csv`` (see the module docstring).

    Examples
    --------
    >>> skills, occupations = read_curated(DEFAULT_TAXONOMY_DIR)
    >>> occupations["oc_heftruckchauffeur"].isco08
    '8344'
    """
    seen: set[str] = set()
    skills: dict[str, Skill] = {}
    _read_skills(path / "skills.csv", seen, skills)
    if (path / "skills_more.csv").is_file():
        _read_skills(path / "skills_more.csv", seen, skills)
    occupations_path = path / "occupations.csv"
    occupations: dict[str, Occupation] = {}
    for number, row in _rows(occupations_path, OCCUPATION_COLUMNS):
        _check_common(occupations_path, number, row, _OCCUPATION_ID, seen)
        if not _ISCO.match(row["isco08"]):
            raise _fail(
                occupations_path, number, "isco08", row["isco08"], "is not a 4-digit ISCO-08 code"
            )
        occupations[row["id"]] = Occupation(
            id=row["id"],
            sector=row["sector"],
            label_nl=row["label_nl"],
            label_en=row["label_en"],
            isco08=row["isco08"],
            synonyms=_split(row["synonyms"]),
            skills=_check_skills(occupations_path, number, row["skills"], skills),
            esco_uri=row["esco_uri"] or None,
        )
    if (path / "surface_forms.csv").is_file():
        _apply_surface_forms(path / "surface_forms.csv", skills, occupations)
    return skills, occupations


def _read_esco(
    path: Path, skills: dict[str, Skill], occupations: dict[str, Occupation]
) -> dict[str, Occupation]:
    """The curated occupations with their ESCO labels added, then every other ESCO occupation."""
    out = dict(occupations)
    extra: dict[str, list[str]] = {}
    linked_uri: dict[str, str] = {}
    seen = set(skills) | set(occupations)
    for number, row in _rows(path, ESCO_OCCUPATION_COLUMNS):
        if not _ESCO_OCCUPATION_URI.match(row["esco_uri"]):
            raise _fail(path, number, "esco_uri", row["esco_uri"], "is not an ESCO occupation URI")
        hidden = _split(row["hidden_labels"])
        if row["id"] in occupations:  # a curated occupation: the ESCO labels it keeps (all in
            # alt_labels, the preferred one too when kept) become its synonyms
            extra.setdefault(row["id"], []).extend([*_split(row["alt_labels"]), *hidden])
            linked_uri.setdefault(row["id"], row["esco_uri"])
            continue
        _check_common(path, number, {**row, "label_en": row["label_nl"]}, _OCCUPATION_ID, seen)
        if not _ISCO.match(row["isco08"]):
            raise _fail(path, number, "isco08", row["isco08"], "is not a 4-digit ISCO-08 code")
        needed = _check_skills(path, number, row["skills"], skills)
        if not needed:
            raise _fail(path, number, "skills", "", "must name at least one skill")
        out[row["id"]] = Occupation(
            id=row["id"],
            sector=row["sector"],
            label_nl=row["label_nl"],
            label_en=row["label_nl"],
            isco08=row["isco08"],
            synonyms=tuple(_split(row["alt_labels"])),
            skills=needed,
            esco_uri=row["esco_uri"],
            hidden=hidden,
            source="esco",
        )
    for cid, forms in extra.items():
        occ = out[cid]
        known = {_fold(f) for f in occ.surface_forms}
        new = [f for f in dict.fromkeys(forms) if _fold(f) not in known]
        out[cid] = dataclasses.replace(
            occ, synonyms=(*occ.synonyms, *new), esco_uri=occ.esco_uri or linked_uri[cid]
        )
    return out


def read_taxonomy(path: Path) -> Taxonomy:
    """Read and validate the taxonomy in a directory (uncached; see :func:`load_taxonomy`).

    Parameters
    ----------
    path : Path
        A directory with ``skills.csv`` and ``occupations.csv`` (and optionally
        ``skills_more.csv``, ``surface_forms.csv`` and ``esco_occupations.csv``).

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
    skills, occupations = read_curated(path)
    if (path / "esco_occupations.csv").is_file():
        occupations = _read_esco(path / "esco_occupations.csv", skills, occupations)
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
