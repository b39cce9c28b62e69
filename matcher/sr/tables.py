"""Building-block tables (bouwblokkenmethode) as versioned, validated data files.

Each region publishes its own values per person-year, and they change over time, so the tables are
JSON files in ``fixtures/sr_tables/``, one per region and validity period, named
``<region>-<year>.json`` (``utrecht-2024.json``). A contract names its table by region
(``utrecht``, ``holland-rijnland``, ``nationaal``); :func:`load_table` picks the version valid on
a date. A file with a mistake is refused with a :class:`ValueError` naming the file, the field,
the value and what is allowed.

File format (all money in euro excl. VAT, all keys required unless marked optional):

``region``
    slug, the file name starts with it (``holland-rijnland`` in ``holland-rijnland-2024.json``).
``label``, ``version``, ``notes`` (optional list of strings: sources and assumptions)
``valid_from``, ``valid_to``
    ISO dates; ``valid_to`` may be ``null`` (open-ended). Versions of one region may not overlap.
``fulltime_hours``
    the full-time basis in hours per week (e.g. 36); hours are credited as ``hours / basis``.
``percentage``
    default SR percentage when a contract names none.
``threshold_eur``
    ``{"default": 250000, "werken": ..., "diensten": ..., "leveringen": null}``: the contract value
    from which SR applies per category; ``null`` means SR does not apply to that category.
``min_term_months`` (nullable), ``cap_eur`` (nullable), ``penalty_factor`` (nullable, e.g. 1.5)
``kinds``
    every placement kind of :data:`matcher.vocab.PLACEMENT_KINDS` mapped to ``"person"`` (valued
    by the person's benefit / target group block), a block key (``"bbl"``), or ``null`` (does not
    count).
``blocks``
    list of ``{key, label, applies_to, value_per_year_eur | per_month_eur, max_years,
    hours_pro_rata (default true), bonuses_apply (default true)}``. ``applies_to`` is a condition
    (or a list of alternative conditions) with keys ``benefits``, ``target_groups`` (lists: any
    matches), ``work_limitation``, ``language_gap``, ``permanent`` (booleans); all keys of one
    condition must hold. Blocks named in ``kinds`` need no ``applies_to``. ``max_years`` is the
    counting cap (``null``: no cap beyond the contract period).
``bonuses``
    list of ``{key, label, applies_to, value_per_year_eur}`` added on top of a person block.
``uncounted_benefits``
    benefits deliberately without a block. Every benefit of :data:`matcher.vocab.SR_BENEFITS` must
    be matched by a person block or listed here, so a forgotten block cannot silently credit 0.
``social_purchasing_factor``
    euro credited per invoiced euro from a social enterprise (1.0 = invoice value).
``volunteer_hour_eur``
    nullable, euro per hour of volunteer or knowledge support.
``training_factor`` (optional, nullable)
    euro credited per euro a contractor spent on training people with a distance to the labour
    market (invoices excl. VAT). Absent: 1.0, valued at cost as social purchasing is; ``null``:
    the table does not value training.
``pso``
    PSO level (:data:`PSO_LEVELS`) -> share of the obligation a valid certificate fulfils (0..1).

Tables are cached per directory and file modification time, so an edited file is picked up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from matcher.vocab import (
    BENEFITS,
    CONTRACT_CATEGORIES,
    PLACEMENT_KINDS,
    SR_BENEFITS,
    TARGET_GROUPS,
)

#: Where the shipped tables live (works for an editable and a regular install alike).
TABLES_DIR: Path = Path(__file__).resolve().parents[2] / "fixtures" / "sr_tables"

#: Levels of the Prestatieladder Socialer Ondernemen, lowest first.
PSO_LEVELS: tuple[str, ...] = ("aspirant", "basis", "trede_1", "trede_2", "trede_3")

#: A value in ``kinds`` meaning "valued by the person's benefit / target group block".
PERSON = "person"

_TOP_KEYS = {
    "region": True,
    "label": True,
    "version": True,
    "valid_from": True,
    "valid_to": True,
    "fulltime_hours": True,
    "percentage": True,
    "threshold_eur": True,
    "min_term_months": False,
    "cap_eur": False,
    "penalty_factor": False,
    "kinds": True,
    "blocks": True,
    "bonuses": True,
    "uncounted_benefits": False,
    "social_purchasing_factor": True,
    "volunteer_hour_eur": False,
    "training_factor": False,
    "pso": True,
    "notes": False,
}
_BLOCK_KEYS = {
    "key",
    "label",
    "applies_to",
    "value_per_year_eur",
    "per_month_eur",
    "max_years",
    "hours_pro_rata",
    "bonuses_apply",
}
_BONUS_KEYS = {"key", "label", "applies_to", "value_per_year_eur"}
_CONDITION_KEYS = ("benefits", "target_groups", "work_limitation", "language_gap", "permanent")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition of ``applies_to``: every field that is set must hold (``None`` = any)."""

    benefits: frozenset[str] | None = None
    target_groups: frozenset[str] | None = None
    work_limitation: bool | None = None
    language_gap: bool | None = None
    permanent: bool | None = None

    def holds(
        self,
        *,
        benefit: str,
        target_groups: frozenset[str],
        work_limitation: bool,
        language_gap: bool,
        permanent: bool,
    ) -> bool:
        """Whether a person / placement with these attributes satisfies the condition."""
        if self.benefits is not None and benefit not in self.benefits:
            return False
        if self.target_groups is not None and not (self.target_groups & target_groups):
            return False
        if self.work_limitation is not None and self.work_limitation != work_limitation:
            return False
        if self.language_gap is not None and self.language_gap != language_gap:
            return False
        return self.permanent is None or self.permanent == permanent


