"""Normalisation edge cases as parametrised tables: text folding, skills, titles, profiles,
education, Dutch level, driving licences and postcodes."""

from __future__ import annotations

import pytest

from matcher.normalize import (
    IMPLIED_FACTOR,
    METHODS,
    Match,
    Normalizer,
    get_normalizer,
    normalize_dutch_level,
    normalize_education,
    normalize_licences,
    normalize_postcode,
    normalize_text,
    pc4,
)
from matcher.profiles import ConceptRef
from matcher.taxonomy import load_taxonomy
from matcher.vocab import DRIVING_LICENCES, DUTCH_LEVELS, EDUCATION_LEVELS


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return get_normalizer()


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Magazijnmedewerker (m/v)", "magazijnmedewerker"),
        ("Schoonmaker (M/V/X)", "schoonmaker"),
        ("schoonmaker m/v", "schoonmaker"),
        ("Schoonmaker/ster", "schoonmaker"),
        ("kassamedewerk(st)er", "kassamedewerker"),
        ("receptionist(e)", "receptionist"),
        ("Caissière", "caissiere"),
        ("  Hygiëne-code  ", "hygiene code"),
        ("BHV'er", "bhv er"),
        ("taxi's", "taxis"),
        ("laden/lossen", "laden lossen"),
        ("rijbewijs C/E", "rijbewijs c e"),
        ("MIG/MAG", "mig mag"),
        ("", ""),
        ("  --  ", ""),
    ],
)
def test_normalize_text(text: str, folded: str) -> None:
    assert normalize_text(text) == folded


def test_required_title_maps_to_warehouse_isco(normalizer: Normalizer) -> None:
    match = normalizer.titles(["Magazijnmedewerker (m/v)"])[0]
    assert match.concept_id is not None
    assert normalizer.taxonomy.occupations[match.concept_id].isco08 in {"9333", "4321"}
    assert match.method == "exact" and match.confidence == 1.0


@pytest.mark.parametrize(
    ("text", "concept_id", "method"),
    [
        ("orderpicken", "sk_orderpicken", "exact"),
        ("Order picking", "sk_orderpicken", "exact"),
        ("order picken", "sk_orderpicken", "synonym"),
        ("heftruck", "sk_heftruck", "synonym"),
        ("HEFTRUCKCERTIFICAAT", "sk_heftruck", "exact"),
        ("heftrukcertifikaat", "sk_heftruck", "fuzzy"),
        ("VCA certificaat", "sk_vca_basis", "synonym"),
        ("Ervaring met heftruck", "sk_heftruck", "synonym"),
        ("schoonmaakwerkzaamheden", "sk_schoonmaak_basis", "synonym"),
        ("graafmachine", "sk_graafmachine", "fuzzy"),
        ("C+E", "sk_rijbewijs_ce", "synonym"),
        ("Hygiënecode", "sk_haccp", "synonym"),
        ("nauwkeurigheid", "sk_nauwkeurig", "synonym"),
    ],
)
def test_skills(normalizer: Normalizer, text: str, concept_id: str, method: str) -> None:
    match = normalizer.skills([text])[0]
    assert (match.concept_id, match.method) == (concept_id, method)
    assert match.text == text
    assert match.label == normalizer.taxonomy.skills[concept_id].label_nl


@pytest.mark.parametrize(
    ("text", "concept_id"),
    [
        ("heftruckchauffeur", "oc_heftruckchauffeur"),
        ("heftruck chauffeur", "oc_heftruckchauffeur"),
        ("Medewerker magazijn", "oc_magazijnmedewerker"),
        ("magazijn medewerker", "oc_magazijnmedewerker"),
        ("schoonmaakster", "oc_schoonmaker"),
        ("Schoonmaker/ster", "oc_schoonmaker"),
        ("verkoper/verkoopster", "oc_winkelmedewerker"),
        ("Magazijnmedewerker Tilburg 32 uur", "oc_magazijnmedewerker"),
        ("ERVAREN TIMMERMAN GEZOCHT", "oc_timmerman"),
        ("forklift driver", "oc_heftruckchauffeur"),
        ("vrachtwagenchaufeur", "oc_vrachtwagenchauffeur"),
    ],
)
def test_titles(normalizer: Normalizer, text: str, concept_id: str) -> None:
    assert normalizer.titles([text])[0].concept_id == concept_id


