"""The committed demo world: reproducible from its seed, and valid, messy and plausible data."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from fixtures.demo import generate as gen
from matcher import vocab

DEMO = Path(gen.__file__).resolve().parent
FILES = ("candidates.csv", "contracts.csv", "vacancies.csv", "outcomes.csv", "placements.csv")

#: the data contract's columns (required ones first) plus the optional columns the demo uses
EXPECTED_COLUMNS = {
    "candidates.csv": {
        "required": {"candidate_ref", "postcode", "benefit"},
        "all": {
            "candidate_ref", "postcode", "benefit", "target_groups", "ladder_step", "education",
            "skills", "occupations", "dutch_level", "driving_licences", "hours_per_week",
            "max_travel_km", "available_from", "unemployed_since", "coach", "consent_share",
            "municipality", "birth_year", "gender",
        },
    },
    "contracts.csv": {
        "required": {"contract_ref", "contractor", "value_eur"},
        "all": {
            "contract_ref", "contractor", "municipality", "title", "category", "value_eur",
            "sr_percentage", "start_date", "end_date", "sr_table",
        },
    },
    "vacancies.csv": {
        "required": {"vacancy_ref", "contractor", "title", "postcode", "hours_per_week"},
        "all": {
            "vacancy_ref", "contractor", "contract_ref", "title", "description",
            "required_skills", "optional_skills", "education_min", "postcode", "hours_per_week",
            "positions", "start_date", "eligible_benefits", "eligible_target_groups",
            "dutch_level_min", "driving_licence",
        },
    },
    "outcomes.csv": {
        "required": {"candidate_ref", "vacancy_ref", "status", "date"},
        "all": {
            "candidate_ref", "vacancy_ref", "status", "date", "reason", "action", "consent",
            "reason_code",
        },
    },
    "placements.csv": {
        "required": {"candidate_ref", "vacancy_ref", "start_date", "hours_per_week"},
        "all": {
            "candidate_ref", "vacancy_ref", "start_date", "end_date", "hours_per_week", "kind",
            "permanent",
        },
    },
}  # fmt: skip

#: what may follow each status within one referral (written here, not taken from the generator)
ALLOWED_NEXT = {
    "proposed": {"introduced", "rejected", "withdrawn"},
    "introduced": {"interviewed", "rejected", "withdrawn"},
    "interviewed": {"hired", "rejected", "withdrawn"},
}
SR_TABLES = {"nationaal", "utrecht", "holland-rijnland"}
BOOL_TEXT = {"", "ja", "nee", "true", "false", "yes", "no", "1", "0"}
POSTCODE = re.compile(r"^(\d{4})(?: ?([A-Za-z]{2}))?$")
DUTCH_WRITTEN = re.compile(r"^(|(NT2 )?(A0|A1|A2|B1|B2|C1|C2)|moedertaal|goed|basis)$")


def read(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def items(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def day(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture(scope="module")
def world() -> dict[str, list[dict[str, str]]]:
    return {name: read(DEMO, name) for name in FILES}


@pytest.fixture(scope="module")
def world_json() -> dict:
    return json.loads((DEMO / "world.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    gen.generate(out, seed=gen.DEFAULT_SEED)
    return out


# -- reproducibility ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", [*FILES, "world.json"])
def test_committed_file_is_what_the_default_seed_generates(regenerated: Path, name: str) -> None:
    assert (regenerated / name).read_bytes() == (DEMO / name).read_bytes(), (
        f"fixtures/demo/{name} is stale: run `python -m fixtures.demo.generate --out "
        f"fixtures/demo --seed {gen.DEFAULT_SEED}` and commit the result"
    )


def test_cli_writes_another_world_for_another_seed(
    tmp_path: Path, regenerated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gen.main(["--out", str(tmp_path), "--seed", str(gen.DEFAULT_SEED + 1), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["candidates"] == len(read(tmp_path, "candidates.csv")) == gen.N_CANDIDATES
    assert counts["outcomes"] == len(read(tmp_path, "outcomes.csv"))
    fresh = (tmp_path / "candidates.csv").read_bytes()
    assert fresh != (regenerated / "candidates.csv").read_bytes()


def test_cli_fails_in_one_line_without_a_taxonomy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gen.main(["--out", str(tmp_path / "w"), "--taxonomy", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "skills.csv" in err and err.count("\n") == 1


# -- shape -------------------------------------------------------------------------------------
def test_counts(world: dict[str, list[dict[str, str]]], world_json: dict) -> None:
    assert len(world["candidates.csv"]) == 2000
    assert len(world["contracts.csv"]) == 60
    assert len(world["vacancies.csv"]) == 300
    assert 2600 <= len(world["outcomes.csv"]) <= 3400
    hired = [o for o in world["outcomes.csv"] if o["status"] == "hired"]
    assert len(world["placements.csv"]) == len(hired) >= 150
    assert len({c["contractor"] for c in world["contracts.csv"]}) == 30
    assert len(world_json["contractors"]) == 30
    assert len(world_json["municipalities"]) >= 6


@pytest.mark.parametrize("name", FILES)
def test_header_has_the_contract_columns(name: str) -> None:
    with (DEMO / name).open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert len(header) == len(set(header))
    assert EXPECTED_COLUMNS[name]["required"] <= set(header)
    assert set(header) == EXPECTED_COLUMNS[name]["all"]


@pytest.mark.parametrize("name", FILES)
def test_required_cells_are_filled_and_nothing_looks_like_a_bsn(
    world: dict[str, list[dict[str, str]]], name: str
) -> None:
    required = EXPECTED_COLUMNS[name]["required"]
    for row in world[name]:
        for column, value in row.items():
            assert value == value.strip() or column in ("skills", "occupations"), (column, value)
            assert not re.fullmatch(r"\d{9}", re.sub(r"[\s.\-]", "", value)), (column, value)
            assert not value.startswith(("=", "+", "-", "@")), (column, value)
            if column in required:
                assert value, f"{name}: empty required {column} in {row}"


@pytest.mark.parametrize("name", FILES)
def test_every_file_passes_the_import_validation(name: str) -> None:
    from matcher import interchange

    kind = name.removesuffix(".csv")
    raw = interchange.read_table((DEMO / name).read_bytes(), name)
    result = interchange.parse_table(kind, raw)
    assert result.errors == []
    assert result.unknown_columns == []
    assert len(result.records) == len(raw.rows)


def test_references_are_unique_and_never_nine_digits(
    world: dict[str, list[dict[str, str]]],
) -> None:
    for name, key in (
        ("candidates.csv", "candidate_ref"),
        ("contracts.csv", "contract_ref"),
        ("vacancies.csv", "vacancy_ref"),
    ):
        refs = [row[key] for row in world[name]]
        assert len(refs) == len(set(refs)), name
    for row in world["candidates.csv"]:
        assert re.fullmatch(r"[A-Z]{3}-\d{6}", row["candidate_ref"]), row["candidate_ref"]


# -- closed vocabularies -----------------------------------------------------------------------
def test_candidate_values_are_in_the_vocabularies(
    world: dict[str, list[dict[str, str]]], world_json: dict
) -> None:
    municipalities = {m["name"] for m in world_json["municipalities"]}
    coaches = {c["username"]: c["municipality"] for c in world_json["coaches"]}
    for row in world["candidates.csv"]:
        assert row["benefit"] in vocab.BENEFITS
        assert set(items(row["target_groups"])) <= set(vocab.TARGET_GROUPS)
        assert row["ladder_step"] == "" or 1 <= int(row["ladder_step"]) <= 6
        assert set(items(row["driving_licences"])) <= set(vocab.DRIVING_LICENCES)
        assert DUTCH_WRITTEN.match(row["dutch_level"]), row["dutch_level"]
        assert row["consent_share"].lower() in BOOL_TEXT
        assert row["gender"] in ("m", "v", "x", "")
        assert row["municipality"] in municipalities
        assert coaches[row["coach"]] == row["municipality"]
        for column in ("hours_per_week", "max_travel_km"):
            assert row[column] == "" or 0 < float(row[column]) <= 60
        for column in ("available_from", "unemployed_since"):
            assert row[column] == "" or day(row[column]) <= gen.REFERENCE_DATE


def test_benefit_and_target_group_mix_is_realistic(
    world: dict[str, list[dict[str, str]]],
) -> None:
    rows = world["candidates.csv"]
    benefits = Counter(r["benefit"] for r in rows)
    assert 0.42 <= benefits["participatiewet"] / len(rows) <= 0.58
    assert 0.1 <= benefits["ww"] / len(rows) <= 0.2
    assert {"wia", "wajong", "ioaw", "nugger", "none"} <= set(benefits)
    groups = Counter(g for r in rows for g in items(r["target_groups"]))
    assert 0.1 <= groups["banenafspraak"] / len(rows) <= 0.25
    assert 0.05 <= groups["statushouder"] / len(rows) <= 0.15
    ladder = Counter(r["ladder_step"] for r in rows if r["ladder_step"])
    assert sum(ladder[s] for s in "345") / sum(ladder.values()) >= 0.6


def test_age_groups_agree_with_birth_year(world: dict[str, list[dict[str, str]]]) -> None:
    year = gen.REFERENCE_DATE.year
    for row in world["candidates.csv"]:
        groups = set(items(row["target_groups"]))
        if not row["birth_year"]:
            continue
        age = year - int(row["birth_year"])  # age reached in the reference year
        if "55plus" in groups:
            assert age >= 55
        if "50plus" in groups:
            assert age >= 50
        if "jongere_zonder_startkwalificatie" in groups:
            assert age <= 27
        assert 17 <= age <= 68


def test_other_files_use_the_vocabularies(
    world: dict[str, list[dict[str, str]]], world_json: dict
) -> None:
    contractors = {c["name"] for c in world_json["contractors"]}
    contract_refs = {c["contract_ref"] for c in world["contracts.csv"]}
    for row in world["contracts.csv"]:
        assert row["contractor"] in contractors
        assert row["category"] in vocab.CONTRACT_CATEGORIES
        assert row["sr_table"] in SR_TABLES
        assert 150_000 <= float(row["value_eur"]) <= 12_000_000
        assert 2 <= float(row["sr_percentage"]) <= 5
        assert date(2023, 1, 1) <= day(row["start_date"]) < day(row["end_date"])
        assert day(row["end_date"]) <= date(2028, 12, 31)
    ended = [r for r in world["contracts.csv"] if day(r["end_date"]) < gen.REFERENCE_DATE]
    assert 3 <= len(ended) < 30
    for row in world["vacancies.csv"]:
        assert row["contractor"] in contractors
        assert row["contract_ref"] == "" or row["contract_ref"] in contract_refs
        assert set(items(row["eligible_benefits"])) <= set(vocab.SR_BENEFITS)
        assert set(items(row["eligible_target_groups"])) <= set(vocab.TARGET_GROUPS)
        assert row["dutch_level_min"] == "" or row["dutch_level_min"] in vocab.DUTCH_LEVELS
        assert row["driving_licence"] == "" or row["driving_licence"] in vocab.DRIVING_LICENCES
        assert 0 < float(row["hours_per_week"]) <= 40
        assert row["positions"] == "" or int(row["positions"]) >= 1
    assert sum(1 for r in world["vacancies.csv"] if not r["contract_ref"]) >= 10
    for row in world["placements.csv"]:
        assert row["kind"] in vocab.PLACEMENT_KINDS
        assert row["permanent"] in ("", "true", "false")


def test_world_json_lists_the_users(world_json: dict) -> None:
    users = [
        u["username"]
        for key in ("coaches", "sr_officers", "contractor_users")
        for u in world_json[key]
    ]
    assert len(users) == len(set(users))
    names = {m["name"] for m in world_json["municipalities"]}
    assert {m["sr_table"] for m in world_json["municipalities"]} == SR_TABLES
    assert {o["municipality"] for o in world_json["sr_officers"]} == names
    for c in world_json["contractors"]:
        assert re.fullmatch(r"\d{8}", c["kvk"])
    kvks = {c["name"]: c["kvk"] for c in world_json["contractors"]}
    for u in world_json["contractor_users"]:
        assert kvks[u["contractor"]] == u["kvk"]


# -- postcodes ---------------------------------------------------------------------------------
def test_postcodes_exist_and_lie_in_their_municipality(
    world: dict[str, list[dict[str, str]]], world_json: dict
) -> None:
    from matcher.geo import get_geo

    geo = get_geo()
    pc4_of = {m["name"]: set(m["pc4"]) for m in world_json["municipalities"]}
    styles = Counter()
    for name in ("candidates.csv", "vacancies.csv"):
        for row in world[name]:
            match = POSTCODE.match(row["postcode"])
            assert match, row["postcode"]
            pc4, letters = match.groups()
            assert geo.coords(row["postcode"]), row["postcode"]  # raises on an unknown PC4
            if letters:
                assert letters.upper() not in ("SA", "SD", "SS")
            styles["pc4" if not letters else ("space" if " " in row["postcode"] else "pc6")] += 1
            if name == "candidates.csv":
                assert pc4 in pc4_of[row["municipality"]]
    assert min(styles.values()) >= 200, styles


# -- messy text --------------------------------------------------------------------------------
def test_about_a_quarter_of_candidates_have_no_skills(
    world: dict[str, list[dict[str, str]]],
) -> None:
    rows = world["candidates.csv"]
    share = sum(1 for r in rows if not items(r["skills"])) / len(rows)
    assert 0.2 <= share <= 0.3
    assert 0.2 <= sum(1 for r in rows if not r["education"]) / len(rows) <= 0.5


def _forms() -> tuple[set[str], set[str]]:
    tax = gen.load_taxonomy()
    skills = {
        f.lower() for s in tax.skills.values() for f in (s.label_nl, s.label_en, *s.synonyms) if f
    }
    occupations = {
        f.lower()
        for o in tax.occupations.values()
        for f in (o.label_nl, o.label_en, *o.synonyms)
        if f
    }
    return skills, occupations


def _within_one_edit(texts: list[str], forms: set[str]) -> list[str]:
    """The texts that are not a form, nor one edit (OSA distance) away from one."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    cleaned = [" ".join(t.lower().split()) for t in texts]
    rest = sorted({t for t in cleaned if t not in forms})
    if not rest:
        return []
    distances = process.cdist(rest, sorted(forms), scorer=OSA.distance, score_cutoff=1)
    return [t for t, row in zip(rest, distances, strict=True) if row.min() > 1]


