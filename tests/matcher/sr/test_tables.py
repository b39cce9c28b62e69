"""The shipped building-block tables match the published values, and bad tables are refused."""

from __future__ import annotations

import copy
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from matcher.sr.tables import (
    TABLES_DIR,
    available_tables,
    load_all,
    load_table,
    load_table_file,
    validate_table,
)
from matcher.vocab import PLACEMENT_KINDS, SR_BENEFITS

ON = date(2025, 6, 1)


def _raw(name: str) -> dict[str, Any]:
    return json.loads((TABLES_DIR / f"{name}-2024.json").read_text(encoding="utf-8"))


def test_the_three_shipped_tables_load_and_are_listed() -> None:
    names = [t.name for t in available_tables()]
    assert names == ["holland-rijnland", "nationaal", "utrecht"]
    for name in names:
        t = load_table(name, ON)
        assert t.fulltime_hours == 36
        assert set(t.kinds) == set(PLACEMENT_KINDS)


# Values in euro per person-year at full time as published in ../shared/domain.md.
@pytest.mark.parametrize(
    ("table", "block", "value"),
    [
        ("utrecht", "participatiewet", 40_000),
        ("utrecht", "banenafspraak", 50_000),
        ("utrecht", "wia_wao", 40_000),
        ("utrecht", "ww", 20_000),
        ("utrecht", "nugger", 10_000),
        ("utrecht", "bbl", 35_000),
        ("utrecht", "bol_stage", 20_000),
        ("utrecht", "schoolverlater", 35_000),
        ("holland-rijnland", "participatiewet", 30_000),
        ("holland-rijnland", "banenafspraak", 50_000),
        ("holland-rijnland", "wia_wao", 40_000),
        ("holland-rijnland", "wajong", 25_000),
        ("holland-rijnland", "ww", 15_000),
        ("holland-rijnland", "nugger", 5_000),
        ("holland-rijnland", "nugger_arbeidsbeperking", 10_000),
        ("holland-rijnland", "bbl", 25_000),
        ("holland-rijnland", "bol_stage", 10_000),
        ("holland-rijnland", "schoolverlater", 25_000),
        ("holland-rijnland", "werkervaringsplaats", 750 * 12),
    ],
)
def test_published_block_values(table: str, block: str, value: int) -> None:
    assert load_table(table, ON).block(block).value_per_year_eur == value


@pytest.mark.parametrize(
    ("table", "bonuses"),
    [
        (
            "utrecht",
            {"50plus": 10_000, "statushouder_of_taalachterstand": 10_000, "vast_contract": 10_000},
        ),
        ("holland-rijnland", {"55plus": 15_000}),
        ("nationaal", {}),
    ],
)
def test_published_bonuses(table: str, bonuses: dict[str, int]) -> None:
    t = load_table(table, ON)
    assert {b.key: b.value_per_year_eur for b in t.bonuses} == bonuses


def test_counting_caps_and_rules() -> None:
    u = load_table("utrecht", ON)
    assert u.block("participatiewet").max_days == 730
    assert u.block("ww").max_days == 365
    assert u.block("bbl").max_days is None
    assert not u.block("bbl").hours_pro_rata
    assert u.block("werkervaringsplaats").per_month_eur == 750
    assert u.volunteer_hour_eur == 100
    n = load_table("nationaal", ON)
    assert n.threshold_eur["werken"] == 250_000
    assert n.threshold_eur["leveringen"] is None
    assert n.min_term_months == 6
    assert n.pso["trede_3"] == 1


def test_national_default_is_never_above_a_published_regional_value() -> None:
    n, u, h = (load_table(x, ON) for x in ("nationaal", "utrecht", "holland-rijnland"))
    for b in n.blocks:
        regional = [
            t.block(b.key).value_per_year_eur for t in (u, h) if b.key in {x.key for x in t.blocks}
        ]
        assert regional and b.value_per_year_eur <= min(regional), b.key