def test_match_fields_and_confidence_order(normalizer: Normalizer) -> None:
    exact, synonym, fuzzy = normalizer.skills(["orderpicken", "orderpicking", "oderpicken"])
    assert {m.method for m in (exact, synonym, fuzzy)} <= set(METHODS)
    assert exact.confidence == 1.0
    assert 1.0 > synonym.confidence > fuzzy.confidence > 0.0
    assert exact.suggestions == synonym.suggestions == fuzzy.suggestions == ()


@pytest.mark.parametrize("text", ["pianospelen", "geen rijbewijs", "no forklift", "xyzzy"])
def test_unknown_is_reported_with_suggestions(normalizer: Normalizer, text: str) -> None:
    match = normalizer.skills([text])[0]
    assert match == Match(text, None, None, 0.0, "unknown", match.suggestions)
    assert not match.matched
    assert 1 <= len(match.suggestions) <= 3
    ids = [s[0] for s in match.suggestions]
    assert len(set(ids)) == len(ids)
    scores = [s[2] for s in match.suggestions]
    assert scores == sorted(scores, reverse=True) and all(0 <= s < 1 for s in scores)


def test_negation_suggests_the_negated_concept(normalizer: Normalizer) -> None:
    match = normalizer.skills(["geen heftruck"])[0]
    assert match.method == "unknown"
    assert match.suggestions[0][0] == "sk_heftruck"


def test_batch_keeps_order_and_duplicates(normalizer: Normalizer) -> None:
    texts = ["kassa", "pianospelen", "kassa", "Heftruck", ""]
    matches = normalizer.skills(texts)
    assert [m.text for m in matches] == texts
    assert [m.concept_id for m in matches] == ["sk_kassa", None, "sk_kassa", "sk_heftruck", None]
    assert matches[4].suggestions == ()


def test_implied_skills(normalizer: Normalizer) -> None:
    assert "sk_heftruck" in normalizer.implied_skills("oc_heftruckchauffeur")
    with pytest.raises(ValueError, match="unknown occupation 'oc_nope'"):
        normalizer.implied_skills("oc_nope")


def test_profile_combines_explicit_implied_and_unknown(normalizer: Normalizer) -> None:
    profile = normalizer.profile(
        ["heftruck", "VCA", "Heftruckcertificaat", "pianospelen", " "],
        ["Magazijnmedewerker (m/v)", "drakentemmer"],
    )
    explicit = [s for s in profile.skills if not s.implied]
    implied = [s for s in profile.skills if s.implied]
    # heftruck twice: once, with the stronger (exact label) confidence
    assert explicit == [ConceptRef("sk_heftruck", 1.0, False), ConceptRef("sk_vca_basis", 0.95)]
    assert profile.occupations == (ConceptRef("oc_magazijnmedewerker", 1.0),)
    # issue 12: a job title makes skills likely, never certificates (elektrische pompwagen)
    usual = set(normalizer.likely_skills("oc_magazijnmedewerker"))
    assert {s.id for s in implied} == usual - {"sk_heftruck", "sk_vca_basis"}
    assert all(s.confidence == IMPLIED_FACTOR * 1.0 for s in implied)
    assert [m.text for m in profile.unknown] == ["drakentemmer", "pianospelen"]
    assert len({s.id for s in profile.skills}) == len(profile.skills)