@dataclass(frozen=True, slots=True)
class Block:
    """A building block: the notional value of one person-year at full time."""

    key: str
    label: str
    value_per_year_eur: Decimal
    max_years: Decimal | None = None
    per_month_eur: Decimal | None = None
    hours_pro_rata: bool = True
    bonuses_apply: bool = True
    applies_to: tuple[Condition, ...] = ()

    @property
    def max_days(self) -> int | None:
        """The counting cap in days (``max_years`` x 365), or ``None`` for no cap."""
        if self.max_years is None:
            return None
        return int(self.max_years * 365)


@dataclass(frozen=True, slots=True)
class Bonus:
    """A bonus per person-year at full time on top of a person block."""

    key: str
    label: str
    value_per_year_eur: Decimal
    applies_to: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class SrTable:
    """One validated version of a region's building-block table."""

    region: str
    label: str
    version: str
    valid_from: date
    valid_to: date | None
    fulltime_hours: Decimal
    percentage: Decimal
    threshold_eur: Mapping[str, Decimal | None]
    kinds: Mapping[str, str | None]
    blocks: tuple[Block, ...]
    bonuses: tuple[Bonus, ...]
    social_purchasing_factor: Decimal
    pso: Mapping[str, Decimal]
    min_term_months: int | None = None
    cap_eur: Decimal | None = None
    penalty_factor: Decimal | None = None
    uncounted_benefits: frozenset[str] = frozenset()
    volunteer_hour_eur: Decimal | None = None
    training_factor: Decimal | None = Decimal(1)
    notes: tuple[str, ...] = ()
    source: str = ""

    @property
    def name(self) -> str:
        """The name contracts use for this table (the region slug)."""
        return self.region

    def block(self, key: str) -> Block:
        """The block with this key.

        Examples
        --------
        >>> load_table("utrecht", date(2025, 1, 1)).block("ww").max_years
        Decimal('1')
        """
        for b in self.blocks:
            if b.key == key:
                return b
        raise ValueError(
            f"table {self.region} {self.version}: no block {key!r}; "
            f"blocks: {', '.join(b.key for b in self.blocks)}"
        )

    def person_blocks(self) -> tuple[Block, ...]:
        """Blocks chosen by benefit / target group (not named in ``kinds``)."""
        kind_keys = {v for v in self.kinds.values() if v not in (None, PERSON)}
        return tuple(b for b in self.blocks if b.key not in kind_keys)

    def valid_on(self, day: date) -> bool:
        """Whether this version is valid on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class TableInfo:
    """A line of :func:`available_tables`."""

    name: str
    version: str
    valid_from: date
    valid_to: date | None
    label: str
    file: str


class _Checker:
    """Builds error messages that name the file, the field and the value."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, value: Any, allowed: str) -> ValueError:
        return ValueError(f"{self.source}: field {path!r} has value {value!r}; {allowed}")

    def keys(self, obj: Any, path: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
        if not isinstance(obj, dict):
            raise self.fail(path or "(top)", obj, "expected an object")
        for k in obj:
            if k not in allowed:
                where = f"{path}.{k}" if path else k
                raise self.fail(
                    where, obj[k], f"unknown field; allowed: {', '.join(sorted(allowed))}"
                )
        for k in sorted(required):
            if k not in obj:
                where = f"{path}.{k}" if path else k
                raise self.fail(where, None, "missing required field")
        return obj

    def money(self, value: Any, path: str, *, nullable: bool = False) -> Decimal | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(
                path, value, "expected a number >= 0" + (" or null" if nullable else "")
            )
        d = Decimal(str(value))
        if not d.is_finite() or d < 0:
            raise self.fail(path, value, "expected a number >= 0")
        return d

    def positive(self, value: Any, path: str, *, upper: Decimal | None = None) -> Decimal:
        d = self.money(value, path)
        assert d is not None
        if d <= 0 or (upper is not None and d > upper):
            limit = f" and <= {upper}" if upper is not None else ""
            raise self.fail(path, value, f"expected a number > 0{limit}")
        return d

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, value, "expected true or false")
        return value

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, value, "expected a non-empty string")
        return value

    def day(self, value: Any, path: str, *, nullable: bool = False) -> date | None:
        if value is None and nullable:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.fail(path, value, "expected an ISO date like 2024-01-01") from None

    def vocab(self, value: Any, path: str, allowed: Sequence[str]) -> frozenset[str]:
        if not isinstance(value, list) or not value:
            raise self.fail(path, value, f"expected a non-empty list of: {', '.join(allowed)}")
        for i, v in enumerate(value):
            if v not in allowed:
                raise self.fail(f"{path}[{i}]", v, f"allowed: {', '.join(allowed)}")
        return frozenset(value)

    def conditions(self, value: Any, path: str) -> tuple[Condition, ...]:
        items = value if isinstance(value, list) else [value]
        if not items:
            raise self.fail(path, value, "expected a condition or a non-empty list of them")
        out = []
        for i, item in enumerate(items):
            p = f"{path}[{i}]" if isinstance(value, list) else path
            self.keys(item, p, set(_CONDITION_KEYS), set())
            if not item:
                raise self.fail(
                    p, item, f"an empty condition; use keys: {', '.join(_CONDITION_KEYS)}"
                )
            out.append(
                Condition(
                    benefits=self.vocab(item["benefits"], f"{p}.benefits", BENEFITS)
                    if "benefits" in item
                    else None,
                    target_groups=self.vocab(
                        item["target_groups"], f"{p}.target_groups", TARGET_GROUPS
                    )
                    if "target_groups" in item
                    else None,
                    work_limitation=self.boolean(item["work_limitation"], f"{p}.work_limitation")
                    if "work_limitation" in item
                    else None,
                    language_gap=self.boolean(item["language_gap"], f"{p}.language_gap")
                    if "language_gap" in item
                    else None,
                    permanent=self.boolean(item["permanent"], f"{p}.permanent")
                    if "permanent" in item
                    else None,
                )
            )
        return tuple(out)