def test_skills_are_taxonomy_forms_with_light_noise(
    world: dict[str, list[dict[str, str]]],
) -> None:
    skill_forms, occupation_forms = _forms()
    written = [s for r in world["candidates.csv"] for s in items(r["skills"])]
    written += [
        s
        for r in world["vacancies.csv"]
        for col in ("required_skills", "optional_skills")
        for s in items(r[col])
    ]
    assert _within_one_edit(written, skill_forms) == []
    exact = sum(1 for s in written if s in skill_forms or s.lower() in skill_forms)
    assert 0.6 <= exact / len(written) <= 0.95  # noisy, but mostly as in the taxonomy
    assert sum(1 for s in written if s.lower() not in skill_forms) >= 100  # typos exist
    occupations = [o for r in world["candidates.csv"] for o in items(r["occupations"])]
    assert _within_one_edit(occupations, occupation_forms) == []
    titles = [r["title"] for r in world["vacancies.csv"]]
    assert sum(1 for t in titles if "(m/v" in t) >= 20
    assert len(set(titles)) >= 150


# -- the outcome log ---------------------------------------------------------------------------
def _referrals(
    outcomes: list[dict[str, str]],
) -> dict[tuple[str, str], list[dict[str, str]]]:
    pairs: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in outcomes:
        pairs[(row["candidate_ref"], row["vacancy_ref"])].append(row)
    return pairs


