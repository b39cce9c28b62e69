"""Factories for the ranking tests: plain functions building profiles and small random worlds.

The taxonomy here is a tiny stand-in with the same shape as ``matcher.taxonomy.Taxonomy``
(``skills``/``occupations`` dicts, ``label(id, lang)``), so these tests do not depend on the
fixture files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from matcher.profiles import CandidateProfile, ConceptRef, VacancyProfile
from matcher.vocab import BENEFITS, DRIVING_LICENCES, TARGET_GROUPS

SKILLS = {
    "sk_heftruck": ("heftruck", "forklift"),
    "sk_orderpicken": ("orderpicken", "order picking"),
    "sk_vca": ("VCA", "VCA safety"),
    "sk_schoonmaken": ("schoonmaken", "cleaning"),
    "sk_koken": ("koken", "cooking"),
    "sk_klantcontact": ("klantcontact", "customer contact"),
    "sk_metselen": ("metselen", "bricklaying"),
    "sk_excel": ("Excel", "Excel"),
}
OCCUPATIONS = {  # id: (nl, en, ISCO-08)
    "oc_orderpicker": ("orderpicker", "order picker", "9321"),
    "oc_magazijnmedewerker": ("magazijnmedewerker", "warehouse worker", "9329"),
    "oc_heftruckchauffeur": ("heftruckchauffeur", "forklift driver", "8344"),
    "oc_schoonmaker": ("schoonmaker", "cleaner", "9112"),
    "oc_kok": ("kok", "cook", "5120"),
    "oc_metselaar": ("metselaar", "bricklayer", "7112"),
}


@dataclass
class MiniTaxonomy:
    """Same interface as ``matcher.taxonomy.Taxonomy`` for what the ranker uses."""

    skills: dict[str, Any] = field(default_factory=dict)
    occupations: dict[str, Any] = field(default_factory=dict)

    def label(self, concept_id: str, lang: str = "nl") -> str:
        c = self.skills.get(concept_id) or self.occupations.get(concept_id)
        if c is None:
            raise ValueError(f"concept_id: unknown concept {concept_id!r}")
        return str(c.label_nl if lang == "nl" else c.label_en)


def mini_taxonomy() -> MiniTaxonomy:
    return MiniTaxonomy(
        skills={
            k: SimpleNamespace(id=k, label_nl=nl, label_en=en) for k, (nl, en) in SKILLS.items()
        },
        occupations={
            k: SimpleNamespace(id=k, label_nl=nl, label_en=en, isco08=isco)
            for k, (nl, en, isco) in OCCUPATIONS.items()
        },
    )


@pytest.fixture
def taxonomy() -> MiniTaxonomy:
    return mini_taxonomy()


UTRECHT = (52.0907, 5.1214)


def make_candidate(**overrides: Any) -> CandidateProfile:
    """A complete, eligible-by-default candidate in Utrecht; override any field."""
    values: dict[str, Any] = {
        "id": 1,
        "ref": "K-1",
        "pc4": "3511",
        "lat": UTRECHT[0],
        "lon": UTRECHT[1],
        "benefit": "participatiewet",
        "ladder_step": 4,
        "education_level": 2,
        "dutch_level": 3,
        "skills": (ConceptRef("sk_heftruck"), ConceptRef("sk_orderpicken")),
        "occupations": (ConceptRef("oc_orderpicker"),),
        "driving_licences": ("B",),
        "hours_per_week": 32.0,
        "max_travel_km": 25.0,
        "unemployed_since": date(2024, 1, 1),
    }
    values.update(overrides)
    if "ref" not in overrides:
        values["ref"] = f"K-{values['id']}"
    return CandidateProfile(**values)


def make_vacancy(**overrides: Any) -> VacancyProfile:
    """An orderpicker vacancy in Utrecht; override any field."""
    values: dict[str, Any] = {
        "id": 100,
        "ref": "V-100",
        "title": "Orderpicker",
        "pc4": "3512",
        "lat": UTRECHT[0] + 0.01,
        "lon": UTRECHT[1] + 0.01,
        "hours_per_week": 32.0,
        "occupation": ConceptRef("oc_orderpicker"),
        "required_skills": (
            ConceptRef("sk_heftruck"),
            ConceptRef("sk_orderpicken"),
            ConceptRef("sk_vca"),
        ),
        "optional_skills": (ConceptRef("sk_klantcontact"),),
        "education_min": 1,
        "dutch_level_min": 2,
        "start_date": date(2026, 3, 1),
    }
    values.update(overrides)
    if "ref" not in overrides:
        values["ref"] = f"V-{values['id']}"
    return VacancyProfile(**values)


def random_candidate(rng: random.Random, cid: int) -> CandidateProfile:
    """A random candidate within ~60 km of Utrecht, with gaps like real profiles."""
    skills = tuple(
        ConceptRef(s, round(rng.uniform(0.5, 1.0), 2), implied=rng.random() < 0.3)
        for s in rng.sample(sorted(SKILLS), rng.randint(0, 4))
    )
    occs = tuple(ConceptRef(o, 1.0) for o in rng.sample(sorted(OCCUPATIONS), rng.randint(0, 2)))
    return make_candidate(
        id=cid,
        lat=UTRECHT[0] + rng.uniform(-0.4, 0.4),
        lon=UTRECHT[1] + rng.uniform(-0.5, 0.5),
        benefit=rng.choice(BENEFITS),
        target_groups=tuple(rng.sample(TARGET_GROUPS, rng.randint(0, 2))),
        ladder_step=rng.choice([None, 1, 2, 3, 4, 5, 6]),
        education_level=rng.choice([None, 0, 1, 2, 3, 4, 6]),
        dutch_level=rng.choice([None, 0, 1, 2, 3, 4, 5, 6, 7]),
        skills=skills,
        occupations=occs,
        driving_licences=tuple(rng.sample(DRIVING_LICENCES, rng.randint(0, 2))),
        hours_per_week=float(rng.choice([8, 16, 24, 32, 36, 40])),
        max_travel_km=float(rng.choice([5, 10, 25, 40])),
        available_from=rng.choice([None, date(2026, 1, 1), date(2026, 6, 1)]),
        unemployed_since=rng.choice([None, date(2020, 5, 1), date(2025, 2, 1)]),
        coach_id=rng.choice([None, 1, 2]),
        active=rng.random() > 0.05,
    )


def random_vacancy(rng: random.Random, vid: int, candidate_ids: list[int]) -> VacancyProfile:
    """A random vacancy near Utrecht, sometimes with strict rules."""
    skills = sorted(SKILLS)
    req = tuple(ConceptRef(s, 1.0) for s in rng.sample(skills, rng.randint(0, 3)))
    opt = tuple(ConceptRef(s, 0.8) for s in rng.sample(skills, rng.randint(0, 2)))
    return make_vacancy(
        id=vid,
        lat=UTRECHT[0] + rng.uniform(-0.3, 0.3),
        lon=UTRECHT[1] + rng.uniform(-0.3, 0.3),
        hours_per_week=float(rng.choice([16, 24, 32, 38])),
        occupation=rng.choice([None, *(ConceptRef(o) for o in sorted(OCCUPATIONS))]),
        required_skills=req,
        optional_skills=opt,
        education_min=rng.choice([None, 1, 2, 3]),
        dutch_level_min=rng.choice([None, 1, 2, 3]),
        driving_licence=rng.choice([None, None, "B", "C"]),
        start_date=rng.choice([None, date(2026, 2, 1), date(2026, 9, 1)]),
        eligible_benefits=rng.choice([(), ("participatiewet",), ("ww", "wia", "wajong")]),
        eligible_target_groups=rng.choice([(), ("banenafspraak",), ("statushouder", "50plus")]),
        excluded_candidate_ids=frozenset(rng.sample(candidate_ids, min(3, len(candidate_ids)))),
    )


def random_world(
    seed: int, n_candidates: int, n_vacancies: int
) -> tuple[list[CandidateProfile], list[VacancyProfile]]:
    rng = random.Random(seed)
    cands = [random_candidate(rng, i + 1) for i in range(n_candidates)]
    ids = [c.id for c in cands]
    vacs = [random_vacancy(rng, 1000 + j, ids) for j in range(n_vacancies)]
    return cands, vacs


AS_OF = date(2026, 1, 15)
__all__ = ["AS_OF", "make_candidate", "make_vacancy", "mini_taxonomy", "random_world", "timedelta"]


def training_world(seed: int = 0, n_candidates: int = 300, n_vacancies: int = 40):
    """Candidates, vacancies and outcomes driven by a hidden rule the ranker can learn.

    The hidden fit prefers required skills, a short commute and matching hours; the baseline
    knows the first two only roughly, so a trained model has something to gain.
    """
    from matcher.features import pair_frame

    cands, vacs = random_world(seed, n_candidates, n_vacancies)
    rng = random.Random(seed + 1)
    pairs = [(c, v) for v in vacs for c in rng.sample(cands, 12)]
    F = pair_frame([(c, v, AS_OF) for c, v in pairs])
    logit = (
        3.0 * F["required_skill_share"]
        - 4.0 * F["distance_share"]
        + 2.5 * (F["hours_fit"] > 0.9)
        + 1.5 * F["occupation_match"]
        - 1.0
    ).to_numpy()
    outcomes = []
    start = date(2025, 1, 1)
    for k, ((c, v), z) in enumerate(zip(pairs, logit, strict=True)):
        day = start + timedelta(days=int(k * 400 / len(pairs)))
        outcomes.append((c.id, v.id, "proposed", day))
        p = 1 / (1 + pow(2.718281828, -(z + rng.gauss(0, 0.5))))
        if rng.random() < p:
            outcomes.append((c.id, v.id, "interviewed", day + timedelta(days=10)))
            if rng.random() < 0.5:
                outcomes.append((c.id, v.id, "hired", day + timedelta(days=30)))
        else:
            outcomes.append((c.id, v.id, "rejected", day + timedelta(days=12)))
    return cands, vacs, outcomes


@pytest.fixture(scope="session")
def trained_ranker():
    """A ranker fitted on the synthetic training world with a fixed seed."""
    from matcher.training import train_and_evaluate

    cands, vacs, outcomes = training_world()
    return train_and_evaluate(cands, vacs, outcomes, seed=0).ranker