def test_skill_that_names_an_occupation_counts_as_that_occupation(
    normalizer: Normalizer,
) -> None:
    profile = normalizer.profile(["heftruckchauffeur"], [])
    assert [o.id for o in profile.occupations] == ["oc_heftruckchauffeur"]
    # issue 12: the forklift certificate is never inferred from the title, its work is
    assert not any(s.id == "sk_heftruck" for s in profile.skills)
    assert any(s.id == "sk_laden_lossen" and s.implied for s in profile.skills)
    assert profile.unknown == ()


def test_implied_keeps_the_strongest_occupation(normalizer: Normalizer) -> None:
    profile = normalizer.profile([], ["orderpicker", "oderpikker magazijn"])
    picks = [s for s in profile.skills if s.id == "sk_orderpicken"]
    assert len(picks) == 1 and picks[0].confidence == IMPLIED_FACTOR * 1.0


def test_profiles_batch_equals_one_by_one(normalizer: Normalizer) -> None:
    batch = [
        (["kassa", "klantvriendelijk"], ["caissière"]),
        ([], []),
        (["order picken", "heftruk"], ["magazijn medewerker"]),
        (["pianospelen"], ["astronaut", "kok"]),
    ]
    assert normalizer.profiles(batch) == [normalizer.profile(s, o) for s, o in batch]
    assert normalizer.profiles([]) == []


@pytest.mark.parametrize("cutoff", [0.86, 0.0, 101.0, -5.0])
def test_cutoff_on_the_rapidfuzz_scale(cutoff: float) -> None:
    with pytest.raises(ValueError, match="0-100 scale"):
        Normalizer(load_taxonomy(), skill_cutoff=cutoff)


def test_lower_cutoff_matches_more() -> None:
    loose = Normalizer(load_taxonomy(), skill_cutoff=60, title_cutoff=60)
    assert get_normalizer().skills(["hftruckcertfkat"])[0].method == "unknown"
    assert loose.skills(["hftruckcertfkat"])[0].concept_id == "sk_heftruck"


def test_get_normalizer_is_cached() -> None:
    assert get_normalizer() is get_normalizer()


# --- education ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "level"), sorted(EDUCATION_LEVELS.items()))
def test_education_codes_follow_vocab(code: str, level: int) -> None:
    assert normalize_education(code) == level
    assert normalize_education(code.upper()) == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("MBO niveau 2", 2),
        ("mbo-3", 3),
        ("MBO 4", 4),
        ("mbo niveau 1 (entree)", 1),
        ("Diploma MBO-2 Logistiek", 2),
        ("mbo 2 of mbo 3", None),
        ("niveau 2", 2),
        ("vmbo-kader", 2),
        ("VMBO BB", 1),
        ("vmbo basis", 1),
        ("vmbo-tl", 2),
        ("mavo", 2),
        ("Entree-opleiding", 1),
        ("entree", 1),
        ("geen diploma", 0),
        ("Geen", 0),
        ("basisschool", 0),
        ("praktijkonderwijs", 0),
        ("havo", 4),
        ("VWO diploma", 4),
        ("bachelor", 6),
        ("HBO bachelor", 6),
        ("associate degree", 5),
        ("master", 7),
        ("WO master", 7),
        ("PhD", 8),
    ],
)
def test_education_free_text(text: str, level: int | None) -> None:
    if level is None:
        with pytest.raises(ValueError):
            normalize_education(text)
    else:
        assert normalize_education(text) == level


@pytest.mark.parametrize("text", ["", "   "])
def test_education_empty_is_none(text: str) -> None:
    assert normalize_education(text) is None


@pytest.mark.parametrize("text", ["rocketschool", "mbo 5", "niveau 9", "diploma"])
def test_education_not_understood(text: str) -> None:
    with pytest.raises(ValueError, match=rf"education: {text!r} is not understood.*mbo2"):
        normalize_education(text)


# --- Dutch language level -------------------------------------------------------------------