def validate_table(data: Mapping[str, Any], source: str = "<table>") -> SrTable:
    """Check a parsed table file and build an :class:`SrTable`, or refuse it.

    Parameters
    ----------
    data
        The parsed JSON object.
    source
        How to name the table in error messages (the file name).

    Raises
    ------
    ValueError
        Naming ``source``, the field path, the value and what is allowed: unknown fields,
        negative or missing numbers, unknown benefits / target groups / kinds, a benefit without
        a block, duplicate keys, ``valid_to`` before ``valid_from``.

    Examples
    --------
    >>> validate_table({"region": "x"}, "x-2024.json")
    Traceback (most recent call last):
    ...
    ValueError: x-2024.json: field 'blocks' has value None; missing required field
    """
    c = _Checker(source)
    obj = c.keys(dict(data), "", set(_TOP_KEYS), {k for k, req in _TOP_KEYS.items() if req})

    region = c.text(obj["region"], "region")
    if not _SLUG.match(region):
        raise c.fail("region", region, "expected a lower-case slug like 'holland-rijnland'")
    stem = Path(source).stem
    if source.endswith(".json") and not stem.startswith(region + "-"):
        raise c.fail("region", region, f"the file name {Path(source).name!r} must start with it")
    valid_from = c.day(obj["valid_from"], "valid_from")
    valid_to = c.day(obj["valid_to"], "valid_to", nullable=True)
    assert valid_from is not None
    if valid_to is not None and valid_to < valid_from:
        raise c.fail("valid_to", obj["valid_to"], f"must not be before valid_from {valid_from}")

    fulltime = c.positive(obj["fulltime_hours"], "fulltime_hours", upper=Decimal(60))
    percentage = c.money(obj["percentage"], "percentage")
    assert percentage is not None
    if percentage > 100:
        raise c.fail("percentage", obj["percentage"], "expected a percentage 0..100")

    thresholds_raw = c.keys(
        obj["threshold_eur"], "threshold_eur", {"default", *CONTRACT_CATEGORIES}, {"default"}
    )
    thresholds = {
        k: c.money(v, f"threshold_eur.{k}", nullable=True) for k, v in thresholds_raw.items()
    }

    min_term = obj.get("min_term_months")
    if min_term is not None and (
        isinstance(min_term, bool) or not isinstance(min_term, int) or min_term < 0
    ):
        raise c.fail("min_term_months", min_term, "expected a whole number of months >= 0 or null")
    cap = c.money(obj.get("cap_eur"), "cap_eur", nullable=True)
    penalty = c.money(obj.get("penalty_factor"), "penalty_factor", nullable=True)

    # blocks
    if not isinstance(obj["blocks"], list) or not obj["blocks"]:
        raise c.fail("blocks", obj["blocks"], "expected a non-empty list of blocks")
    kinds_raw = c.keys(obj["kinds"], "kinds", set(PLACEMENT_KINDS), set(PLACEMENT_KINDS))
    kind_block_keys = {v for v in kinds_raw.values() if v is not None and v != PERSON}
    block_keys = {raw.get("key") for raw in obj["blocks"] if isinstance(raw, dict)}
    known_keys = ", ".join(sorted(str(k) for k in block_keys))
    for kind, target in kinds_raw.items():
        if target is not None and target != PERSON and target not in block_keys:
            raise c.fail(
                f"kinds.{kind}", target, f"expected 'person', null or a block key: {known_keys}"
            )

    blocks: list[Block] = []
    for i, raw in enumerate(obj["blocks"]):
        p = f"blocks[{i}]"
        c.keys(raw, p, _BLOCK_KEYS, {"key", "label", "max_years"})
        key = c.text(raw["key"], f"{p}.key")
        p = f"blocks[{key}]"
        if any(b.key == key for b in blocks):
            raise c.fail(f"{p}.key", key, "duplicate block key")
        has_year, has_month = "value_per_year_eur" in raw, "per_month_eur" in raw
        if has_year == has_month:
            raise c.fail(p, raw, "give exactly one of value_per_year_eur and per_month_eur")
        per_month = c.money(raw["per_month_eur"], f"{p}.per_month_eur") if has_month else None
        per_year = (
            per_month * 12
            if per_month is not None
            else c.money(raw["value_per_year_eur"], f"{p}.value_per_year_eur")
        )
        assert per_year is not None
        max_years = (
            None
            if raw["max_years"] is None
            else c.positive(raw["max_years"], f"{p}.max_years", upper=Decimal(50))
        )
        if key in kind_block_keys:
            if "applies_to" in raw:
                raise c.fail(
                    f"{p}.applies_to",
                    raw["applies_to"],
                    "a block named in 'kinds' takes no applies_to",
                )
            applies: tuple[Condition, ...] = ()
        else:
            if "applies_to" not in raw:
                raise c.fail(f"{p}.applies_to", None, "a person block needs applies_to")
            applies = c.conditions(raw["applies_to"], f"{p}.applies_to")
            for cond in applies:
                if cond.benefits is None and cond.target_groups is None:
                    raise c.fail(
                        f"{p}.applies_to", raw["applies_to"], "name benefits or target_groups"
                    )
        blocks.append(
            Block(
                key=key,
                label=c.text(raw["label"], f"{p}.label"),
                value_per_year_eur=per_year,
                max_years=max_years,
                per_month_eur=per_month,
                hours_pro_rata=c.boolean(raw.get("hours_pro_rata", True), f"{p}.hours_pro_rata"),
                bonuses_apply=c.boolean(raw.get("bonuses_apply", True), f"{p}.bonuses_apply"),
                applies_to=applies,
            )
        )
    uncounted = frozenset(obj.get("uncounted_benefits") or [])
    for i, b in enumerate(obj.get("uncounted_benefits") or []):
        if b not in BENEFITS:
            raise c.fail(f"uncounted_benefits[{i}]", b, f"allowed: {', '.join(BENEFITS)}")
    covered = {
        b
        for blk in blocks
        if blk.key not in kind_block_keys
        for cond in blk.applies_to
        if cond.benefits is not None
        and cond.target_groups is None
        and cond.work_limitation is None
        and cond.language_gap is None
        and cond.permanent is None
        for b in cond.benefits
    }
    for benefit in SR_BENEFITS:
        if benefit not in covered and benefit not in uncounted:
            raise c.fail(
                "blocks",
                benefit,
                "no block applies to this benefit unconditionally; add one or list it in "
                "uncounted_benefits",
            )

    bonuses: list[Bonus] = []
    if not isinstance(obj["bonuses"], list):
        raise c.fail("bonuses", obj["bonuses"], "expected a list (may be empty)")
    for i, raw in enumerate(obj["bonuses"]):
        p = f"bonuses[{i}]"
        c.keys(raw, p, _BONUS_KEYS, _BONUS_KEYS)
        key = c.text(raw["key"], f"{p}.key")
        p = f"bonuses[{key}]"
        if any(b.key == key for b in bonuses):
            raise c.fail(f"{p}.key", key, "duplicate bonus key")
        amount = c.money(raw["value_per_year_eur"], f"{p}.value_per_year_eur")
        assert amount is not None
        bonuses.append(
            Bonus(
                key=key,
                label=c.text(raw["label"], f"{p}.label"),
                value_per_year_eur=amount,
                applies_to=c.conditions(raw["applies_to"], f"{p}.applies_to"),
            )
        )

    factor = c.money(obj["social_purchasing_factor"], "social_purchasing_factor")
    assert factor is not None
    volunteer = c.money(obj.get("volunteer_hour_eur"), "volunteer_hour_eur", nullable=True)
    training = c.money(obj.get("training_factor", 1), "training_factor", nullable=True)
    pso_raw = c.keys(obj["pso"], "pso", set(PSO_LEVELS), set())
    pso: dict[str, Decimal] = {}
    for level, share in pso_raw.items():
        d = c.money(share, f"pso.{level}")
        assert d is not None
        if d > 1:
            raise c.fail(f"pso.{level}", share, "expected a share of the obligation 0..1")
        pso[level] = d
    notes = obj.get("notes") or []
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise c.fail("notes", notes, "expected a list of strings")

    return SrTable(
        region=region,
        label=c.text(obj["label"], "label"),
        version=c.text(str(obj["version"]), "version"),
        valid_from=valid_from,
        valid_to=valid_to,
        fulltime_hours=fulltime,
        percentage=percentage,
        threshold_eur=thresholds,
        kinds=dict(kinds_raw),
        blocks=tuple(blocks),
        bonuses=tuple(bonuses),
        social_purchasing_factor=factor,
        pso=pso,
        min_term_months=min_term,
        cap_eur=cap,
        penalty_factor=penalty,
        uncounted_benefits=uncounted,
        volunteer_hour_eur=volunteer,
        training_factor=training,
        notes=tuple(notes),
        source=source,
    )


