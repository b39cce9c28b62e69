"""Closed vocabularies of the data contract (../shared/data-contract.md), in one place.

Every parser, schema and check takes its allowed values from here, so an error message can
always list them.
"""

from __future__ import annotations

BENEFITS: tuple[str, ...] = (
    "participatiewet",
    "ww",
    "wia",
    "wajong",
    "ioaw",
    "ioaz",
    "anw",
    "nugger",
    "none",
)
#: Benefits that count for Social Return unless a vacancy narrows them (data contract default).
SR_BENEFITS: tuple[str, ...] = tuple(b for b in BENEFITS if b != "none")

TARGET_GROUPS: tuple[str, ...] = (
    "banenafspraak",
    "statushouder",
    "jongere_zonder_startkwalificatie",
    "vso_pro",
    "50plus",
    "55plus",
    "herintreder",
    "ex_gedetineerde",
)

OUTCOME_STATUSES: tuple[str, ...] = (
    "proposed",
    "introduced",
    "interviewed",
    "hired",
    "rejected",
    "withdrawn",
)
#: Statuses after which a referral is closed.
FINAL_STATUSES: frozenset[str] = frozenset({"hired", "rejected", "withdrawn"})

#: How a candidate's consent to be introduced to a contractor was obtained (recorded per referral).
CONSENT_METHODS: tuple[str, ...] = ("in_person", "signed", "phone")

#: What a referral event records: a status change, or an action that leaves the status as it is.
REFERRAL_ACTIONS: tuple[str, ...] = (
    "status",  # the referral moved to the event's status
    "introduction_requested",  # the contractor asks the coach to introduce the candidate
    "consent_recorded",  # the coach recorded the candidate's consent for this referral
    "consent_withdrawn",  # the consent for this referral (or to share at all) was withdrawn
)

#: Why a contractor rejects a proposal (plus free text).
REJECTION_REASONS: tuple[str, ...] = (
    "skills_mismatch",
    "experience",
    "language",
    "education",
    "driving_licence",
    "hours",
    "distance",
    "availability",
    "position_filled",
    "no_show",
    "other",
)

PLACEMENT_KINDS: tuple[str, ...] = (
    "arbeidsovereenkomst",
    "bbl",
    "bol_stage",
    "werkervaringsplaats",
    "leerwerkplek",
)

CONTRACT_CATEGORIES: tuple[str, ...] = ("werken", "diensten", "leveringen")

DRIVING_LICENCES: tuple[str, ...] = ("AM", "A", "B", "BE", "C", "CE", "D")

#: CEFR levels as ordinals; "moedertaal" (native) ranks above C2.
DUTCH_LEVELS: dict[str, int] = {
    "A0": 0,
    "A1": 1,
    "A2": 2,
    "B1": 3,
    "B2": 4,
    "C1": 5,
    "C2": 6,
    "MOEDERTAAL": 7,
}
DUTCH_LEVEL_NAMES: dict[int, str] = {
    v: "moedertaal" if k == "MOEDERTAAL" else k for k, v in DUTCH_LEVELS.items()
}

#: Education codes of the data contract and their NLQF level (0 = no qualification).
EDUCATION_LEVELS: dict[str, int] = {
    "geen": 0,
    "basisonderwijs": 0,
    "vmbo": 2,
    "mbo1": 1,
    "mbo2": 2,
    "mbo3": 3,
    "mbo4": 4,
    "havo": 4,
    "vwo": 4,
    "hbo": 6,
    "wo": 6,
}

PARTICIPATIELADDER: dict[int, str] = {
    1: "geisoleerd",
    2: "sociale contacten buiten de deur",
    3: "deelname georganiseerde activiteiten",
    4: "onbetaald werk",
    5: "betaald werk met ondersteuning",
    6: "betaald werk",
}

DEFAULT_HOURS_PER_WEEK = 32.0
DEFAULT_MAX_TRAVEL_KM = 25.0
#: the furthest a candidate may say they travel: more than 0 and at most this (files and API)
MAX_TRAVEL_KM = 300.0
DEFAULT_SR_PERCENTAGE = 5.0
DEFAULT_SR_TABLE = "nationaal"

#: Genders the fairness audit may record (man, vrouw, x): never a model feature.
GENDERS: tuple[str, ...] = ("m", "v", "x")

#: How a coach overrules a served shortlist (human oversight, EU AI Act art. 14).
OVERSIGHT_KINDS: tuple[str, ...] = ("set_aside", "added")
#: Why: one of these plus free text.
OVERSIGHT_REASONS: tuple[str, ...] = (
    "not_available",  # ill, on holiday, in another trajectory
    "not_interested",  # the candidate does not want this work
    "lacks_requirement",  # misses something the vacancy needs that the profile does not say
    "profile_outdated",  # the profile no longer describes the candidate
    "travel_practical",  # travel is not workable although within the distance
    "better_fit_known",  # the coach knows the candidate fits better than the ranking shows
    "skill_not_in_profile",  # the candidate has skills the profile does not record
    "guidance_needed",  # needs support (job coach, wage subsidy) first
    "other",
)

#: Never model features, never in a contractor's view (EU AI Act, AVG).
PROTECTED_ATTRIBUTES: tuple[str, ...] = ("age", "birth_year", "gender", "nationality", "origin")
