"""A seeded evaluation world that is not the demo, with a hidden true fit.

The world has its own occupations and skills (``words.json`` beside this file: ids that mean
nothing to the engine, Dutch surface forms as coaches and vacancy boards write them, ISCO-08 unit
groups). Nothing here reads ``fixtures/taxonomy`` or the matcher's concept tables: the engine only
ever sees the text. Postcodes are real PC4 areas (``fixtures/geo/pc4.csv``), and the true
distance between two areas is the great-circle distance of their PC4 coordinates.

Every candidate has a *true* profile (occupations held, skills held) and a *written* one: what a
coach typed (some skills left out, synonyms, English, abbreviations, typos). Every vacancy has a
true occupation and skill requirements and a board-style text ("Ervaren Orderpicker (m/v/x)
32-40 uur"). The hidden true fit of a pair (:func:`true_fit`) combines occupation affinity (same
occupation, same ISCO unit / minor / sub-major group), coverage of the required skills weighted
by how specific each skill is, travel within the candidate's limit, hours and Dutch level. A
pair that breaks a hard rule (beyond the travel limit, a missing licence, a benefit that does not
count, not available by the start date) has no fit at all.

History: past vacancies (2025-01 to 2026-10) got proposals from coaches who mostly, but not
always, picked well; what then happened (introduced, interviewed, hired, rejected, withdrawn)
follows the true fit plus noise. Future vacancies (starting 2026-12 onwards) have no history:
they are what the engine must shortlist.

Usage::

    python -m bench.evalworld.generate --out var/eval/world-11 --seed 11

writes the data-contract files ``candidates.csv``, ``vacancies.csv``, ``outcomes.csv`` (and
``truth.csv``: the true fit of every eligible future pair, which no engine import reads).
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
WORDS = Path(__file__).resolve().parent / "words.json"
PC4_TABLE = ROOT / "fixtures" / "geo" / "pc4.csv"

#: Regions: name, reference prefix, PC4 prefixes (the first is the core city).
REGIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Rotterdam", "RTM", ("30", "31", "29", "32")),
    ("Utrecht", "UTR", ("35", "34", "37", "39")),
    ("Amsterdam", "AMS", ("10", "11", "15", "14")),
    ("Eindhoven", "EHV", ("56", "55", "57", "58")),
    ("Groningen", "GRO", ("97", "96", "93", "98")),
)
BENEFITS = (
    ("participatiewet", 0.44),
    ("ww", 0.24),
    ("wajong", 0.08),
    ("wia", 0.08),
    ("ioaw", 0.04),
    ("nugger", 0.07),
    ("none", 0.05),
)
SR_BENEFITS = ("participatiewet", "ww", "wajong", "wia", "ioaw", "ioaz", "anw", "nugger")
TRAVEL = ((5, 0.08), (8, 0.08), (10, 0.18), (15, 0.18), (20, 0.14), (25, 0.1), (30, 0.1),
          (40, 0.06))  # fmt: skip
HOURS = (16, 20, 24, 28, 32, 36, 38, 40)
EDUCATION = (("geen", 0.08), ("vmbo", 0.3), ("mbo1", 0.12), ("mbo2", 0.25), ("mbo3", 0.15),
             ("havo", 0.05), ("mbo4", 0.05))  # fmt: skip
DUTCH = (("A1", 0.06), ("A2", 0.16), ("B1", 0.22), ("B2", 0.14), ("moedertaal", 0.42))
DUTCH_ORD = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "moedertaal": 7}
LICENCE_ORDER = {"B": ("B",), "C": ("B", "C"), "CE": ("B", "C", "CE"), "D": ("B", "D")}
FIRST_PAST = date(2025, 1, 6)
LAST_PAST = date(2026, 9, 30)
FIRST_FUTURE = date(2026, 12, 1)

#: Weights of the hidden true fit (they sum to 1).
FIT_WEIGHTS = {"occupation": 0.38, "skills": 0.32, "optional": 0.08, "travel": 0.10,
               "hours": 0.07, "dutch": 0.05}  # fmt: skip
#: Occupation affinity by the longest shared ISCO-08 prefix.
AFFINITY = {4: 0.7, 3: 0.45, 2: 0.2}


@dataclass
class Words:
    skills: dict[str, dict]  # id -> {"w": specificity, "forms": [...]}
    occupations: dict[str, dict]  # id -> {"isco", "titles", "req", "opt", "licence"?}


def load_words(path: Path = WORDS) -> Words:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Words(data["skills"], data["occupations"])


def load_pc4(path: Path = PC4_TABLE) -> dict[str, tuple[float, float]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {r["pc4"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)}


def km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance, km (the world's own, so the truth does not call the engine)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlon = np.radians(lon2 - lon1)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


@dataclass
class Candidate:
    ref: str
    pc4: str
    lat: float
    lon: float
    benefit: str
    occupations: list[str]
    skills: set[str]
    hours: int
    max_travel_km: float
    dutch: str
    licences: tuple[str, ...]
    available_from: date | None
    row: dict[str, str] = field(default_factory=dict)


@dataclass
class Vacancy:
    ref: str
    pc4: str
    lat: float
    lon: float
    occupation: str
    required: list[str]
    optional: list[str]
    hours: int
    start: date
    licence: str
    dutch_min: str
    eligible_benefits: tuple[str, ...]
    positions: int
    future: bool
    row: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    seed: int
    candidates: list[Candidate]
    vacancies: list[Vacancy]
    outcomes: list[dict[str, str]]
    fit: np.ndarray  # (n_candidates, n_vacancies) true fit, 0 where a hard rule fails
    eligible: np.ndarray  # (n_candidates, n_vacancies) bool: passes every hard rule (truth)
    distance: np.ndarray  # (n_candidates, n_vacancies) true distance, km

    def future(self) -> list[int]:
        return [j for j, v in enumerate(self.vacancies) if v.future]


# -- messy text -----------------------------------------------------------------------------------


def typo(rng: np.random.Generator, text: str) -> str:
    """One keyboard slip in a word of 6+ letters: a dropped, doubled or swapped letter."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long:
        return text
    i = int(rng.choice(long))
    w = words[i]
    k = int(rng.integers(1, len(w) - 2))
    kind = int(rng.integers(3))
    if kind == 0:
        w = w[:k] + w[k + 1 :]
    elif kind == 1:
        w = w[:k] + w[k] + w[k:]
    else:
        w = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
    words[i] = w
    return " ".join(words)