def load_table_file(path: str | Path) -> SrTable:
    """Read and validate one table file.

    Examples
    --------
    >>> load_table_file(TABLES_DIR / "utrecht-2024.json").block("bbl").value_per_year_eur
    Decimal('35000')
    """
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{p.name}: not valid JSON (line {exc.lineno}): {exc.msg}") from None
    if not isinstance(data, dict):
        raise ValueError(
            f"{p.name}: field '(top)' has value {type(data).__name__}; expected an object"
        )
    return validate_table(data, p.name)


def _check_overlaps(tables: Sequence[SrTable]) -> None:
    by_region: dict[str, list[SrTable]] = {}
    for t in tables:
        by_region.setdefault(t.region, []).append(t)
    for region, versions in by_region.items():
        versions.sort(key=lambda t: t.valid_from)
        for a, b in zip(versions, versions[1:], strict=False):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                raise ValueError(
                    f"{b.source}: field 'valid_from' has value {b.valid_from.isoformat()!r}; "
                    f"overlaps {a.source} ({region} valid {a.valid_from} to "
                    f"{a.valid_to or 'open end'}); validity periods of one region may not overlap"
                )


@lru_cache(maxsize=16)
def _load_dir(directory: str, _stamp: tuple[tuple[str, int], ...]) -> tuple[SrTable, ...]:
    tables = tuple(load_table_file(Path(directory) / name) for name, _ in _stamp)
    _check_overlaps(tables)
    return tables


