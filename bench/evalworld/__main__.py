"""``make eval``: the engine on evaluation worlds it was not built or tuned on.

For each seed: generate a world (:mod:`bench.evalworld.generate`), then through the command line
only, into a throwaway SQLite file under ``var/eval/``::

    srmatch db upgrade
    srmatch import candidates|vacancies|outcomes <file>
    srmatch shortlist --all --json --top 20     # no model yet: the baseline serves
    srmatch train --json                        # learns from the outcomes, accepts or rejects
    srmatch shortlist --all --json --top 20     # the served scorer after training

Whether or not ``srmatch train`` serves its model (the hold-out on recorded outcomes may reject
it, the fairness gate may hold it back), the model file it wrote is then loaded and ranks the
same future vacancies over the same index in-process (:func:`shortlists`), so every world
compares the trained model with the baseline as well as the served scorer.

Every open vacancy of the world is a future one (no history). Each shortlist is scored against
the world's hidden true fit: NDCG@k with gain = true fit, ideal = the k best truly eligible
candidates, and the number of top-10 places beyond the candidate's travel limit by the true
distance between the PC4 areas.

Usage: ``python -m bench.evalworld [--seeds 11 23] [--candidates 3000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from bench.evalworld.generate import ROOT, World, generate, write

SRMATCH = Path(sys.executable).with_name("srmatch")
KS = (5, 10, 20)


def run(args: list[str], env: dict[str, str]) -> Any:
    """One srmatch command; its JSON output, or exit with its error line."""
    proc = subprocess.run(
        [str(SRMATCH), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.exit(f"srmatch {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout) if "--json" in args else proc.stdout


def score(world: World, shortlists: dict[str, Any]) -> dict[str, float]:
    """NDCG@5/10/20 against the true fit, and top-10 places beyond the travel limit."""
    cpos = {c.ref: i for i, c in enumerate(world.candidates)}
    vpos = {v.ref: j for j, v in enumerate(world.vacancies)}
    ndcg: dict[int, list[float]] = {k: [] for k in KS}
    beyond = 0
    places = 0
    for sl in shortlists["shortlists"]:
        j = vpos[sl["vacancy_ref"]]
        if not world.vacancies[j].future:
            continue
        ideal = np.sort(world.fit[:, j])[::-1]
        rows = [cpos[e["candidate_ref"]] for e in sorted(sl["entries"], key=lambda e: e["rank"])]
        gains = world.fit[rows, j] if rows else np.zeros(0)
        for k in KS:
            disc = 1.0 / np.log2(np.arange(2, k + 2))
            best = float(ideal[:k] @ disc[: len(ideal[:k])])
            if best > 0:
                got = gains[:k]
                ndcg[k].append(float(got @ disc[: len(got)]) / best)
        top10 = rows[:10]
        places += len(top10)
        limits = np.array([world.candidates[i].max_travel_km for i in top10])
        beyond += int((world.distance[top10, j] > limits).sum()) if top10 else 0
    return {
        **{f"ndcg@{k}": float(np.mean(v)) for k, v in ndcg.items()},
        "beyond_reach": beyond,
        "top10_places": places,
        "vacancies": len(ndcg[10]),
    }


def shortlists(matching: Any, vacancies: list[Any], scorer: Any) -> dict[str, Any]:
    """Top-20 shortlists of ``vacancies`` (profiles) over ``matching``'s index by ``scorer``, in
    the shape of ``srmatch shortlist --all --json`` that :func:`score` reads."""
    from matcher.shortlist import shortlist_many

    results = shortlist_many(
        matching.candidates, vacancies, scorer=scorer, top=20, taxonomy=matching.taxonomy
    )
    return {
        "shortlists": [
            {
                "vacancy_ref": vac.ref,
                "entries": [{"candidate_ref": e.candidate_ref, "rank": e.rank} for e in r.entries],
            }
            for vac, r in zip(vacancies, results, strict=True)
        ]
    }


def as_trained(world: World, out: Path, version: str) -> dict[str, float]:
    """Score the model file ``srmatch train`` wrote as version ``version``, served or not."""
    from sqlmodel import Session, select

    from api.config import Settings
    from api.services.matching import MatchingService
    from api.services.profiles import vacancy_profile
    from matcher.ranker import load_ranker
    from models import Vacancy
    from models.db import create_db_engine

    url = f"sqlite:///{out / 'eval.db'}"
    engine = create_db_engine(url)
    try:
        settings = Settings(database_url=url, model_dir=str(out / "models"), index_dir=str(out))
        matching = MatchingService(engine=engine, settings=settings).start(background=False)
        future = {v.ref for v in world.vacancies if v.future}
        with Session(engine) as session:
            vacs = [vacancy_profile(v) for v in session.exec(select(Vacancy))]
        ranker = load_ranker(out / "models" / f"ranker-{version}.skops")
        return score(world, shortlists(matching, [v for v in vacs if v.ref in future], ranker))
    finally:
        engine.dispose()


def evaluate_seed(seed: int, n_candidates: int, keep: bool) -> dict[str, Any]:
    out = ROOT / "var" / "eval" / f"world-{seed}"
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    world = generate(seed, n_candidates=n_candidates)
    counts = write(world, out)
    env = {
        **os.environ,
        "SRMATCH_DATABASE_URL": f"sqlite:///{out / 'eval.db'}",
        "SRMATCH_MODEL_DIR": str(out / "models"),
    }
    run(["db", "upgrade"], env)
    for kind in ("candidates", "vacancies", "outcomes"):
        run(["import", kind, str(out / f"{kind}.csv"), "--json"], env)
    baseline = score(world, run(["shortlist", "--all", "--json", "--top", "20"], env))
    trained = run(["train", "--json"], env)
    served = run(["shortlist", "--all", "--json", "--top", "20"], env)
    model = score(world, served)
    written = trained["status"] in ("trained", "rejected", "gated")  # a model file exists
    learned = as_trained(world, out, trained["version"]) if written else None
    if not keep:
        shutil.rmtree(out)
    return {
        "seed": seed,
        "counts": counts,
        "train_status": trained["status"],
        "served": served.get("model_version") or "baseline",
        "holdout": {"model": trained.get("metrics"), "baseline": trained.get("baseline_metrics")},
        "baseline": baseline,
        "model": model,
        "learned": learned,
        "seconds": round(time.perf_counter() - t0, 1),
    }


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| world (seed) | scorer | NDCG@5 | NDCG@10 | NDCG@20 | top-10 places beyond reach |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        labels = {
            "model": f"served after `srmatch train` ({r['train_status']})",
            "learned": "trained model, served or not",
            "baseline": "baseline (before training)",
        }
        for name, label in labels.items():
            m = r[name]
            if m is None:  # training failed: no model file
                continue
            lines.append(
                f"| {r['seed']} | {label} | {m['ndcg@5']:.3f} | {m['ndcg@10']:.3f} | "
                f"{m['ndcg@20']:.3f} | {m['beyond_reach']} of {m['top10_places']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 23])
    parser.add_argument("--candidates", type=int, default=3000)
    parser.add_argument("--keep", action="store_true", help="keep var/eval/world-<seed>/")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    # one world per thread: the work is in srmatch subprocesses, so two worlds use both cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda s: evaluate_seed(s, args.candidates, args.keep), args.seeds))
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(table(results))
    learned = [r["learned"]["ndcg@10"] - r["baseline"]["ndcg@10"] for r in results if r["learned"]]
    if learned:
        print(
            f"trained model against the baseline, NDCG@10: {sum(d > 0 for d in learned)} "
            f"better, {sum(d < 0 for d in learned)} worse of {len(learned)} worlds "
            f"(mean {np.mean(learned):+.4f}, worst {min(learned):+.4f})"
        )
    for r in results:
        h = r["holdout"]
        print(
            f"seed {r['seed']}: {r['counts']['candidates']} candidates, "
            f"{r['counts']['vacancies']} vacancies, {r['counts']['outcomes']} outcome rows; "
            f"train {r['train_status']} (hold-out NDCG@10 model "
            f"{(h['model'] or {}).get('ndcg@10', float('nan')):.3f}, baseline "
            f"{(h['baseline'] or {}).get('ndcg@10', float('nan')):.3f}); {r['seconds']} s"
        )
    print(f"total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
