"""Profiles and outcomes of the demo world straight from its CSVs, and the model comparison.

Until the database importer serves profiles, this builds ``CandidateProfile`` /
``VacancyProfile`` from ``fixtures/demo/*.csv`` with the shared normaliser and geodata, and
outcomes as ``(candidate_id, vacancy_id, status, date)``. Run it to compare the ranker's
model families with the baseline on the demo world's time-based hold-out::

    .venv/bin/python -m bench.demo_profiles [--cutoff 2026-03-01]

Protected columns of the demo file (``birth_year``, ``gender``) are never read.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from matcher.geo import get_geo
from matcher.normalize import (
    get_normalizer,
    normalize_dutch_level,
    normalize_education,
    normalize_licences,
)
from matcher.profiles import CandidateProfile, ConceptRef, VacancyProfile
from matcher.vocab import DEFAULT_HOURS_PER_WEEK, DEFAULT_MAX_TRAVEL_KM

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"


def _rows(name: str, directory: Path) -> list[dict[str, str]]:
    with open(directory / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _list(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").replace("|", ";").split(";") if p.strip()]


def _date(cell: str | None) -> date | None:
    cell = (cell or "").strip()
    if not cell:
        return None
    if "-" in cell and len(cell.split("-")[0]) == 2:  # Dutch 01-03-2026
        d, m, y = cell.split("-")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(cell)


def _num(cell: str | None, default: float | None = None) -> float | None:
    cell = (cell or "").strip()
    return float(cell) if cell else default


def _safe(fn, cell: str | None):  # type: ignore[no-untyped-def]
    """A normaliser's answer, or None when the cell is blank or not understood (the importer
    reports those; for evaluation they are simply unknown)."""
    if not cell or (isinstance(cell, str) and not cell.strip()):
        return None
    try:
        return fn(cell)
    except ValueError:
        return None


def load_demo(
    directory: Path = DEMO,
) -> tuple[list[CandidateProfile], list[VacancyProfile], list[tuple[int, int, str, date]]]:
    """Candidates, vacancies and outcomes of the demo world (ids are row numbers)."""
    norm, geo = get_normalizer(), get_geo()
    crow = _rows("candidates.csv", directory)
    vrow = _rows("vacancies.csv", directory)
    cnorm = norm.profiles([(_list(r["skills"]), _list(r["occupations"])) for r in crow])
    candidates = []
    for i, (r, n) in enumerate(zip(crow, cnorm, strict=True), start=1):
        lat, lon = geo.coords(r["postcode"])
        lic = [x for x in _list(r["driving_licences"]) if x.lower() not in ("heftruck", "forklift")]
        candidates.append(
            CandidateProfile(
                id=i,
                ref=r["candidate_ref"],
                pc4=r["postcode"][:4],
                lat=lat,
                lon=lon,
                benefit=r["benefit"],
                target_groups=tuple(_list(r["target_groups"])),
                ladder_step=int(r["ladder_step"]) if r["ladder_step"].strip() else None,
                education_level=_safe(normalize_education, r["education"]),
                dutch_level=_safe(normalize_dutch_level, r["dutch_level"]),
                skills=n.skills,
                occupations=n.occupations,
                driving_licences=_safe(normalize_licences, lic) or (),
                hours_per_week=_num(r["hours_per_week"], DEFAULT_HOURS_PER_WEEK) or 0.0,
                max_travel_km=_num(r["max_travel_km"], DEFAULT_MAX_TRAVEL_KM) or 0.0,
                available_from=_date(r["available_from"]),
                unemployed_since=_date(r["unemployed_since"]),
            )
        )
    titles = norm.titles([r["title"] for r in vrow])
    req = norm.profiles([(_list(r["required_skills"]), []) for r in vrow])
    opt = norm.profiles([(_list(r["optional_skills"]), []) for r in vrow])
    vacancies = []
    for j, (r, t, rq, op) in enumerate(zip(vrow, titles, req, opt, strict=True), start=1):
        lat, lon = geo.coords(r["postcode"])
        vacancies.append(
            VacancyProfile(
                id=j,
                ref=r["vacancy_ref"],
                title=r["title"],
                pc4=r["postcode"].replace(" ", "")[:4],
                lat=lat,
                lon=lon,
                hours_per_week=float(r["hours_per_week"]),
                occupation=ConceptRef(t.concept_id, t.confidence) if t.concept_id else None,
                required_skills=tuple(s for s in rq.skills if not s.implied),
                optional_skills=tuple(s for s in op.skills if not s.implied),
                education_min=_safe(normalize_education, r["education_min"]),
                dutch_level_min=_safe(normalize_dutch_level, r["dutch_level_min"]),
                driving_licence=(_safe(normalize_licences, [r["driving_licence"]]) or (None,))[0],
                start_date=_date(r["start_date"]),
                eligible_benefits=tuple(_list(r["eligible_benefits"])),
                eligible_target_groups=tuple(_list(r["eligible_target_groups"])),
            )
        )
    cid = {c.ref: c.id for c in candidates}
    vid = {v.ref: v.id for v in vacancies}
    outcomes = [
        (cid[r["candidate_ref"]], vid[r["vacancy_ref"]], r["status"], _date(r["date"]))
        for r in _rows("outcomes.csv", directory)
    ]
    return candidates, vacancies, outcomes  # type: ignore[return-value]


def main(argv: Sequence[str] | None = None) -> int:
    """Compare model families and the baseline on the demo hold-out; print a markdown table."""
    from matcher.taxonomy import load_taxonomy
    from matcher.training import train_and_evaluate

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cutoff", type=date.fromisoformat, default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    cands, vacs, outcomes = load_demo()
    tax = load_taxonomy()
    print("| variant | NDCG@10 | recall@10 | AUC | baseline NDCG@10 | recall@10 | AUC |")
    print("|---|---|---|---|---|---|---|")
    for model in ("hgb", "logistic"):
        for prior in (100.0, 0.0):
            res = train_and_evaluate(
                cands, vacs, outcomes, cutoff=args.cutoff, seed=args.seed, model=model,
                blend_prior=prior, taxonomy=tax,
            )  # fmt: skip
            m, b = res.metrics, res.baseline_metrics
            print(
                f"| {model} blend_prior={prior:g} (n_train={res.n_train}, n_test={res.n_test}, "
                f"cutoff {res.cutoff}) | {m['ndcg@10']:.3f} | {m['recall@10']:.3f} | "
                f"{m['auc']:.3f} | {b['ndcg@10']:.3f} | {b['recall@10']:.3f} | {b['auc']:.3f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