def load_all(directory: str | Path | None = None) -> tuple[SrTable, ...]:
    """Every table version in ``directory`` (default :data:`TABLES_DIR`), validated together.

    Raises
    ------
    ValueError
        When any file is invalid or two versions of one region overlap in validity.

    Examples
    --------
    >>> sorted({t.region for t in load_all()})
    ['holland-rijnland', 'nationaal', 'utrecht']
    """
    d = Path(directory) if directory is not None else TABLES_DIR
    if not d.is_dir():
        raise ValueError(f"SR table directory {str(d)!r} does not exist")
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in d.glob("*.json")))
    return _load_dir(str(d.resolve()), stamp)


def available_tables(directory: str | Path | None = None) -> list[TableInfo]:
    """List the table versions a contract can name, sorted by name and validity.

    Examples
    --------
    >>> [(t.name, t.valid_from.year) for t in available_tables()]
    [('holland-rijnland', 2024), ('nationaal', 2024), ('utrecht', 2024)]
    """
    return [
        TableInfo(t.region, t.version, t.valid_from, t.valid_to, t.label, t.source)
        for t in sorted(load_all(directory), key=lambda t: (t.region, t.valid_from))
    ]


def load_table(
    name: str, on: date | None = None, *, directory: str | Path | None = None
) -> SrTable:
    """The version of table ``name`` valid on ``on`` (default: the newest version).

    A contract is valued with the table valid on its start date, so values do not change under a
    running contract when a region publishes a new version.

    Raises
    ------
    ValueError
        For an unknown name (listing the known ones) or when no version is valid on ``on``
        (listing the versions).

    Examples
    --------
    >>> t = load_table("holland-rijnland", date(2025, 3, 1))
    >>> t.block("participatiewet").value_per_year_eur, t.fulltime_hours
    (Decimal('30000'), Decimal('36'))
    """
    tables = load_all(directory)
    versions = sorted((t for t in tables if t.region == name), key=lambda t: t.valid_from)
    if not versions:
        known = ", ".join(sorted({t.region for t in tables}))
        raise ValueError(f"unknown SR table {name!r}; known tables: {known}")
    if on is None:
        return versions[-1]
    for t in versions:
        if t.valid_on(on):
            return t
    spans = "; ".join(f"{t.valid_from} to {t.valid_to or 'open end'}" for t in versions)
    raise ValueError(
        f"SR table {name!r} has no version valid on {on.isoformat()}; versions: {spans}"
    )


__all__ = [
    "PERSON",
    "PSO_LEVELS",
    "TABLES_DIR",
    "Block",
    "Bonus",
    "Condition",
    "SrTable",
    "TableInfo",
    "available_tables",
    "load_all",
    "load_table",
    "load_table_file",
    "validate_table",
]