def test_outcomes_follow_the_allowed_transitions(
    world: dict[str, list[dict[str, str]]],
) -> None:
    candidates = {r["candidate_ref"] for r in world["candidates.csv"]}
    vacancies = {r["vacancy_ref"] for r in world["vacancies.csv"]}
    for (cref, vref), rows in _referrals(world["outcomes.csv"]).items():
        assert cref in candidates and vref in vacancies
        # status changes only: a contractor's request for an introduction leaves the status
        rows = [r for r in rows if r["action"] in ("", "status")]
        rows.sort(key=lambda r: r["date"])
        assert rows[0]["status"] == "proposed"
        for before, after in zip(rows, rows[1:], strict=False):
            assert after["status"] in ALLOWED_NEXT.get(before["status"], set()), rows
            assert day(before["date"]) < day(after["date"]), rows
        for row in rows:
            assert row["status"] in vocab.OUTCOME_STATUSES
            assert date(2024, 9, 1) <= day(row["date"]) <= gen.REFERENCE_DATE
            assert bool(row["reason"]) == (row["status"] in ("rejected", "withdrawn")), row
    dates = sorted(day(r["date"]) for r in world["outcomes.csv"])
    assert dates[0] < date(2024, 10, 1) and dates[-1] > date(2026, 9, 1)  # spans the window