def skill_text(rng: np.random.Generator, words: Words, sid: str, typo_rate: float) -> str:
    forms = words.skills[sid]["forms"]
    text = str(forms[int(rng.integers(len(forms)))])
    if rng.random() < typo_rate:
        text = typo(rng, text)
    if rng.random() < 0.08:
        text = text.capitalize()
    return text


def board_title(rng: np.random.Generator, words: Words, oid: str) -> str:
    """A vacancy-board title: seniority, gender marker, hours, SR tag, capitals, a typo."""
    titles = words.occupations[oid]["titles"]
    title = str(titles[int(rng.integers(len(titles)))])
    r = rng.random()
    if r < 0.15:
        title = "Ervaren " + title
    elif r < 0.22:
        title = "Leerling " + title.removeprefix("leerling ") + " (BBL)"
    elif r < 0.28:
        title = "Junior " + title
    elif r < 0.33:
        title = "Allround " + title
    title = title[0].upper() + title[1:]
    if rng.random() < 0.45:
        title += str(rng.choice([" (m/v/x)", " (m/v)", " m/v", " (v/m/x)"]))
    if rng.random() < 0.3:
        title += str(rng.choice([" 32-40 uur", " 24 uur", " fulltime", " parttime", " 36 uur"]))
    if rng.random() < 0.15:
        title += str(rng.choice([" - Social Return", " gezocht!", " | regio", " - direct starten"]))
    if rng.random() < 0.1:
        title = typo(rng, title)
    if rng.random() < 0.08:
        title = title.upper()
    return title


