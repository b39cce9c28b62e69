"""Benchmark: normalise 100,000 generated candidate profiles (about six skills each).

Two approaches on the same generated profiles:

* **batch**: ``Normalizer.profiles`` — every distinct string once, exact dictionary first, then
  rapidfuzz ``process.cdist`` on what is left (what the importer uses);
* **naive**: one ``process.extractOne`` per string over all surface forms, the way one would
  write it first. It is far too slow to run on all 600,000 strings, so it is timed on a random
  sample of strings and extrapolated linearly; the table says so.

The profiles are seeded and realistic: surface forms of real taxonomy concepts (Dutch and
English, synonyms and abbreviations) with random case, spacing changes in compounds, typos
(a dropped, doubled, swapped or replaced letter) and a few strings outside the taxonomy; each
profile also carries one or two job titles with vacancy noise such as ``(m/v)``: 80% from the
curated Social Return occupations (with their ESCO labels), 20% from the other ESCO
occupations. The normaliser matches against the whole vocabulary (every ESCO occupation).

Run ``python bench/bench_normalize.py`` or ``make bench``.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process, utils

from matcher.normalize import DEFAULT_SKILL_CUTOFF, Normalizer
from matcher.taxonomy import load_taxonomy

N_PROFILES = 100_000
SKILLS_PER_PROFILE = 6
NAIVE_SAMPLE = 3_000
SEED = 20260301
#: Issue 12 target for the batch path on this 2-core machine, with every ESCO occupation in the
#: vocabulary (issue 3 asked for 20 s with the curated vocabulary alone).
TARGET_SECONDS = 10.0
#: Share of titles drawn from the ESCO-only occupations rather than the curated SR ones.
ESCO_TITLE_SHARE = 0.2

#: Strings a coach might type that are not in the taxonomy (hobbies, other professions).
OUTSIDE = (
    "pianospelen",
    "schaken",
    "paardrijden",
    "vioolles",
    "kernfysica",
    "toneelspelen",
    "zeilen",
    "breien",
    "yoga",
    "geen rijbewijs",
)
TITLE_NOISE = ("", "", "", " (m/v)", " (m/v/x)", " 32 uur", " ervaren", " gezocht")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]  # dropped letter
    if kind == 1:
        return text[:i] + text[i] + text[i:]  # doubled letter
    if kind == 2:
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]  # swapped letters
    return text[:i] + rng.choice(LETTERS) + text[i + 1 :]  # replaced letter


def _mess(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.20:
        text = _typo(rng, text)
    elif roll < 0.30 and " " not in text and len(text) > 8:
        cut = rng.randrange(3, len(text) - 3)
        text = text[:cut] + " " + text[cut:]  # "order picken" style split compound
    elif roll < 0.35:
        text = text.replace(" ", "")
    case = rng.random()
    if case < 0.3:
        text = text.lower()
    elif case < 0.4:
        text = text.upper()
    elif case < 0.6:
        text = text.capitalize()
    return text


def generate(n_profiles: int = N_PROFILES, seed: int = SEED) -> list[tuple[list[str], list[str]]]:
    """Seeded messy profiles: (skills, occupations) per profile."""
    rng = random.Random(seed)
    taxonomy = load_taxonomy()
    skill_forms = [form for s in taxonomy.skills.values() for form in s.surface_forms]
    # Titles: mostly the occupations Social Return candidates work in (the curated ones, with
    # their ESCO labels), the rest any of ESCO's 3,007 occupations (ESCO_TITLE_SHARE).
    sr_forms = [
        form
        for o in taxonomy.occupations.values()
        if o.source == "curated"
        for form in o.surface_forms
    ]
    esco_forms = [
        form
        for o in taxonomy.occupations.values()
        if o.source == "esco"
        for form in o.surface_forms
    ]
    profiles = []
    for _ in range(n_profiles):
        n_skills = max(1, round(rng.gauss(SKILLS_PER_PROFILE, 1.5)))
        skills = [
            rng.choice(OUTSIDE) if rng.random() < 0.03 else _mess(rng, rng.choice(skill_forms))
            for _ in range(n_skills)
        ]
        titles = [
            _mess(rng, rng.choice(esco_forms if rng.random() < ESCO_TITLE_SHARE else sr_forms))
            + rng.choice(TITLE_NOISE)
            for _ in range(rng.choice((1, 1, 2)))
        ]
        profiles.append((skills, titles))
    return profiles


def run(n_profiles: int = N_PROFILES, naive_sample: int = NAIVE_SAMPLE) -> list[dict[str, object]]:
    """Time both approaches; one row per approach (see the module docstring)."""
    profiles = generate(n_profiles)
    n_strings = sum(len(s) + len(t) for s, t in profiles)
    n_skill_strings = sum(len(s) for s, _ in profiles)

    started = time.perf_counter()
    normalizer = Normalizer(load_taxonomy())
    built = time.perf_counter()
    result = normalizer.profiles(profiles)
    batch_seconds = time.perf_counter() - started
    unknown = sum(len(p.unknown) for p in result)

    # Naive: one extractOne per string against every skill surface form (titles would need a
    # second choice list; timing skills alone flatters the naive approach slightly).
    taxonomy = normalizer.taxonomy
    choices = [form for s in taxonomy.skills.values() for form in s.surface_forms]
    flat = [text for skills, _ in profiles for text in skills]
    sample = random.Random(SEED + 1).sample(flat, min(naive_sample, len(flat)))
    t0 = time.perf_counter()
    for text in sample:
        process.extractOne(
            text,
            choices,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=DEFAULT_SKILL_CUTOFF,
        )
    naive_sample_seconds = time.perf_counter() - t0
    naive_seconds = naive_sample_seconds / len(sample) * n_skill_strings

    return [
        {
            "approach": "batch Normalizer.profiles (exact dict + cdist)",
            "profiles": len(profiles),
            "strings": n_strings,
            "seconds": round(batch_seconds, 2),
            "ratio": 1.0,
            "note": f"incl. {built - started:.2f} s index build; {unknown} strings unknown",
            "meets_target": batch_seconds <= TARGET_SECONDS,
        },
        {
            "approach": "naive extractOne per string (skills only)",
            "profiles": len(profiles),
            "strings": n_skill_strings,
            "seconds": round(naive_seconds, 1),
            "ratio": round(naive_seconds / batch_seconds, 1),
            "note": (
                f"extrapolated from a sample of {len(sample)} strings "
                f"({naive_sample_seconds:.2f} s)"
            ),
        },
    ]


def main() -> int:
    rows = run()
    columns = list(dict.fromkeys(k for row in rows for k in row))
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    return 0 if all(row.get("meets_target", True) for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