def test_every_hire_has_one_placement_that_starts_after_it(
    world: dict[str, list[dict[str, str]]],
) -> None:
    hired = {
        (r["candidate_ref"], r["vacancy_ref"]): day(r["date"])
        for r in world["outcomes.csv"]
        if r["status"] == "hired"
    }
    placed = Counter((p["candidate_ref"], p["vacancy_ref"]) for p in world["placements.csv"])
    assert set(placed) == set(hired) and max(placed.values()) == 1
    by_candidate: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for p in world["placements.csv"]:
        start = day(p["start_date"])
        assert start > hired[(p["candidate_ref"], p["vacancy_ref"])]
        end = day(p["end_date"]) if p["end_date"] else date.max
        assert end > start
        by_candidate[p["candidate_ref"]].append((start, end))
    for spans in by_candidate.values():  # nobody holds two placements at once
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end < start
    running = [p for p in world["placements.csv"] if not p["end_date"]]
    short = [
        p
        for p in world["placements.csv"]
        if p["end_date"] and day(p["end_date"]) - day(p["start_date"]) < timedelta(days=183)
    ]
    assert len(running) >= 0.3 * len(world["placements.csv"])
    assert len(short) >= 20
    kinds = Counter(p["kind"] for p in world["placements.csv"])
    assert kinds.most_common(1)[0][0] == "arbeidsovereenkomst"
    assert {"bbl", "bol_stage", "werkervaringsplaats"} <= set(kinds)
    assert any(p["permanent"] == "true" for p in world["placements.csv"])