def coach_occupation(rng: np.random.Generator, words: Words, oid: str) -> str:
    titles = words.occupations[oid]["titles"]
    text = str(titles[int(rng.integers(len(titles)))]).removeprefix("leerling ")
    if rng.random() < 0.1:
        text = typo(rng, text)
    return text


# -- the world -------------------------------------------------------------------------------------


def _pick(rng: np.random.Generator, options: tuple[tuple[object, float], ...]) -> object:
    p = np.array([w for _, w in options], dtype=np.float64)
    return options[int(rng.choice(len(options), p=p / p.sum()))][0]


def _place(
    rng: np.random.Generator, region: tuple[str, str, tuple[str, ...]], by_prefix: dict, core: float
) -> str:
    prefixes = region[2]
    prefix = prefixes[0] if rng.random() < core else prefixes[int(rng.integers(1, len(prefixes)))]
    codes = by_prefix[prefix]
    return str(codes[int(rng.integers(len(codes)))])


def _affinity(isco_a: str, isco_b: str) -> float:
    for digits in (4, 3, 2):
        if isco_a[:digits] == isco_b[:digits]:
            return AFFINITY[digits]
    return 0.0


def true_fit(
    words: Words, cands: list[Candidate], vacs: list[Vacancy]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hidden true fit (n_cand, n_vac) in 0..1, truth of the hard rules, and true distances."""
    occ_ids = list(words.occupations)
    skill_ids = list(words.skills)
    oc = {o: i for i, o in enumerate(occ_ids)}
    sk = {s: i for i, s in enumerate(skill_ids)}
    n, m = len(cands), len(vacs)
    spec = np.array([words.skills[s]["w"] for s in skill_ids])
    held = np.zeros((n, len(skill_ids)))
    for i, c in enumerate(cands):
        held[i, [sk[s] for s in c.skills]] = 1.0
    req = np.zeros((m, len(skill_ids)))
    opt = np.zeros((m, len(skill_ids)))
    for j, v in enumerate(vacs):
        req[j, [sk[s] for s in v.required]] = 1.0
        if v.optional:
            opt[j, [sk[s] for s in v.optional]] = 1.0
    skills = (held * spec) @ req.T / np.maximum((req * spec).sum(axis=1), 1e-9)[None, :]
    opt_w = (opt * spec).sum(axis=1)
    optional = np.where(opt_w > 0, (held * spec) @ opt.T / np.maximum(opt_w, 1e-9), 0.0)
    aff = np.array([[1.0 if a == b else _affinity(words.occupations[a]["isco"],
                                                  words.occupations[b]["isco"])
                     for b in occ_ids] for a in occ_ids])  # fmt: skip
    occupation = np.zeros((n, m))
    vocc = np.array([oc[v.occupation] for v in vacs])
    for i, c in enumerate(cands):
        if c.occupations:
            occupation[i] = aff[[oc[o] for o in c.occupations]][:, vocc].max(axis=0)
    clat = np.array([c.lat for c in cands])
    clon = np.array([c.lon for c in cands])
    dist = km(clat[:, None], clon[:, None], np.array([v.lat for v in vacs])[None, :],
              np.array([v.lon for v in vacs])[None, :])  # fmt: skip
    limit = np.array([c.max_travel_km for c in cands])[:, None]
    share = dist / limit
    travel = np.where(share < 0.5, 1.0, 1.0 - 1.2 * (share - 0.5))
    ch = np.array([c.hours for c in cands], dtype=np.float64)[:, None]
    vh = np.array([v.hours for v in vacs], dtype=np.float64)[None, :]
    hours = np.minimum(ch, vh) / np.maximum(ch, vh)
    cd = np.array([DUTCH_ORD[c.dutch] for c in cands])[:, None]
    vd = np.array([DUTCH_ORD.get(v.dutch_min, 0) for v in vacs])[None, :]
    dutch = np.where(cd >= vd, 1.0, 0.5 ** (vd - cd))
    w = FIT_WEIGHTS
    fit = (
        w["occupation"] * occupation
        + w["skills"] * skills
        + w["optional"] * optional
        + w["travel"] * travel
        + w["hours"] * hours
        + w["dutch"] * dutch
    )
    fit += 0.05 * ((occupation >= 1.0) & (skills >= 0.5))  # experience in the very job
    fit = np.clip(fit, 0.0, 1.0)
    # hard rules (the truth): reach, licence, benefit, availability
    reach = dist <= limit
    lic = np.ones((n, m), dtype=bool)
    for j, v in enumerate(vacs):
        if v.licence:
            lic[:, j] = [v.licence in c.licences for c in cands]  # tuples are cumulative
    ben = np.array([[c.benefit in (v.eligible_benefits or SR_BENEFITS) for v in vacs]
                    for c in cands])  # fmt: skip
    avail = np.array([[c.available_from is None or c.available_from <= v.start for v in vacs]
                      for c in cands])  # fmt: skip
    eligible = reach & lic & ben & avail
    return np.where(eligible, fit, 0.0), eligible, dist


def generate(
    seed: int,
    *,
    n_candidates: int = 3000,
    n_past: int = 420,
    n_future: int = 80,
    words: Words | None = None,
) -> World:
    """Build a world; the same seed and PC4 table give the same world."""
    rng = np.random.default_rng(seed)
    words = words or load_words()
    pc4 = load_pc4()
    by_prefix: dict[str, list[str]] = {}
    for code in sorted(pc4):
        by_prefix.setdefault(code[:2], []).append(code)
    occ_ids = list(words.occupations)
    # how common each occupation is among candidates and among vacancies (seeded per world)
    supply = rng.dirichlet(np.full(len(occ_ids), 1.5))
    demand = 0.5 * supply + 0.5 * rng.dirichlet(np.full(len(occ_ids), 1.5))
    related: dict[str, list[str]] = {
        o: [p for p in occ_ids if p != o and
            words.occupations[p]["isco"][:2] == words.occupations[o]["isco"][:2]]
        for o in occ_ids
    }  # fmt: skip
    generic = ["team", "punctual", "independent", "customer", "lift"]

    cands: list[Candidate] = []
    for n in range(n_candidates):
        region = REGIONS[int(rng.integers(len(REGIONS)))]
        code = _place(rng, region, by_prefix, core=0.65)
        main = occ_ids[int(rng.choice(len(occ_ids), p=supply))]
        occs = [main]
        if rng.random() < 0.3:
            pool = related[main] if related[main] and rng.random() < 0.6 else occ_ids
            second = pool[int(rng.integers(len(pool)))]
            if second != main:
                occs.append(second)
        if rng.random() < 0.08:
            occs = []  # no work history at all
        true_skills: set[str] = set()
        for o in occs:
            spec = words.occupations[o]
            true_skills |= {s for s in spec["req"] if rng.random() < 0.85}
            true_skills |= {s for s in spec["opt"] if rng.random() < 0.45}
        true_skills |= {s for s in generic if rng.random() < 0.35}
        written = [skill_text(rng, words, s, 0.12) for s in sorted(true_skills)
                   if rng.random() < 0.65]  # fmt: skip
        if rng.random() < 0.06:  # a skill the coach believed but the candidate lacks
            written.append(skill_text(rng, words, str(rng.choice(list(words.skills))), 0.1))
        rng.shuffle(written)
        wrote_occ = [coach_occupation(rng, words, o) for o in occs if rng.random() < 0.75]
        licences: tuple[str, ...] = ()
        r = rng.random()
        if r < 0.42:
            licences = ("B",)
        elif r < 0.47:
            licences = ("B", "C")
        elif r < 0.50:
            licences = ("B", "C", "CE")
        elif r < 0.52:
            licences = ("B", "D")
        if occs and words.occupations[occs[0]].get("licence") and rng.random() < 0.85:
            licences = LICENCE_ORDER[words.occupations[occs[0]]["licence"]]
        travel_blank = rng.random() < 0.1
        limit = 25.0 if travel_blank else float(_pick(rng, TRAVEL))  # type: ignore[arg-type]
        hours_blank = rng.random() < 0.15
        hours = 32 if hours_blank else int(rng.choice(HOURS))
        available = None
        if rng.random() < 0.12:
            available = FIRST_FUTURE + timedelta(days=int(rng.integers(-400, 120)))
        unemployed = LAST_PAST - timedelta(days=int(rng.integers(30, 3000)))
        dutch = str(_pick(rng, DUTCH))
        c = Candidate(
            ref=f"{region[1]}-{n + 1:05d}",
            pc4=code,
            lat=pc4[code][0],
            lon=pc4[code][1],
            benefit=str(_pick(rng, BENEFITS)),
            occupations=occs,
            skills=true_skills,
            hours=hours,
            max_travel_km=limit,
            dutch=dutch,
            licences=licences,
            available_from=available,
        )
        letters = "".join(chr(65 + int(x)) for x in rng.integers(0, 26, 2))
        if letters in ("SA", "SD", "SS"):  # never issued in Dutch postcodes
            letters = "AB"
        forms = [code, code + letters, f"{code} {letters}", f"{code}{letters.lower()}"]
        postcode = str(rng.choice(forms))
        c.row = {
            "candidate_ref": c.ref,
            "municipality": region[0],
            "postcode": postcode,
            "benefit": c.benefit,
            "target_groups": "",
            "ladder_step": str(int(rng.integers(2, 7))),
            "education": str(_pick(rng, EDUCATION)),
            "skills": ";".join(written),
            "occupations": ";".join(wrote_occ),
            "dutch_level": dutch,
            "driving_licences": ";".join(licences),
            "hours_per_week": "" if hours_blank else str(hours),
            "max_travel_km": "" if travel_blank else f"{limit:g}",
            "available_from": available.isoformat() if available else "",
            "unemployed_since": unemployed.isoformat(),
        }
        cands.append(c)

    vacs: list[Vacancy] = []
    span = (LAST_PAST - FIRST_PAST).days
    for n in range(n_past + n_future):
        future = n >= n_past
        region = REGIONS[int(rng.integers(len(REGIONS)))]
        code = _place(rng, region, by_prefix, core=0.5)
        oid = occ_ids[int(rng.choice(len(occ_ids), p=demand))]
        spec = words.occupations[oid]
        required = [s for s in spec["req"] if rng.random() < 0.9] or list(spec["req"][:1])
        optional = [s for s in spec["opt"] if rng.random() < 0.55]
        if rng.random() < 0.3:
            extra = str(rng.choice(generic))
            if extra not in required and extra not in optional:
                optional.append(extra)
        if future:
            start = FIRST_FUTURE + timedelta(days=int(rng.integers(0, 100)))
        else:
            start = FIRST_PAST + timedelta(days=int(n * span / n_past) + int(rng.integers(0, 20)))
        hours = int(rng.choice(HOURS))
        dutch_min = str(rng.choice(["A2", "B1"])) if rng.random() < 0.25 else ""
        eligible = ()
        if rng.random() < 0.12:
            eligible = ("participatiewet", "wajong")
        v = Vacancy(
            ref=f"EV-{'F' if future else 'P'}{n + 1:04d}",
            pc4=code,
            lat=pc4[code][0],
            lon=pc4[code][1],
            occupation=oid,
            required=required,
            optional=optional,
            hours=hours,
            start=start,
            licence=str(spec.get("licence", "")),
            dutch_min=dutch_min,
            eligible_benefits=eligible,
            positions=int(rng.choice([1, 1, 1, 2, 3])),
            future=future,
        )
        req_text = [skill_text(rng, words, s, 0.05) for s in required]
        opt_text = [skill_text(rng, words, s, 0.05) for s in optional]
        title = board_title(rng, words, oid)
        v.row = {
            "vacancy_ref": v.ref,
            "contractor": f"Aannemer {region[0]} {1 + int(rng.integers(6))} B.V.",
            "title": title,
            "description": (
                f"Voor een project in de regio {region[0]} zoeken wij een {title.lower()}. "
                f"Je werkt {hours} uur per week."
            ),
            "required_skills": ";".join(req_text),
            "optional_skills": ";".join(opt_text),
            "postcode": code,
            "hours_per_week": str(hours),
            "positions": str(v.positions),
            "start_date": start.isoformat(),
            "eligible_benefits": ";".join(eligible),
            "dutch_level_min": dutch_min,
            "driving_licence": v.licence,
            "status": "open" if future else "closed",
        }
        vacs.append(v)

    fit, eligible_mask, dist = true_fit(words, cands, vacs)
    outcomes = _history(rng, cands, vacs, fit, eligible_mask)
    return World(seed, cands, vacs, outcomes, fit, eligible_mask, dist)


def _history(
    rng: np.random.Generator,
    cands: list[Candidate],
    vacs: list[Vacancy],
    fit: np.ndarray,
    eligible: np.ndarray,
) -> list[dict[str, str]]:
    """Proposals by coaches (noisy but sensible) and what came of them."""
    rows: list[dict[str, str]] = []
    motivation = rng.normal(0.0, 0.04, len(cands))  # hidden, never written anywhere
    for j, v in enumerate(vacs):
        if v.future:
            continue
        pool = np.flatnonzero(eligible[:, j])
        if len(pool) == 0:
            continue
        k = min(len(pool), int(rng.integers(4, 11)))
        seen = fit[pool, j] + rng.normal(0.0, 0.12, len(pool))  # what the coach judged
        p = np.exp(6.0 * (seen - seen.max()))
        chosen = rng.choice(pool, size=k, replace=False, p=p / p.sum())
        latent = fit[chosen, j] + motivation[chosen] + rng.normal(0.0, 0.07, k)
        order = np.argsort(-latent)
        hires = {int(chosen[i]) for i in order[: v.positions] if latent[i] >= 0.66}
        posted = v.start - timedelta(days=int(rng.integers(20, 45)))
        for i, c in enumerate(chosen):
            day = posted + timedelta(days=int(rng.integers(0, 10)))
            steps = ["proposed"]
            if latent[i] >= 0.50:
                steps.append("introduced")
                if latent[i] >= 0.60:
                    steps.append("interviewed")
                    steps.append("hired" if int(c) in hires else "rejected")
                else:
                    steps.append("rejected")
            else:
                steps.append(str(rng.choice(["rejected", "withdrawn", "proposed"])))
            for step in dict.fromkeys(steps):
                rows.append(
                    {
                        "candidate_ref": cands[int(c)].ref,
                        "vacancy_ref": v.ref,
                        "status": step,
                        "date": day.isoformat(),
                        "reason": "",
                    }
                )
                day += timedelta(days=int(rng.integers(3, 12)))
    return rows


def write(world: World, out: Path) -> dict[str, int]:
    """The data-contract files, plus ``truth.csv`` (never imported)."""
    out.mkdir(parents=True, exist_ok=True)

    def dump(name: str, rows: list[dict[str, str]]) -> int:
        with (out / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        return len(rows)

    # The world follows the consent workflow (issue 11): everyone in it agreed to share an
    # anonymous profile, and every introduction records how the candidate consented, so
    # interviews and hires come after a consented introduction.
    counts = {
        "candidates": dump(
            "candidates.csv", [{**c.row, "consent_share": "ja"} for c in world.candidates]
        ),
        "vacancies": dump("vacancies.csv", [v.row for v in world.vacancies]),
        "outcomes": dump(
            "outcomes.csv",
            [
                {**o, "consent": "in_person" if o["status"] == "introduced" else ""}
                for o in world.outcomes
            ],
        ),
    }
    truth = [
        {
            "vacancy_ref": world.vacancies[j].ref,
            "candidate_ref": world.candidates[i].ref,
            "fit": f"{world.fit[i, j]:.4f}",
            "distance_km": f"{world.distance[i, j]:.2f}",
        }
        for j in world.future()
        for i in np.flatnonzero(world.eligible[:, j])
    ]
    counts["truth"] = dump("truth.csv", truth)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write a seeded evaluation world as CSV files")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--candidates", type=int, default=3000)
    args = parser.parse_args(argv)
    world = generate(args.seed, n_candidates=args.candidates)
    counts = write(world, args.out)
    print(json.dumps({"seed": args.seed, **counts}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