def test_load_table_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown SR table 'amsterdam'; known tables: holland"):
        load_table("amsterdam")


def test_load_table_before_the_first_version_is_refused() -> None:
    with pytest.raises(ValueError, match=r"no version valid on 2023-12-31; versions: 2024-01-01"):
        load_table("utrecht", date(2023, 12, 31))


# ---------------------------------------------------------------- versions in a directory


def _write(d: Path, name: str, data: dict[str, Any]) -> Path:
    p = d / name
    p.write_text(json.dumps(data), encoding="utf-8")
    return p


def test_version_is_picked_by_date(tmp_path: Path) -> None:
    old, new = _raw("utrecht"), _raw("utrecht")
    old["valid_to"] = "2024-12-31"
    new["valid_from"], new["version"] = "2025-01-01", "2025.1"
    new["blocks"][0]["value_per_year_eur"] = 42_000
    _write(tmp_path, "utrecht-2024.json", old)
    _write(tmp_path, "utrecht-2025.json", new)
    assert load_table("utrecht", date(2024, 12, 31), directory=tmp_path).version == "2024.1"
    t25 = load_table("utrecht", date(2025, 1, 1), directory=tmp_path)
    assert t25.block("participatiewet").value_per_year_eur == 42_000
    assert load_table("utrecht", directory=tmp_path).version == "2025.1"  # newest by default
    assert len(available_tables(tmp_path)) == 2


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    a, b = _raw("utrecht"), _raw("utrecht")  # a is open-ended, b starts inside it
    b["valid_from"] = "2025-01-01"
    _write(tmp_path, "utrecht-2024.json", a)
    _write(tmp_path, "utrecht-2025.json", b)
    with pytest.raises(
        ValueError, match=r"utrecht-2025.json: field 'valid_from'.*overlaps utrecht-2024"
    ):
        load_all(tmp_path)


def test_an_edited_file_is_reloaded(tmp_path: Path) -> None:
    data = _raw("holland-rijnland")
    p = _write(tmp_path, "holland-rijnland-2024.json", data)
    assert (
        load_table("holland-rijnland", directory=tmp_path).block("ww").value_per_year_eur == 15_000
    )
    data["blocks"][4]["value_per_year_eur"] = 16_000
    p.write_text(json.dumps(data), encoding="utf-8")
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert (
        load_table("holland-rijnland", directory=tmp_path).block("ww").value_per_year_eur == 16_000
    )


def test_invalid_json_names_the_file(tmp_path: Path) -> None:
    p = tmp_path / "utrecht-2024.json"
    p.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"utrecht-2024.json: not valid JSON"):
        load_table_file(p)


# ---------------------------------------------------------------- one mistake at a time