@pytest.mark.parametrize(("code", "level"), sorted(DUTCH_LEVELS.items()))
def test_dutch_codes_follow_vocab(code: str, level: int) -> None:
    assert normalize_dutch_level(code) == level
    assert normalize_dutch_level(code.lower()) == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("NT2 B1", 3),
        ("nt2-a2", 2),
        ("niveau B2", 4),
        ("B1 niveau", 3),
        ("A2/B1", 2),
        ("moedertaal", 7),
        ("Native speaker", 7),
        ("goed", 4),
        ("zeer goed", 5),
        ("vloeiend", 5),
        ("redelijk", 3),
        ("matig", 2),
        ("basis", 1),
        ("basic", 1),
        ("geen", 0),
        ("Staatsexamen II", 4),
        ("inburgering", 2),
    ],
)
def test_dutch_words(text: str, level: int) -> None:
    assert normalize_dutch_level(text) == level


def test_dutch_empty_and_unknown() -> None:
    assert normalize_dutch_level("") is None
    with pytest.raises(ValueError, match=r"dutch_level: 'D4' is not understood.*A0.*moedertaal"):
        normalize_dutch_level("D4")
    with pytest.raises(ValueError, match="dutch_level: 'prima'"):
        normalize_dutch_level("prima")


# --- driving licences -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "codes"),
    [
        (["B"], ("B",)),
        (["rijbewijs B", "b", "B "], ("B",)),
        (["CE", "C/E", "c+e"], ("CE",)),
        (["rijbewijs C", "rijbewijs B"], ("B", "C")),
        (["BE", "am", "D"], ("AM", "BE", "D")),
        (["vrachtwagen", "auto"], ("B", "C")),
        (["", " "], ()),
        ([], ()),
        (list(DRIVING_LICENCES), DRIVING_LICENCES),
    ],
)
def test_licences(items: list[str], codes: tuple[str, ...]) -> None:
    assert normalize_licences(items) == codes


def test_licences_errors_name_value_and_allowed() -> None:
    with pytest.raises(ValueError, match=r"driving_licences: 'Z' is not.*AM, A, B, BE, C, CE, D"):
        normalize_licences(["B", "Z"])
    with pytest.raises(ValueError, match="'heftruck' is a certificate"):
        normalize_licences(["heftruck"])


# --- postcodes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("3011 ab", "3011AB"),
        ("3011AB", "3011AB"),
        ("3011", "3011"),
        (" 3011  AB ", "3011AB"),
        ("1000AA", "1000AA"),
        ("9999ZZ", "9999ZZ"),
        ("NL-3511 AA", "3511AA"),
    ],
)
def test_postcode_valid(text: str, normalised: str) -> None:
    assert normalize_postcode(text) == normalised
    assert pc4(text) == normalised[:4]


@pytest.mark.parametrize(
    "text", ["", "0123", "999", "12345", "3011A", "3011 SA", "3011sd", "3011SS", "30 11", "abcd"]
)
def test_postcode_invalid(text: str) -> None:
    if text == "30 11":  # spaces inside the digits are squeezed out: still a valid PC4
        assert normalize_postcode(text) == "3011"
        return
    with pytest.raises(ValueError, match=rf"postcode: {text!r} is not a Dutch postcode.*SA, SD"):
        normalize_postcode(text)


def test_many_threads_asking_first_at_once_share_one_normaliser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server's first requests ask for the normaliser from several threads at once; it is
    built once and every one of them gets that one (``lru_cache`` alone builds one each)."""
    import threading

    from matcher import normalize

    built = []
    real = normalize.Normalizer

    def counting(taxonomy: object) -> object:
        built.append(1)
        return real(taxonomy)  # type: ignore[arg-type]

    monkeypatch.setattr(normalize, "Normalizer", counting)
    monkeypatch.setattr(normalize, "_built", None)  # restored afterwards
    normalize.get_normalizer.cache_clear()
    start = threading.Barrier(8)
    got: list[object] = []

    def ask() -> None:
        start.wait()
        got.append(normalize.get_normalizer())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1
    assert len(got) == 8 and all(g is got[0] for g in got)
    normalize.get_normalizer.cache_clear()  # the next caller gets the restored one