def test_some_candidates_ride_the_carousel(world: dict[str, list[dict[str, str]]]) -> None:
    spans: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for p in world["placements.csv"]:
        if p["end_date"]:
            start, end = day(p["start_date"]), day(p["end_date"])
            if (end - start).days < 183:
                spans[p["candidate_ref"]].append((start, end))
    carousel = [
        ref
        for ref, s in spans.items()
        if any(
            (b[1] - a[0]).days <= 730 for a, b in zip(sorted(s), sorted(s)[2:], strict=False)
        )  # three short placements within two years
    ]
    assert 3 <= len(carousel) <= 20


def test_sr_realisation_differs_between_contracts(
    world: dict[str, list[dict[str, str]]],
) -> None:
    # a rough valuation: 35,000 euro per full-time person-year (36 h), capped at 2 years
    vacancy_contract = {v["vacancy_ref"]: v["contract_ref"] for v in world["vacancies.csv"]}
    value: dict[str, float] = defaultdict(float)
    for p in world["placements.csv"]:
        ref = vacancy_contract[p["vacancy_ref"]]
        if not ref:
            continue
        start = day(p["start_date"])
        end = min(day(p["end_date"]) if p["end_date"] else gen.REFERENCE_DATE, gen.REFERENCE_DATE)
        years = min(2.0, max(0, (end - start).days) / 365)
        value[ref] += float(p["hours_per_week"]) / 36 * years * 35_000
    ratios = [
        value[c["contract_ref"]] / (float(c["value_eur"]) * float(c["sr_percentage"]) / 100)
        for c in world["contracts.csv"]
    ]
    assert sum(1 for r in ratios if r >= 1.0) >= 8  # met
    assert sum(1 for r in ratios if 0.3 <= r < 1.0) >= 8  # on track or close
    assert sum(1 for r in ratios if r < 0.3) >= 8  # behind