def _mutate(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(_raw("utrecht"))
    obj: Any = data
    for key in path[:-1]:
        obj = obj[key]
    if value is _DELETE:
        del obj[path[-1]]
    else:
        obj[path[-1]] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["colour"], "blue", r"field 'colour' has value 'blue'; unknown field"),
        (["fulltime_hours"], 0, r"field 'fulltime_hours' has value 0; expected a number > 0"),
        (["fulltime_hours"], "36", r"field 'fulltime_hours' has value '36'; expected a number"),
        (["percentage"], 120, r"field 'percentage' has value 120; expected a percentage"),
        (
            ["valid_from"],
            "01-01-2024",
            r"field 'valid_from' has value '01-01-2024'; expected an ISO",
        ),
        (
            ["valid_to"],
            "2023-01-01",
            r"field 'valid_to' has value '2023-01-01'; must not be before",
        ),
        (["threshold_eur", "bouw"], 1, r"field 'threshold_eur.bouw' has value 1; unknown field"),
        (
            ["blocks", 0, "value_per_year_eur"],
            -40_000,
            r"'blocks\[participatiewet\].value_per_year_eur' has value -40000",
        ),
        (["blocks", 0, "max_years"], 0, r"'blocks\[participatiewet\].max_years' has value 0"),
        (["blocks", 0, "hourly"], True, r"'blocks\[0\].hourly' has value True; unknown field"),
        (
            ["blocks", 1, "key"],
            "participatiewet",
            r"'blocks\[participatiewet\].key'.*duplicate block key",
        ),
        (
            ["blocks", 0, "applies_to", "benefits"],
            ["bijstand"],
            r"benefits\[0\]' has value 'bijstand'; allowed: participatiewet",
        ),
        (
            ["blocks", 1, "applies_to", "target_groups"],
            ["jongeren"],
            r"target_groups\[0\]' has value 'jongeren'",
        ),
        (
            ["blocks", 6, "per_month_eur"],
            100,
            r"'blocks\[bbl\]'.*exactly one of value_per_year_eur and per_month_eur",
        ),
        (
            ["blocks", 6, "applies_to"],
            {"benefits": ["ww"]},
            r"a block named in 'kinds' takes no applies_to",
        ),
        (
            ["kinds", "bbl"],
            "leerling",
            r"field 'kinds.bbl' has value 'leerling'; expected 'person', null or a block key",
        ),
        (["kinds", "bbl"], _DELETE, r"field 'kinds.bbl' has value None; missing required field"),
        (
            ["bonuses", 0, "value_per_year_eur"],
            -1,
            r"'bonuses\[50plus\].value_per_year_eur' has value -1",
        ),
        (
            ["bonuses", 2, "applies_to"],
            {"permanent": "ja"},
            r"'bonuses\[vast_contract\].applies_to.permanent' has value 'ja'",
        ),
        (["pso", "trede_3"], 1.5, r"field 'pso.trede_3' has value 1.5; expected a share"),
        (["pso", "trede_4"], 1, r"field 'pso.trede_4' has value 1; unknown field"),
        (["social_purchasing_factor"], -1, r"field 'social_purchasing_factor' has value -1"),
        (["region"], "Utrecht", r"field 'region' has value 'Utrecht'; expected a lower-case slug"),
        (["region"], "amersfoort", r"field 'region' has value 'amersfoort'; the file name"),
        (["label"], _DELETE, r"field 'label' has value None; missing required field"),
    ],
)
def test_a_table_with_a_mistake_is_refused(path: list[Any], value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=r"^utrecht-2024.json: .*" + message):
        validate_table(_mutate(path, value), "utrecht-2024.json")


def test_a_benefit_without_a_block_is_refused_unless_declared_uncounted() -> None:
    data = _raw("utrecht")
    data["blocks"] = [b for b in data["blocks"] if b["key"] != "ww"]
    with pytest.raises(
        ValueError, match=r"field 'blocks' has value 'ww'; no block applies to this benefit"
    ):
        validate_table(data, "utrecht-2024.json")
    data["uncounted_benefits"] = ["ww"]
    assert "ww" in validate_table(data, "utrecht-2024.json").uncounted_benefits


def test_every_sr_benefit_is_covered_in_the_shipped_tables() -> None:
    for t in load_all():
        covered = {
            b for blk in t.person_blocks() for c in blk.applies_to for b in (c.benefits or ())
        }
        assert set(SR_BENEFITS) <= covered | t.uncounted_benefits, t.region


def test_a_conditional_block_alone_does_not_cover_a_benefit() -> None:
    # Holland Rijnland's nugger block with a work limitation must not count as the nugger block.
    data = _raw("holland-rijnland")
    data["blocks"] = [b for b in data["blocks"] if b["key"] != "nugger"]
    with pytest.raises(ValueError, match=r"has value 'anw'; no block applies"):
        validate_table(data, "holland-rijnland-2024.json")


def test_money_is_decimal() -> None:
    t = load_table("utrecht", ON)
    assert isinstance(t.block("ww").value_per_year_eur, Decimal)
    assert isinstance(t.fulltime_hours, Decimal)