def _closed_hire_rates(
    world: dict[str, list[dict[str, str]]], group_of: dict[str, str]
) -> dict[str, tuple[float, int]]:
    state: dict[tuple[str, str], str] = {}
    for row in sorted(world["outcomes.csv"], key=lambda r: r["date"]):
        state[(row["candidate_ref"], row["vacancy_ref"])] = row["status"]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (cref, _), status in state.items():
        if status in vocab.FINAL_STATUSES and group_of.get(cref):
            counts[group_of[cref]][0] += status == "hired"
            counts[group_of[cref]][1] += 1
    return {g: (hired / n, n) for g, (hired, n) in counts.items()}


def test_outcomes_do_not_favour_an_age_group_or_gender(
    world: dict[str, list[dict[str, str]]],
) -> None:
    year = gen.REFERENCE_DATE.year
    gender = {r["candidate_ref"]: r["gender"] for r in world["candidates.csv"]}
    band = {
        r["candidate_ref"]: (
            "<27" if year - int(r["birth_year"]) < 27
            else "27-49" if year - int(r["birth_year"]) < 50 else "50+"
        )
        for r in world["candidates.csv"]
        if r["birth_year"]
    }  # fmt: skip
    for group_of in (gender, band):
        rates = {g: r for g, (r, n) in _closed_hire_rates(world, group_of).items() if n >= 100}
        assert len(rates) >= 2
        assert min(rates.values()) / max(rates.values()) >= 0.8, rates  # four-fifths rule


# -- the consent workflow (issue 11) -----------------------------------------------------------
def _shares(world: dict[str, list[dict[str, str]]]) -> dict[str, bool]:
    return {
        c["candidate_ref"]: c["consent_share"].strip().lower() in ("ja", "true")
        for c in world["candidates.csv"]
    }


def test_every_hire_and_interview_follows_a_consented_introduction(
    world: dict[str, list[dict[str, str]]],
) -> None:
    """As the services enforce: nobody who does not share data is proposed; an introduction
    says how the candidate consented; an interview and a hire come after such an introduction."""
    shares = _shares(world)
    referrals = _referrals(world["outcomes.csv"])
    hires = interviews = 0
    for (cref, _), rows in referrals.items():
        assert shares[cref], f"{cref} does not share data and was proposed"
        consented = [day(r["date"]) for r in rows if r["status"] == "introduced" and r["consent"]]
        for r in rows:
            if r["status"] == "introduced":
                assert r["consent"] in vocab.CONSENT_METHODS, r
            if r["status"] in ("interviewed", "hired"):
                assert consented and consented[0] <= day(r["date"]), rows
                hires += r["status"] == "hired"
                interviews += r["status"] == "interviewed"
    assert hires >= 150 and interviews >= 200
    assert hires == sum(1 for o in world["outcomes.csv"] if o["status"] == "hired")
    ways = Counter(r["consent"] for r in world["outcomes.csv"] if r["consent"])
    assert set(ways) == set(vocab.CONSENT_METHODS)


def test_rejections_carry_a_reason_from_the_list_and_contractors_ask_for_introductions(
    world: dict[str, list[dict[str, str]]],
) -> None:
    rows = world["outcomes.csv"]
    rejected = [r for r in rows if r["status"] == "rejected"]
    assert rejected and all(r["reason_code"] in vocab.REJECTION_REASONS for r in rejected)
    assert all(not r["reason_code"] for r in rows if r["status"] != "rejected")
    codes = Counter(r["reason_code"] for r in rejected)
    assert len(codes) >= 5 and codes["position_filled"] > 0
    asked = [r for r in rows if r["action"] == "introduction_requested"]
    assert len(asked) >= 100
    referrals = _referrals(rows)
    for r in asked:
        pair = referrals[(r["candidate_ref"], r["vacancy_ref"])]
        proposed = min(day(x["date"]) for x in pair if x["status"] == "proposed")
        introduced = [day(x["date"]) for x in pair if x["status"] == "introduced"]
        assert r["status"] == "proposed" and introduced
        assert proposed < day(r["date"]) < introduced[0]
