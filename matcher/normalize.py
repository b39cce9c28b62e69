"""Normalise the free text of profiles and vacancies: skills, job titles, education, Dutch level,
driving licences and postcodes.

Skills and titles are matched against the taxonomy (:mod:`matcher.taxonomy`) in batches. Every
distinct string is folded once (case, accents, punctuation, ``(m/v)``, ``/ster``) and then:

1. looked up in an exact dictionary of all surface forms, also without spaces (``order picken``),
   without plural endings (``heftrucks``) and with its words sorted (``medewerker magazijn``);
   for titles, a known title inside a longer one (``magazijnmedewerker Tilburg``) also counts;
2. looked up in the one-deletion neighbourhood of all surface forms (SymSpell style), which finds
   forms one typo away; each candidate is verified with rapidfuzz ``fuzz.ratio`` against the
   same cutoff as step 3, so it saves time and accepts nothing step 3 would reject;
3. what is left goes to rapidfuzz ``process.cdist`` (``fuzz.ratio``, explicit ``processor`` and
   ``score_cutoff``) over all surface forms, in chunks;
4. failing that, a query that is the unambiguous head of a longer form (``graafmachine`` for
   ``graafmachine bedienen``) is accepted with a lower confidence.

Whatever is not understood comes back as a :class:`Match` with ``method="unknown"`` and the
nearest suggestions, so a caller can keep it on the profile and show it; nothing is dropped.
Negated phrases (``geen rijbewijs``, ``no forklift``) are always unknown.
"""

from __future__ import annotations

import bisect
import csv
import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from matcher.profiles import ConceptRef
from matcher.taxonomy import Occupation, Skill, Taxonomy, load_taxonomy
from matcher.vocab import DRIVING_LICENCES, DUTCH_LEVELS, EDUCATION_LEVELS

Method = Literal["exact", "synonym", "fuzzy", "unknown"]
METHODS: tuple[str, ...] = ("exact", "synonym", "fuzzy", "unknown")

#: Default rapidfuzz score cutoffs (0-100 scale, as rapidfuzz's ``score_cutoff``). Chosen on the
#: labelled table in ``tests/matcher/data/normalize_cases.csv``: high enough that none of its
#: out-of-taxonomy strings is matched, low enough to absorb one or two typos in a word.
DEFAULT_SKILL_CUTOFF = 86.0
DEFAULT_TITLE_CUTOFF = 86.0
#: Implied skills of an occupation count this fraction of the occupation's confidence.
IMPLIED_FACTOR = 0.5
#: How many nearest candidates an unknown string is reported with.
N_SUGGESTIONS = 3
#: Rows of the query matrix scored per cdist call (bounds memory: rows x surface forms bytes).
_CHUNK = 4096

# Confidence per way of finding a concept. Exact label beats synonym beats fuzzy; a variant key
# (spacing or plural removed) costs a little.
_CONF_LABEL = 1.0
_CONF_LABEL_VARIANT = 0.98
_CONF_SYNONYM = 0.95
_CONF_SYNONYM_VARIANT = 0.93
_FUZZY_SCALE = 0.92  # a fuzzy match never outranks an exact or synonym match

_MV = re.compile(
    r"\(\s*[mvfxhdw]\s*(?:/\s*[mvfxhdw]\s*)+\)"  # (m/v), (m/v/x), (v/m), (m/w/d)
    r"|(?<![a-z0-9])[mvf]\s*/\s*[mvfxdw](?:\s*/\s*[mvfxd])?(?![a-z0-9])"  # m/v, m/w/d
)
_STER = re.compile(r"\(st\)(?=er\b)|/\s*-?\s*ster\b|\((?:ster|e)\)")
_APOSTROPHE_S = re.compile(r"['`\u2019]s\b")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NEGATIONS = frozenset({"geen", "niet", "zonder", "no", "not", "without", "nooit", "never"})
#: Words in vacancy-board titles that say nothing about the occupation: seniority, training
#: route (BBL, leerling), contract and hours, "gezocht", gender markers left after folding.
_TITLE_NOISE = frozenset(
    {
        "vacature",
        "vacatures",
        "gezocht",
        "gevraagd",
        "wanted",
        "ervaren",
        "ervaring",
        "experienced",
        "junior",
        "senior",
        "medior",
        "allround",
        "allrounder",
        "all",
        "round",
        "zelfstandig",
        "zelfstandige",
        "leerling",
        "leerlingen",
        "bbl",
        "bol",
        "bbler",
        "leerwerkplek",
        "leerwerkplaats",
        "leerwerktraject",
        "leerbaan",
        "werkervaringsplek",
        "werkervaringsplaats",
        "stageplek",
        "stageplaats",
        "stage",
        "stagiair",
        "stagiaire",
        "trainee",
        "fulltime",
        "parttime",
        "full",
        "part",
        "time",
        "uur",
        "uren",
        "hours",
        "per",
        "week",
        "pw",
        "zzp",
        "zzper",
        "oproepkracht",
        "oproepbasis",
        "tijdelijk",
        "tijdelijke",
        "vast",
        "vaste",
        "direct",
        "startende",
        "starter",
        "enthousiaste",
        "enthousiast",
        "gemotiveerde",
        "nieuwe",
        "sroi",
        "mv",
        "mvx",
        "m",
        "v",
        "x",
        "f",
        "d",
        "h",
        "ploegendienst",
        "dagdienst",
        "avonddienst",
        "nachtdienst",
        "weekenddienst",
        "met",
        "opleiding",
        "opleidingsplek",
        "doorgroeimogelijkheden",
        "regio",
        "werkend",
        "werkende",
    }
)
#: Titles that name a role without its trade ("medewerker", "operator"): a vacancy titled just
#: "Medewerker" says nothing about the occupation. Never matched fuzzily (a title found as
#: typed in the taxonomy still counts); the ESCO build drops them as labels.
GENERIC_TITLES = frozenset(
    {
        "medewerker", "medewerkster", "operator", "monteur", "monteuse", "assistent",
        "assistente", "technicus", "werknemer", "arbeider", "arbeidster", "helper", "hulp",
        "bediener", "specialist", "adviseur", "adviseuse", "manager", "coordinator",
        "leidinggevende", "begeleider", "begeleidster", "medewerker productie", "vakman",
        "vakvrouw", "stagiair", "leerling", "consultant", "beheerder", "inspecteur",
        "controleur", "expert", "deskundige", "analist", "ondersteuner", "uitvoerder",
        "opzichter", "teamleider", "ploegleider",
    }
)  # fmt: skip
#: Word pairs that are vacancy boilerplate together (each word alone may be part of a title).
_TITLE_NOISE_PHRASES = re.compile(
    r"\b(?:social return(?: on investment)?|sociaal return|social return plek|"
    r"per direct|op oproepbasis|met opleiding|incl(?:usief)? opleiding|wij leiden (?:je|u) op|"
    r"via (?:het )?uitzendbureau|part time|full time|all round|bbl traject|bol traject|"
    r"in opleiding|in de regio|regio [a-z]+(?: [a-z]+)?$)\b"
)
#: Hours in a title: "32-40 uur", "24 tot 32 uur p/w", "38u", "0-uren".
_TITLE_HOURS = re.compile(
    r"\b\d+(?:[.,]\d+)?(?:\s*(?:-|tot|a|/|t/m)\s*\d+(?:[.,]\d+)?)?\s*"
    r"(?:uur|uren|u|hrs?|hours?)\b(?:\s*(?:per|p|/|p/)\s*(?:week|wk|w)\b)?"
)
#: A trailing place: "in Rotterdam", "te Utrecht", "omgeving Tilburg".
_TITLE_PLACE_TAIL = re.compile(r"\s(?:in|te|omgeving|rondom|nabij|bij|regio)\s+(.+)$")
#: Separators between a title and the rest of a vacancy-board heading.
_TITLE_SEPARATORS = re.compile(r"\s[-\u2013\u2014|/\u2022\u00b7:,]\s|\s*[|\u2022\u00b7]\s*|:\s|,\s")
#: A title of plain lower-case letters and spaces, which clean_title can often return as is.
_TITLE_PLAIN = re.compile(r"[a-z ]+")
#: Words that start a trailing place ("in Rotterdam") or are boilerplate phrases' first words.
_TITLE_PLACE_WORDS = frozenset(
    {"in", "te", "omgeving", "rondom", "nabij", "bij", "regio", "social", "sociaal", "via", "incl",
     "inclusief", "wij", "op"}
)  # fmt: skip
_TITLE_PAIR = re.compile(r"\b([^\W\d_]{3,})/[^\W\d_]{3,}\b")
_TITLE_PAREN = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
#: Words left out of a title's word-order key (``medewerker van de schoonmaak``).
_TITLE_STOPWORDS = frozenset({"van", "de", "het", "der", "den", "voor", "in", "op", "en", "een"})

#: Phrases around a skill that say nothing about which skill it is.
_SKILL_NOISE = re.compile(
    r"^(?:ervaring (?:met|in)|kennis van|in bezit van|bezit van|geldig|geldige|"
    r"experience (?:with|in)|knowledge of|kan|can)\s+"
)

#: "VCA certificaat", "EHBO-diploma": the trailing word names the paper, not the skill.
_CERTIFICATE_WORD = re.compile(r"(?<=\w) (?:certificaat|certificate|diploma|certificering)$")
_WORK_ACTIVITIES = re.compile(r"(?<=[a-z])\s?werkzaamheden\b")
#: Shortest query the prefix rule considers, and how much of the surface form it must cover.
_PREFIX_MIN_CHARS = 6
_PREFIX_MIN_COVER = 0.5
#: How much of a longer title a known title inside it must cover (else: not understood).
_SUBPHRASE_MIN_COVER = 0.5
#: A query one typo from a surface form but under the cutoff (short words) is accepted down to
#: this score when it has this many letters and no other concept is as close.
_NEAR_SHORT_CUTOFF = 80.0
_NEAR_SHORT_MIN_CHARS = 7
#: ... and at most this many: from 9 letters on, one typo scores above the cutoff anyway.
_NEAR_SHORT_MAX_CHARS = 8
#: Suggestions for what is not understood are the nearest forms scoring at least this.
_SUGGEST_CUTOFF = 50.0
#: Length of the word ends the candidate pre-filter of best_many indexes, and the shortest
#: query it is used for (shorter ones are scored against every choice of compatible length).
_AFFIX = 4
_AFFIX_MIN_CHARS = 10
#: ... used only for a large vocabulary and a cutoff this strict (a looser cutoff lets both
#: ends of a query differ from its match).
_AFFIX_MIN_CUTOFF = 75.0
#: Priority of the lookup variants of a surface form (see _variants), after the form itself
#: (0 for a label, 1 for a synonym): without spaces, without plural endings, words sorted,
#: little words left out.
_VARIANT_PRIORITY = (0, 2, 3, 3, 4)
#: Largest vocabulary (choices) a one-typo neighbourhood is built for.
_NEAR_MAX_CHOICES = 10_000
#: Shortest compact query the one-typo neighbourhood is used for.
_NEAR_MIN_CHARS = 5


def normalize_text(text: str) -> str:
    """Fold a free-text string to its lookup key: lower case, no accents, no punctuation.

    Removes gender markers (``(m/v)``, ``(m/v/x)``, ``/ster``, ``(st)er``), turns punctuation
    into single spaces and strips the ends.

    Parameters
    ----------
    text : str
        Any free text.

    Returns
    -------
    str
        The folded key ("" for blank input).

    Examples
    --------
    >>> normalize_text("Magazijnmedewerker (m/v)")
    'magazijnmedewerker'
    >>> normalize_text("Schoonmaker/ster  Hygiëne-Code")
    'schoonmaker hygiene code'
    """
    if text.isascii():
        folded = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", text)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    if "/" in folded or "(" in folded:
        folded = _MV.sub(" ", folded)
        folded = _STER.sub("", folded)
    if ("'" in folded or "`" in folded or "\u2019" in folded) and "s" in folded:
        folded = _APOSTROPHE_S.sub("s", folded)
    folded = _NON_ALNUM.sub(" ", folded)
    return " ".join(folded.split())


def _stem(word: str) -> str:
    """Strip a plural ending (``-en``, ``-s``) or the noun ending ``-heid`` from a longer word."""
    if len(word) > 7 and word.endswith("heid"):  # nauwkeurigheid -> nauwkeurig
        return word[:-4]
    if len(word) > 4:
        if word.endswith("en"):
            return word[:-2]
        if word.endswith("s") and not word.endswith("ss"):
            return word[:-1]
    return word


def _skill_key(text: str) -> str:
    key = normalize_text(text)
    stripped = _SKILL_NOISE.sub("", key)
    # Dutch "X-werkzaamheden" (X work activities) means "X-werk": sloopwerkzaamheden, ...
    return _WORK_ACTIVITIES.sub("werk", stripped or key)


#: Where the place names of the PC4 table are (a trailing place in a title is not the job).
_PLACES_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "geo" / "pc4.csv"
#: Places and regions vacancy boards write that the PC4 table names differently or not at all.
_EXTRA_PLACES = (
    "den haag",
    "s gravenhage",
    "randstad",
    "noord holland",
    "zuid holland",
    "noord brabant",
    "brabant",
    "limburg",
    "gelderland",
    "utrecht",
    "overijssel",
    "friesland",
    "groningen",
    "drenthe",
    "zeeland",
    "flevoland",
    "twente",
    "achterhoek",
    "westland",
    "rijnmond",
    "haaglanden",
    "veluwe",
    "nederland",
    "landelijk",
    "centrum",
    "noord",
    "zuid",
    "oost",
    "west",
)


@functools.lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Folded Dutch place names (localities of the PC4 table plus common regions)."""
    names: set[str] = set(_EXTRA_PLACES)
    if _PLACES_FILE.is_file():
        with _PLACES_FILE.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                name = normalize_text(re.sub(r"\(.*?\)", " ", row.get("locality") or ""))
                if len(name) >= 3:
                    names.add(name)
    return frozenset(names)


def _drop_place_tail(words: list[str]) -> list[str]:
    """Drop one to three trailing words that name a place, keeping at least one word."""
    places = _places()
    for size in (3, 2, 1):
        if len(words) > size and " ".join(words[-size:]) in places:
            return words[:-size]
    return words


def _clean_segment(segment: str) -> list[str]:
    key = normalize_text(_TITLE_HOURS.sub(" ", segment))
    key = _TITLE_NOISE_PHRASES.sub(" ", key)
    for _ in range(3):  # "in Tilburg", also twice
        tail = _TITLE_PLACE_TAIL.search(key)
        if not tail:
            break
        rest = " ".join(w for w in tail.group(1).split() if w not in _TITLE_NOISE)
        if not (rest in _places() or tail.group(0).lstrip().startswith("regio")):
            break
        key = key[: tail.start()]
    return [w for w in key.split() if w not in _TITLE_NOISE and not w.isdigit()]


def clean_title(text: str) -> str:
    """Strip what a vacancy-board title says besides the occupation, and fold the rest.

    Removes gender markers (``(m/v/x)``), seniority (``Ervaren``, ``Junior``, ``Allround``,
    ``Zelfstandig``), training routes (``Leerling``, ``BBL``, ``leerwerkplek``), hours
    (``32-40 uur``), ``gezocht``, ``Social Return``/``SROI``, trailing places (``in Rotterdam``,
    ``- Tilburg``) and whatever follows a separator when what precedes it is already a title.

    Parameters
    ----------
    text : str
        A job title as a vacancy board or a coach writes it.

    Returns
    -------
    str
        The folded occupation part ("" for blank input; the plain folded text when nothing but
        noise is left).

    Examples
    --------
    >>> clean_title("Ervaren Magazijnmedewerker (m/v/x) 32-40 uur - Rotterdam")
    'magazijnmedewerker'
    >>> clean_title("LEERLING METSELAAR (BBL) gezocht!")
    'metselaar'
    """
    folded = text.lower()
    if _TITLE_PLAIN.fullmatch(folded):  # letters and single spaces only: no markers, hours,
        words = folded.split()  # separators or places after "in"/"te" to strip
        if not _TITLE_NOISE.intersection(words) and not _TITLE_PLACE_WORDS.intersection(words):
            return " ".join(words)
    if "(" in folded or "[" in folded:
        folded = _MV.sub(" ", folded)

        def paren(found: re.Match[str]) -> str:
            inner = found.group(1) if found.group(1) is not None else found.group(2)
            return " " if not _clean_segment(inner) else f" {inner} "

        folded = _TITLE_PAREN.sub(paren, folded)
    if "/" in folded:  # "verkoper/verkoopster", "kok/chef": the first of the pair
        folded = _TITLE_PAIR.sub(r"\1", folded)
    segments = [seg for seg in _TITLE_SEPARATORS.split(f" {folded} ") if seg.strip()]
    for segment in segments:
        words = _clean_segment(segment)
        if words and " ".join(words) not in _places():
            return " ".join(words)
    return normalize_text(text)


def _without_place(key: str) -> str:
    """``key`` without a trailing place name (``magazijnmedewerker tilburg``), else ``key``."""
    return " ".join(_drop_place_tail(key.split()))


def _title_key(text: str) -> str:
    return normalize_text(text)


def _variants(key: str) -> tuple[str, str, str, str, str]:
    """Lookup keys, strictest first: as is, without spaces, without plural endings, with the
    words sorted (``medewerker magazijn`` finds ``magazijn medewerker``) and sorted without
    little words (``medewerker van de schoonmaak``)."""
    words = key.split()
    content = sorted(w for w in words if w not in _TITLE_STOPWORDS) or sorted(words)
    return (
        key,
        "".join(words),
        "".join(_stem(w) for w in words),
        " ".join(sorted(words)),
        " ".join(content),
    )


def _deletes(word: str) -> set[str]:
    """The word with one character removed, every way (the SymSpell neighbourhood)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True)
class Match:
    """How one free-text string was understood.

    ``method`` is ``"exact"`` (a label), ``"synonym"`` (another surface form), ``"fuzzy"``
    (rapidfuzz above the cutoff, or a known title inside a longer title) or ``"unknown"``;
    ``confidence`` is 0..1 (0 for unknown). ``suggestions`` holds the nearest
    ``(concept_id, label, score)`` candidates for unknown strings, score 0..1.
    """

    text: str
    concept_id: str | None
    label: str | None
    confidence: float
    method: str
    suggestions: tuple[tuple[str, str, float], ...] = ()

    @property
    def matched(self) -> bool:
        """True when a concept was found."""
        return self.concept_id is not None


@dataclass(frozen=True)
class NormalizedProfile:
    """The normalised skills and occupations of one profile, with what was not understood.

    ``skills`` holds explicit skills (``implied=False``) and the usual skills of the matched
    occupations (``implied=True``, weaker), each concept once with its strongest reference.
    """

    skills: tuple[ConceptRef, ...]
    occupations: tuple[ConceptRef, ...]
    unknown: tuple[Match, ...]


class _Index:
    """Exact dictionary and fuzzy choice lists over the surface forms of one kind of concept."""

    def __init__(
        self,
        concepts: Iterable[Skill | Occupation],
        key_fn: Callable[[str], str],
        cutoff: float,
        clean_fn: Callable[[str], str] | None = None,
        *,
        short_typos: bool = False,
    ) -> None:
        self.key_fn = key_fn
        self.clean_fn = clean_fn
        #: accept one typo in a 7+ letter query below the cutoff when only one concept is near
        self.short_typos = short_typos
        self.cutoff = cutoff
        self.labels: dict[str, str] = {}
        # key -> candidates (priority, concept id, is label); lowest priority wins
        found: dict[str, dict[str, tuple[int, bool]]] = {}

        for concept in concepts:
            cid = concept.id
            self.labels[cid] = concept.label_nl
            forms = concept.surface_forms
            keys: dict[str, tuple[int, bool]] = {}  # this concept's keys, best priority first
            for position, key in enumerate(map(key_fn, forms)):
                if not key or key in keys:
                    continue
                is_label = position < 2
                keys[key] = (0 if is_label else 1, is_label)
            for key, (_, is_label) in list(keys.items()):
                for priority, variant in enumerate(_variants(key)[1:], start=1):
                    if variant not in keys:
                        keys[variant] = (_VARIANT_PRIORITY[priority], is_label)
            for key, entry in keys.items():
                slot = found.get(key)
                if slot is None:
                    found[key] = {cid: entry}
                else:
                    old = slot.get(cid)
                    if old is None or entry[0] < old[0]:
                        slot[cid] = entry

        self.exact: dict[str, tuple[str, str, float]] = {}
        #: keys that name more than one concept at the same priority: never matched exactly
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        for key, slot in found.items():
            if len(slot) == 1:
                ((cid, (best, is_label)),) = slot.items()
                if best <= 1:
                    conf = _CONF_LABEL if is_label else _CONF_SYNONYM
                else:
                    conf = _CONF_LABEL_VARIANT if is_label else _CONF_SYNONYM_VARIANT
                self.exact[key] = (cid, "exact" if is_label else "synonym", conf)
                continue
            best = min(p for p, _ in slot.values())
            winners = sorted(cid for cid, (p, _) in slot.items() if p == best)
            if len(winners) > 1:
                self.ambiguous[key] = tuple(winners)
                continue
            cid = winners[0]
            is_label = slot[cid][1]
            if best <= 1:
                conf = _CONF_LABEL if is_label else _CONF_SYNONYM
            else:
                conf = _CONF_LABEL_VARIANT if is_label else _CONF_SYNONYM_VARIANT
            self.exact[key] = (cid, "exact" if is_label else "synonym", conf)

        # Fuzzy choices: the compact form (no spaces) of every unambiguous surface form.
        by_compact: dict[str, set[str]] = {}
        for key, slot in found.items():
            if key in self.exact and any(p <= 1 for p, _ in slot.values()):
                by_compact.setdefault(key.replace(" ", ""), set()).add(self.exact[key][0])
        pairs = sorted((k, next(iter(ids))) for k, ids in by_compact.items() if len(ids) == 1)
        self.choices: list[str] = [k for k, _ in pairs]
        self.choice_ids: list[str] = [cid for _, cid in pairs]
        #: choice indices sorted by length, and those lengths (for the length pre-filter)
        self.by_length: list[int] = sorted(
            range(len(self.choices)), key=lambda i: len(self.choices[i])
        )
        self.choice_lengths: list[int] = [len(self.choices[i]) for i in self.by_length]
        # Choices by their first and by their last _AFFIX letters: one or two typos in a query
        # of _AFFIX_MIN_CHARS or more letters leave one of its ends intact, so these lists hold
        # its match (see best_many).
        by_affix: dict[str, list[int]] = {}
        for idx, choice in enumerate(self.choices):
            if len(choice) >= _AFFIX:
                by_affix.setdefault("<" + choice[:_AFFIX], []).append(idx)
                by_affix.setdefault(">" + choice[-_AFFIX:], []).append(idx)
        #: affix -> (choice indices, their strings), the strings ready for process.extract
        self.by_affix: dict[str, tuple[list[int], list[str]]] = {
            key: (idx, [self.choices[i] for i in idx]) for key, idx in by_affix.items()
        }
        # One-deletion neighbourhood of every choice: finds the choices within one typo of a
        # query (dropped, added, replaced or swapped letter) by dictionary lookups. Only for a
        # small vocabulary (skills): for tens of thousands of titles it costs more to build
        # than the length-windowed cdist of best_many costs to run.
        self.neighbours: dict[str, list[int]] = {}
        for idx, choice in enumerate(
            self.choices if len(self.choices) <= _NEAR_MAX_CHOICES else ()
        ):
            if len(choice) >= _NEAR_MIN_CHARS:
                for variant in {choice} | _deletes(choice):
                    self.neighbours.setdefault(variant, []).append(idx)

    def lookup(self, key: str) -> tuple[str, str, float] | None:
        exact = self.exact
        hit = exact.get(key)
        if hit is not None:
            return hit
        words = key.split()
        hit = exact.get("".join(words))
        if hit is None:
            hit = exact.get("".join([_stem(w) for w in words]))
        if hit is None and len(words) > 1:
            hit = exact.get(" ".join(sorted(words)))
            content = [w for w in words if w not in _TITLE_STOPWORDS]
            if hit is None and content:
                hit = exact.get(" ".join(sorted(content)))
            if hit is None and len(content) == 2:  # "medewerker schoonmaak": schoonmaakmedewerker
                hit = exact.get(content[1] + content[0])
        return hit

    def prefix(self, key: str) -> tuple[str, str, float] | None:
        """The one concept with a surface form that starts with the whole query.

        A coach who types the head of a longer form ("graafmachine" for "graafmachine bedienen",
        "computer vaardig" for "computervaardigheden") means that concept if no other concept
        has a form starting the same way and the query covers at least half the form.
        """
        compact = key.replace(" ", "")
        if len(compact) < _PREFIX_MIN_CHARS:
            return None
        start = bisect.bisect_left(self.choices, compact)
        found: dict[str, int] = {}
        for idx in range(start, len(self.choices)):
            form = self.choices[idx]
            if not form.startswith(compact):
                break
            cid = self.choice_ids[idx]
            found[cid] = min(found.get(cid, len(form)), len(form))
        if len(found) != 1:
            return None
        cid, length = next(iter(found.items()))
        cover = len(compact) / length
        if cover < _PREFIX_MIN_COVER:
            return None
        return cid, "fuzzy", round(0.6 + 0.3 * cover, 3)

    def subphrase(self, key: str) -> tuple[str, str, float] | None:
        """The longest run of words inside ``key`` that is itself a surface form."""
        words = key.split()
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                if len(phrase) < 4:
                    continue
                hit = self.lookup(phrase)
                if hit is not None:
                    cover = len(phrase) / len(key)
                    if cover < _SUBPHRASE_MIN_COVER:
                        return None  # a generic head word ("operator") is not the title
                    return hit[0], "fuzzy", round(0.6 + 0.3 * cover, 3)
        return None

    def near(self, compact: str) -> tuple[int, float] | None:
        """Best choice within one typo of ``compact`` scoring at least the cutoff, if any."""
        if len(compact) < _NEAR_MIN_CHARS or not self.neighbours:
            return None
        neighbours = self.neighbours
        candidates: set[int] = set(neighbours.get(compact, ()))
        for i in range(len(compact)):
            found = neighbours.get(compact[:i] + compact[i + 1 :])
            if found:
                candidates.update(found)
        if not candidates:
            return None
        best: tuple[int, float] | None = None
        owners: set[str] = set()
        for idx in sorted(candidates):
            score = fuzz.ratio(compact, self.choices[idx], score_cutoff=_NEAR_SHORT_CUTOFF)
            if score:
                owners.add(self.choice_ids[idx])
                if best is None or score > best[1]:
                    best = (idx, score)
        if best is None or best[1] >= self.cutoff:
            return best
        # one typo in a word of 7 to 11 letters costs more than the cutoff allows ("tuvnier"):
        # accepted when only one concept is that close
        if self.short_typos and len(compact) >= _NEAR_SHORT_MIN_CHARS and len(owners) == 1:
            return best
        return None

    def scores(
        self, queries: list[str], cutoff: float | None, dtype: type = np.uint8
    ) -> np.ndarray:
        """rapidfuzz ``ratio`` of every query against every choice (0-100).

        Queries and choices are compact keys (folded by :func:`normalize_text`, spaces removed,
        so "order picken" meets "orderpicken"), hence ``processor=None``.
        """
        return process.cdist(
            queries,
            self.choices,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=cutoff,
            dtype=dtype,
            workers=-1,
        )

    def _windows(self, keys: list[str], cutoff: float) -> Iterator[tuple[list[int], list[int]]]:
        """(query rows, choice indices) per query length: the choices whose length allows a
        ``fuzz.ratio`` of at least ``cutoff`` (within a factor ``(200 - c) / c``), a contiguous
        slice of the choices sorted by length."""
        by_length: dict[int, list[int]] = {}
        for i, key in enumerate(keys):
            by_length.setdefault(len(key), []).append(i)
        factor = (200.0 - cutoff) / cutoff
        lengths = self.choice_lengths
        for length, rows in sorted(by_length.items()):
            lo = bisect.bisect_left(lengths, int(np.ceil(length / factor - 1e-9)))
            hi = bisect.bisect_right(lengths, int(np.floor(length * factor + 1e-9)))
            if lo < hi:
                for start in range(0, len(rows), _CHUNK):
                    yield rows[start : start + _CHUNK], self.by_length[lo:hi]

    def best_many(self, keys: list[str]) -> list[tuple[int, float] | None]:
        """The best choice at or above the cutoff for each key (compacted here), if any.

        Candidate pre-filter, then rapidfuzz ``fuzz.ratio`` with ``processor=None`` (keys and
        choices are already folded and compact) and an explicit ``score_cutoff``:

        * a key of ``_AFFIX_MIN_CHARS`` letters or more is scored (``process.extract``) only
          against the choices that share its first or its last ``_AFFIX`` letters: a form one
          or two typos away keeps one end intact;
        * shorter keys are grouped by length and scored with ``process.cdist`` against the
          choices of compatible length: ``fuzz.ratio`` can only reach the cutoff ``c`` when the
          lengths are within a factor ``(200 - c) / c``.

        With ``short_typos``, a key of 7 or more letters whose best score is under the cutoff
        but at least ``_NEAR_SHORT_CUTOFF`` (one typo in a short word) is accepted when every
        choice that close names the same concept.
        """
        compact = [k.replace(" ", "") for k in keys]
        out: list[tuple[int, float] | None] = [None] * len(keys)
        low = min(self.cutoff, _NEAR_SHORT_CUTOFF) if self.short_typos else self.cutoff
        ids, choices = self.choice_ids, self.choices

        def decide(row: int, scored: list[tuple[int, float]]) -> None:
            if not scored:
                return
            col, score = max(scored, key=lambda cs: (cs[1], -cs[0]))
            if score >= self.cutoff:
                out[row] = (col, score)
            elif (
                _NEAR_SHORT_MIN_CHARS <= len(compact[row]) <= _NEAR_SHORT_MAX_CHARS
                and len({ids[c] for c, _ in scored}) == 1
            ):
                out[row] = (col, score)

        short: list[int] = []
        use_affix = len(choices) > _NEAR_MAX_CHOICES and low >= _AFFIX_MIN_CUTOFF
        for row, key in enumerate(compact):
            if len(key) < _AFFIX_MIN_CHARS or not use_affix:
                short.append(row)
                continue
            decide(row, self._affix_scores(key, cutoff=low, limit=8))
        keys_short = [compact[i] for i in short]
        for rows, order in self._windows(keys_short, low):
            scores = process.cdist(
                [keys_short[i] for i in rows],
                [choices[j] for j in order],
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=low,
                dtype=np.uint8,
                workers=-1,
            )
            for k, row in enumerate(rows):
                hits = np.flatnonzero(scores[k])
                decide(short[row], [(order[int(c)], float(scores[k, c])) for c in hits])
        return out

    def _affix_scores(self, key: str, *, cutoff: float, limit: int) -> list[tuple[int, float]]:
        """(choice, score) for ``key`` among the choices sharing its first or last letters."""
        scored: list[tuple[int, float]] = []
        for end in ("<" + key[:_AFFIX], ">" + key[-_AFFIX:]):
            listed = self.by_affix.get(end)
            if listed is not None:
                found = process.extract(
                    key,
                    listed[1],
                    scorer=fuzz.ratio,
                    processor=None,
                    score_cutoff=cutoff,
                    limit=limit,
                )
                scored += [(listed[0][i], float(score)) for _, score, i in found]
        return scored

    def _pick(self, scored: list[tuple[int, float]]) -> tuple[tuple[str, str, float], ...]:
        """Up to N_SUGGESTIONS distinct concepts from (choice, score) pairs, best first."""
        picked: list[tuple[str, str, float]] = []
        for col, value in sorted(scored, key=lambda cs: (-cs[1], cs[0])):
            cid = self.choice_ids[col]
            if value > 0 and all(p[0] != cid for p in picked):
                score = np.floor(value) / 100  # floor: never rounds up to the cutoff
                picked.append((cid, self.labels[cid], round(float(score), 2)))
            if len(picked) == N_SUGGESTIONS:
                break
        return tuple(picked)

    def suggest_many(self, keys: list[str]) -> list[tuple[tuple[str, str, float], ...]]:
        """The nearest distinct concepts for each key (scores from 50 up), best first.

        Long keys look among the choices sharing their first or last letters (as in
        :meth:`best_many`); short keys, and long ones with nothing there, among all choices of
        compatible length.
        """
        compact = [k.replace(" ", "") for k in keys]
        out: list[tuple[tuple[str, str, float], ...]] = [()] * len(keys)
        choices = self.choices
        for row, key in enumerate(compact):
            if len(key) < _AFFIX_MIN_CHARS or len(choices) <= _NEAR_MAX_CHOICES:
                continue
            out[row] = self._pick(
                self._affix_scores(key, cutoff=_SUGGEST_CUTOFF, limit=4 * N_SUGGESTIONS)
            )
        rest = [i for i, found in enumerate(out) if not found]
        rest_keys = [compact[i] for i in rest]
        for rows, order in self._windows(rest_keys, _SUGGEST_CUTOFF):
            # float scores, so a suggestion just under the cutoff never shows as the cutoff
            scores = process.cdist(
                [rest_keys[i] for i in rows],
                [choices[j] for j in order],
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=_SUGGEST_CUTOFF,
                dtype=np.float32,
                workers=-1,
            )
            depth = min(len(order), 4 * N_SUGGESTIONS)
            top = np.argpartition(-scores, depth - 1, axis=1)[:, :depth]
            for row, values, cols in zip(rows, scores, top, strict=True):
                scored = [(order[int(c)], float(values[c])) for c in cols]
                out[rest[row]] = self._pick(scored)
        missing = [i for i, found in enumerate(out) if not found and compact[i]]
        if missing:  # nothing within reach: the nearest of all, however far
            far = process.cdist(
                [compact[i] for i in missing],
                self.choices,
                scorer=fuzz.ratio,
                processor=None,
                dtype=np.float32,
                workers=-1,
            )
            for i, values in zip(missing, far, strict=True):
                col = int(values.argmax())
                cid = self.choice_ids[col]
                score = round(float(np.floor(float(values[col])) / 100), 2)
                out[i] = ((cid, self.labels[cid], score),) if values[col] > 0 else ()
        return out

    def match(self, texts: Sequence[str], *, subphrases: bool) -> list[Match]:
        # Every step below folds case first (``normalize_text``, ``clean_title``), so texts
        # that differ only in case ("Heftruck", "HEFTRUCK") are matched once, as lower case,
        # and each keeps its own text in its Match.
        lowered = {text: text.lower() for text in dict.fromkeys(texts)}
        unique = list(dict.fromkeys(lowered.values()))
        results: dict[str, Match] = {}
        pending: list[tuple[str, str]] = []  # (text, key) left for fuzzy matching
        unknown: list[tuple[str, str]] = []
        for text in unique:
            key = self.key_fn(text)
            if not key or _NEGATIONS.intersection(key.split()):
                unknown.append((text, key))
                continue
            hit = self.lookup(key)
            if self.clean_fn is not None:
                cleaned = self.clean_fn(text)
                if hit is None and cleaned != key:
                    hit = self.lookup(cleaned)
                if hit is None and " " in cleaned:
                    placeless = _without_place(cleaned)
                    hit = self.lookup(placeless) if placeless != cleaned else None
                key = cleaned or key
                if hit is None and key in GENERIC_TITLES:
                    unknown.append((text, key))
                    continue
            if hit is None:
                # "VCA certificaat" -> "VCA"; only as a fallback, since certificate concepts
                # are themselves named "X certificaat" beside the skill X
                bare = _CERTIFICATE_WORD.sub("", key)
                hit = self.lookup(bare) if bare != key else None
            if hit is not None:
                cid, method, conf = hit
                results[text] = Match(text, cid, self.labels[cid], conf, method)
                continue
            close = self.near(key.replace(" ", ""))
            if close is not None:
                cid = self.choice_ids[close[0]]
                conf = round(_FUZZY_SCALE * close[1] / 100.0, 3)
                results[text] = Match(text, cid, self.labels[cid], conf, "fuzzy")
            else:
                pending.append((text, key))
        for start in range(0, len(pending), _CHUNK):
            chunk = pending[start : start + _CHUNK]
            for (text, key), best in zip(chunk, self.best_many([k for _, k in chunk]), strict=True):
                if best is not None:
                    cid = self.choice_ids[best[0]]
                    conf = round(_FUZZY_SCALE * best[1] / 100.0, 3)
                    results[text] = Match(text, cid, self.labels[cid], conf, "fuzzy")
                    continue
                head = self.subphrase(key) if subphrases and " " in key else None
                if head is None:
                    head = self.prefix(key)
                if head is not None:
                    cid, method, conf = head
                    results[text] = Match(text, cid, self.labels[cid], conf, method)
                else:
                    unknown.append((text, key))
        suggestions = self.suggest_many([key for _, key in unknown if key])
        found = iter(suggestions)
        for text, key in unknown:
            results[text] = Match(text, None, None, 0.0, "unknown", next(found) if key else ())
        out: list[Match] = []
        for text in texts:
            m = results[lowered[text]]
            out.append(m if m.text == text else replace(m, text=text))
        return out


def _check_cutoff(name: str, value: float) -> float:
    if not 1.0 < value <= 100.0:
        raise ValueError(f"{name}: {value!r} is out of range; use rapidfuzz's 0-100 scale, e.g. 86")
    return float(value)


class Normalizer:
    """Maps free-text skills and job titles to taxonomy concepts, in batches.

    Parameters
    ----------
    taxonomy : Taxonomy
        The concepts to match against.
    skill_cutoff, title_cutoff : float
        rapidfuzz score cutoffs on the 0-100 scale; fuzzy matches below them are unknown.

    Examples
    --------
    >>> norm = Normalizer(load_taxonomy())
    >>> m = norm.titles(["Magazijnmedewerker (m/v)"])[0]
    >>> (m.concept_id, m.method)
    ('oc_magazijnmedewerker', 'exact')
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        *,
        skill_cutoff: float = DEFAULT_SKILL_CUTOFF,
        title_cutoff: float = DEFAULT_TITLE_CUTOFF,
    ) -> None:
        self.taxonomy = taxonomy
        self.skill_cutoff = _check_cutoff("skill_cutoff", skill_cutoff)
        self.title_cutoff = _check_cutoff("title_cutoff", title_cutoff)
        self._skills = _Index(taxonomy.skills.values(), _skill_key, self.skill_cutoff)
        self._titles = _Index(
            taxonomy.occupations.values(),
            _title_key,
            self.title_cutoff,
            clean_title,
            short_typos=True,
        )

    def skills(self, texts: Sequence[str]) -> list[Match]:
        """Match free-text skills and certificates, one :class:`Match` per input, in order.

        Parameters
        ----------
        texts : sequence of str
            Skills as typed, Dutch or English.

        Returns
        -------
        list of Match

        Examples
        --------
        >>> [m.concept_id for m in get_normalizer().skills(["order picken", "Heftruck"])]
        ['sk_orderpicken', 'sk_heftruck']
        """
        return self._skills.match(texts, subphrases=False)

    def titles(self, texts: Sequence[str]) -> list[Match]:
        """Match free-text job titles to occupations, one :class:`Match` per input, in order.

        Vacancy boilerplate (``(m/v)``, ``32 uur``, ``ervaren``) is ignored, and a known title
        inside a longer one (``magazijnmedewerker Tilburg``) is found with method ``"fuzzy"``.

        Examples
        --------
        >>> get_normalizer().titles(["heftruck chauffeur"])[0].concept_id
        'oc_heftruckchauffeur'
        """
        return self._titles.match(texts, subphrases=True)

    def implied_skills(self, occupation_id: str) -> tuple[str, ...]:
        """The skill ids an occupation usually needs.

        Raises
        ------
        ValueError
            If the occupation id is unknown.

        Examples
        --------
        >>> "sk_heftruck" in get_normalizer().implied_skills("oc_heftruckchauffeur")
        True
        """
        occupation = self.taxonomy.occupations.get(occupation_id)
        if occupation is None:
            raise ValueError(f"occupation_id: unknown occupation {occupation_id!r}")
        return occupation.skills

    def likely_skills(self, occupation_id: str) -> tuple[str, ...]:
        """The usual skills an occupation makes likely: its skills without certificates.

        A job title says someone probably can do the work, never that they hold a certificate
        or licence (a forklift certificate, code 95): those count only when stated.

        Examples
        --------
        >>> "sk_code95" in get_normalizer().likely_skills("oc_vrachtwagenchauffeur")
        False
        """
        skills = self.taxonomy.skills
        return tuple(
            s for s in self.implied_skills(occupation_id) if skills[s].kind != "certificate"
        )

    def profile(self, skills: Sequence[str], occupations: Sequence[str]) -> NormalizedProfile:
        """Normalise one profile's skills and occupations (see :meth:`profiles`).

        Examples
        --------
        >>> p = get_normalizer().profile(["VCA", "heftruck"], ["magazijnmedewerker"])
        >>> [s.id for s in p.skills if not s.implied]
        ['sk_vca_basis', 'sk_heftruck']
        """
        return self.profiles([(skills, occupations)])[0]

    def profiles(
        self, batch: Sequence[tuple[Sequence[str], Sequence[str]]]
    ) -> list[NormalizedProfile]:
        """Normalise many profiles at once: every distinct string is matched only once.

        A free-text skill that is not a skill but names an occupation exactly (``"heftruck-
        chauffeur"``) counts as that occupation. Matched occupations bring their usual skills
        (never certificates, see :meth:`likely_skills`) as implied ("likely") skills with
        ``IMPLIED_FACTOR`` times the occupation's confidence. Blank strings
        are skipped; everything else not understood is in ``unknown``.

        Parameters
        ----------
        batch : sequence of (skills, occupations)
            Per profile, the free-text skills and the free-text occupations.

        Returns
        -------
        list of NormalizedProfile
            One per input profile, in order.

        Examples
        --------
        >>> out = get_normalizer().profiles([(["kassa"], []), (["tuinieren"], ["hovenier"])])
        >>> [p.occupations[0].id if p.occupations else None for p in out]
        [None, 'oc_hovenier']
        """
        skill_texts = list(dict.fromkeys(s for skills, _ in batch for s in skills if s.strip()))
        title_texts = list(dict.fromkeys(t for _, titles in batch for t in titles if t.strip()))
        skill_matches = dict(zip(skill_texts, self.skills(skill_texts), strict=True))
        title_matches = dict(zip(title_texts, self.titles(title_texts), strict=True))
        # an unknown skill that exactly names an occupation is that occupation
        as_title: dict[str, Match] = {}
        for text, found in skill_matches.items():
            if not found.matched:
                hit = self._titles.lookup(clean_title(text))
                if hit is not None:
                    cid, method, conf = hit
                    as_title[text] = Match(text, cid, self._titles.labels[cid], conf, method)
        # ConceptRef is frozen, so equal references are shared between profiles (saves time
        # and memory on large imports); each distinct text gets its reference once
        refs_made: dict[tuple[str, float, bool], ConceptRef] = {}

        def ref(cid: str, conf: float, weak: bool) -> ConceptRef:
            key = (cid, conf, weak)
            made = refs_made.get(key)
            if made is None:
                made = refs_made[key] = ConceptRef(cid, conf, weak)
            return made

        Found = tuple[str, float, ConceptRef]  # concept id, confidence, reference
        skill_found: dict[str, Found] = {}
        for text, m in skill_matches.items():
            if m.concept_id is not None:
                skill_found[text] = (
                    m.concept_id,
                    m.confidence,
                    ref(m.concept_id, m.confidence, False),
                )
        title_found: dict[str, Found] = {}
        for text, m in [*title_matches.items(), *as_title.items()]:
            if m.concept_id is not None:
                key = ("t:" if text in title_matches else "s:") + text
                title_found[key] = (
                    m.concept_id,
                    m.confidence,
                    ref(m.concept_id, m.confidence, False),
                )
        implied_cache: dict[tuple[str, float], list[Found]] = {}

        def implied_of(oid: str, conf: float) -> list[Found]:
            made = implied_cache.get((oid, conf))
            if made is None:
                weak = round(IMPLIED_FACTOR * conf, 3)
                made = implied_cache[(oid, conf)] = [
                    (sid, weak, ref(sid, weak, True)) for sid in self.likely_skills(oid)
                ]
            return made

        out: list[NormalizedProfile] = []
        for skills, titles in batch:
            occ: dict[str, tuple[float, ConceptRef]] = {}
            unknown: list[Match] = []
            for text in titles:
                got = title_found.get("t:" + text)
                if got is None:
                    missed = title_matches.get(text)
                    if missed is not None:  # blank titles were never matched: skipped
                        unknown.append(missed)
                    continue
                gid, gconf, gref = got
                old = occ.get(gid)
                if old is None or old[0] < gconf:
                    occ[gid] = (gconf, gref)
            explicit: dict[str, tuple[float, ConceptRef]] = {}
            for text in skills:
                got = skill_found.get(text)
                if got is not None:
                    gid, gconf, gref = got
                    held = explicit.get(gid)
                    if held is None or held[0] < gconf:
                        explicit[gid] = (gconf, gref)
                    continue
                got = title_found.get("s:" + text)
                if got is not None:  # a skill that names an occupation
                    gid, gconf, gref = got
                    old = occ.get(gid)
                    if old is None or old[0] < gconf:
                        occ[gid] = (gconf, gref)
                    continue
                missed = skill_matches.get(text)
                if missed is not None:
                    unknown.append(missed)
            refs = [gref for _, gref in explicit.values()]
            if occ:
                implied: dict[str, tuple[float, ConceptRef]] = {}
                for oid, (gconf, _) in occ.items():
                    for sid, weak, gref in implied_of(oid, gconf):
                        if sid not in explicit:
                            old = implied.get(sid)
                            if old is None or old[0] < weak:
                                implied[sid] = (weak, gref)
                refs.extend([gref for _, gref in implied.values()])
            out.append(
                NormalizedProfile(
                    skills=tuple(refs),
                    occupations=tuple([gref for _, gref in occ.values()]),
                    unknown=tuple(unknown),
                )
            )
        return out


_BUILDING = threading.Lock()
_built: Normalizer | None = None


@functools.lru_cache(maxsize=1)
def get_normalizer() -> Normalizer:
    """The :class:`Normalizer` on the default taxonomy, built once, also when many threads ask
    for it first at the same moment (``lru_cache`` alone would let each of them build one:
    measured in a server whose 16 coaches edited profiles right after start, the builds took
    three quarters of its CPU for seconds).

    Examples
    --------
    >>> get_normalizer() is get_normalizer()
    True
    """
    global _built
    # the lock makes the first callers wait for one build; lru_cache then answers every later
    # call without taking it
    with _BUILDING:
        if _built is None:
            _built = Normalizer(load_taxonomy())
        return _built


# --- education -------------------------------------------------------------------------------

#: Free-text education names (folded by :func:`normalize_text`) to NLQF levels.
EDUCATION_NAMES: dict[str, int] = {
    **EDUCATION_LEVELS,
    "geen diploma": 0,
    "geen opleiding": 0,
    "geen onderwijs": 0,
    "none": 0,
    "no diploma": 0,
    "no education": 0,
    "basisschool": 0,
    "lagere school": 0,
    "primary school": 0,
    "primary education": 0,
    "praktijkonderwijs": 0,
    "pro": 0,
    "vso": 0,
    "speciaal onderwijs": 0,
    "voortgezet speciaal onderwijs": 0,
    "entree": 1,
    "entree opleiding": 1,
    "entreeopleiding": 1,
    "assistentenopleiding": 1,
    "vmbo b": 1,
    "vmbo bb": 1,
    "vmbo basis": 1,
    "vmbo basisberoepsgericht": 1,
    "vmbo basisberoepsgerichte leerweg": 1,
    "lbo": 1,
    "vbo": 1,
    "lts": 1,
    "lhno": 1,
    "vmbo k": 2,
    "vmbo kb": 2,
    "vmbo kader": 2,
    "vmbo kaderberoepsgericht": 2,
    "vmbo kaderberoepsgerichte leerweg": 2,
    "vmbo gl": 2,
    "vmbo gemengd": 2,
    "vmbo gemengde leerweg": 2,
    "vmbo tl": 2,
    "vmbo theoretisch": 2,
    "vmbo theoretische leerweg": 2,
    "mavo": 2,
    "mulo": 2,
    "mbo": 2,
    "startkwalificatie": 2,
    "basisberoepsopleiding": 2,
    "vakopleiding": 3,
    "middenkaderopleiding": 4,
    "specialistenopleiding": 4,
    "atheneum": 4,
    "gymnasium": 4,
    "hbs": 4,
    "mms": 4,
    "high school": 4,
    "secondary school": 4,
    "associate degree": 5,
    "ad": 5,
    "hbo bachelor": 6,
    "wo bachelor": 6,
    "bachelor": 6,
    "hogeschool": 6,
    "universiteit": 6,
    "university": 6,
    "bsc": 6,
    "ba": 6,
    "master": 7,
    "hbo master": 7,
    "wo master": 7,
    "msc": 7,
    "ma": 7,
    "drs": 7,
    "ir": 7,
    "mr": 7,
    "doctoraal": 7,
    "phd": 8,
    "doctoraat": 8,
    "gepromoveerd": 8,
}
_MBO_LEVEL = re.compile(r"^(?:mbo\s*)?(?:niveau|level|n)?\s*([1-4])$")
#: "mbo niveau 1 (entree)", "diploma mbo-2 logistiek": an mbo level anywhere in the text.
_MBO_ANYWHERE = re.compile(r"\bmbo\s*(?:niveau|level|n)?\s*([1-4])\b")
_EDU_FILLER = re.compile(r"\b(?:diploma|afgerond|opleiding|onderwijs)\b")


def normalize_education(text: str) -> int | None:
    """Map an education code or diploma name to its NLQF level.

    Accepts the data-contract codes (``mbo2``, ``havo``, ...), ``MBO niveau 2``, ``mbo-3``,
    ``vmbo-kader``, ``vmbo bb`` (NLQF 1), ``Entree-opleiding``, ``geen diploma`` (0),
    ``bachelor``, ``master`` and the like.

    Parameters
    ----------
    text : str
        The education as typed.

    Returns
    -------
    int or None
        The NLQF level (0 = no qualification), or None for empty input.

    Raises
    ------
    ValueError
        Naming the value and the accepted forms when it is not understood.

    Examples
    --------
    >>> normalize_education("MBO niveau 2")
    2
    >>> normalize_education("geen diploma")
    0
    """
    key = normalize_text(text)
    if not key:
        return None
    candidates = [key, key.replace(" ", ""), " ".join(_EDU_FILLER.sub(" ", key).split())]
    for candidate in candidates:
        if candidate in EDUCATION_NAMES:
            return EDUCATION_NAMES[candidate]
        found = _MBO_LEVEL.match(candidate)
        if found and (candidate.startswith(("mbo", "niveau", "level"))):
            return int(found.group(1))
        if candidate.startswith("mbo") and candidate[3:].isdigit() and candidate[3:] in "1234":
            return int(candidate[3:])
    levels = {int(level) for level in _MBO_ANYWHERE.findall(key)}
    if len(levels) == 1:
        return levels.pop()
    raise ValueError(
        f"education: {text!r} is not understood; use one of {', '.join(EDUCATION_LEVELS)}, "
        "'mbo niveau 1-4', 'entree', 'vmbo-bb/kader/gl/tl', 'bachelor', 'master' or 'geen diploma'"
    )


# --- Dutch language level ----------------------------------------------------------------------

#: Words for Dutch proficiency, folded, to CEFR ordinals of ``matcher.vocab.DUTCH_LEVELS``.
DUTCH_LEVEL_WORDS: dict[str, int] = {
    "geen": 0,
    "none": 0,
    "nihil": 0,
    "analfabeet": 0,
    "beginner": 1,
    "basis": 1,
    "basic": 1,
    "beperkt": 1,
    "weinig": 1,
    "matig": 2,
    "gebrekkig": 2,
    "elementary": 2,
    "inburgering": 2,
    "inburgeringsexamen": 2,
    "redelijk": 3,
    "voldoende": 3,
    "intermediate": 3,
    "staatsexamen i": 3,
    "staatsexamen 1": 3,
    "nt2 i": 3,
    "goed": 4,
    "good": 4,
    "staatsexamen ii": 4,
    "staatsexamen 2": 4,
    "nt2 ii": 4,
    "zeer goed": 5,
    "vloeiend": 5,
    "uitstekend": 5,
    "fluent": 5,
    "excellent": 5,
    "very good": 5,
    "moedertaal": 7,
    "moedertaalspreker": 7,
    "native": 7,
    "native speaker": 7,
    "nederlandstalig": 7,
}
_CEFR = re.compile(r"\b([abc])\s*([0-2])\b")
_LEVEL_FILLER = re.compile(r"\b(?:nt2|nederlands|dutch|niveau|level|taal|taalniveau|cefr|ert)\b")


def normalize_dutch_level(text: str) -> int | None:
    """Map a Dutch proficiency (CEFR code or word) to an ordinal of ``DUTCH_LEVELS``.

    ``A0``..``C2`` give 0..6 and ``moedertaal`` 7. Words: ``basis`` A1, ``matig`` A2,
    ``redelijk`` B1, ``goed`` B2, ``vloeiend`` C1. ``NT2 B1`` and ``niveau B1`` give B1; a
    range such as ``A2/B1`` gives the lower level.

    Parameters
    ----------
    text : str
        The level as typed.

    Returns
    -------
    int or None
        The ordinal, or None for empty input.

    Raises
    ------
    ValueError
        Naming the value and the accepted forms when it is not understood.

    Examples
    --------
    >>> normalize_dutch_level("NT2 B1")
    3
    >>> normalize_dutch_level("moedertaal")
    7
    """
    key = normalize_text(text)
    if not key:
        return None
    codes = _CEFR.findall(key)
    if codes:
        return min(DUTCH_LEVELS[(letter + digit).upper()] for letter, digit in codes)
    for candidate in (key, " ".join(_LEVEL_FILLER.sub(" ", key).split())):
        if candidate in DUTCH_LEVEL_WORDS:
            return DUTCH_LEVEL_WORDS[candidate]
    raise ValueError(
        f"dutch_level: {text!r} is not understood; use one of "
        f"{', '.join(k if k != 'MOEDERTAAL' else 'moedertaal' for k in DUTCH_LEVELS)} "
        f"or a word such as {', '.join(sorted(DUTCH_LEVEL_WORDS)[:8])}, ..."
    )


# --- driving licences --------------------------------------------------------------------------

_LICENCE_WORDS: dict[str, str] = {
    "auto": "B",
    "personenauto": "B",
    "car": "B",
    "aanhanger": "BE",
    "aanhangwagen": "BE",
    "vrachtwagen": "C",
    "vrachtauto": "C",
    "truck": "C",
    "trekker oplegger": "CE",
    "oplegger": "CE",
    "bus": "D",
    "autobus": "D",
    "motor": "A",
    "motorfiets": "A",
    "bromfiets": "AM",
    "brommer": "AM",
    "scooter": "AM",
    "snorfiets": "AM",
}
_LICENCE_FILLER = re.compile(
    r"\b(?:rijbewijs|rijbewijzen|driving|drivers?|licen[cs]e|categorie|cat|klasse)\b"
)


def normalize_licences(items: Sequence[str]) -> tuple[str, ...]:
    """Map driving licences as typed to the codes of ``matcher.vocab.DRIVING_LICENCES``.

    Accepts ``B``, ``rijbewijs B``, ``C/E``, ``C+E``, ``BE`` and words such as ``vrachtwagen``;
    blanks are skipped; the result has no duplicates and follows the vocabulary's order.

    Parameters
    ----------
    items : sequence of str

    Returns
    -------
    tuple of str

    Raises
    ------
    ValueError
        Naming the value and the allowed codes; ``heftruck``/forklift is a certificate and
        belongs with the skills.

    Examples
    --------
    >>> normalize_licences(["rijbewijs B", "c/e", "b"])
    ('B', 'CE')
    """
    found: set[str] = set()
    for item in items:
        key = normalize_text(item)
        if not key:
            continue
        bare = " ".join(_LICENCE_FILLER.sub(" ", key).split())
        code = bare.replace(" ", "").upper()
        if code in DRIVING_LICENCES:
            found.add(code)
        elif bare in _LICENCE_WORDS:
            found.add(_LICENCE_WORDS[bare])
        elif any(word in key.split() for word in ("heftruck", "forklift", "reachtruck")):
            raise ValueError(
                f"driving_licences: {item!r} is a certificate, not a driving licence; "
                "put it in skills"
            )
        else:
            raise ValueError(
                f"driving_licences: {item!r} is not a driving licence; "
                f"allowed: {', '.join(DRIVING_LICENCES)}"
            )
    if not found:  # most profiles: no licence
        return ()
    return tuple(code for code in DRIVING_LICENCES if code in found)


# --- postcodes ---------------------------------------------------------------------------------

_POSTCODE = re.compile(r"^(?:NL-?)?([1-9][0-9]{3})([A-Z]{2})?$")
_FORBIDDEN_LETTERS = frozenset({"SA", "SD", "SS"})


def normalize_postcode(text: str) -> str:
    """Validate a Dutch postcode and return it as ``1234`` (PC4) or ``1234AB`` (PC6).

    Parameters
    ----------
    text : str
        ``3011``, ``3011AB``, ``3011 ab``, ``NL-3011 AB``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If it is not a Dutch postcode (PC4 runs 1000-9999; PC6 letters are never SA, SD, SS).

    Examples
    --------
    >>> normalize_postcode("3011 ab")
    '3011AB'
    >>> normalize_postcode("3011")
    '3011'
    """
    compact = "".join(str(text).split()).upper()
    found = _POSTCODE.match(compact)
    if not found or (found.group(2) or "") in _FORBIDDEN_LETTERS:
        raise ValueError(
            f"postcode: {text!r} is not a Dutch postcode; expected four digits 1000-9999, "
            "optionally followed by two letters other than SA, SD or SS, e.g. '3011' or '3011 AB'"
        )
    return found.group(1) + (found.group(2) or "")


def pc4(postcode: str) -> str:
    """The four-digit area (PC4) of a postcode.

    Examples
    --------
    >>> pc4("3011 ab")
    '3011'
    """
    return normalize_postcode(postcode)[:4]


# --- licences, language levels and facts inside free text ----------------------------------------

#: A licence named in a skills list or a sentence: "rijbewijs B", "B-rijbewijs", "rijbewijs C/E",
#: "CE", "BE-rijbewijs", "driving licence B". Codes are only read beside a licence word, or as
#: the whole text of a list item (a lone "A" never is).
_LICENCE_CODE = r"(?:am|a|be|b|ce|c|d)(?![a-z0-9])"
_LICENCE_NEAR_WORD = re.compile(
    rf"(?:(?<![a-z0-9])(?:rijbewijs|rijbewijzen|driving licen[cs]e|drivers? licen[cs]e|rb)"
    rf"(?:\s+(?:categorie|cat|klasse))?\s*(?P<after>{_LICENCE_CODE}(?:\s*(?:e|\+\s*e)(?![a-z0-9]))?)"
    rf"|(?<![a-z0-9])(?P<before>{_LICENCE_CODE})\s*(?:\+\s*e\s*)?[- ]?rijbewijs)"
)
_LICENCE_ALONE = re.compile(r"^(?:am|be|b|ce|c e|c\+e|c/e|d|b\+e|b/e)$")
_DUTCH_WORDS = re.compile(r"\b(?:nederlands|nt2|dutch|taalniveau)\b")


def licences_in(text: str) -> tuple[str, ...]:
    """Driving licence codes a piece of free text states (not negated).

    Parameters
    ----------
    text : str
        A skills-list item or a sentence.

    Returns
    -------
    tuple of str
        Codes of ``matcher.vocab.DRIVING_LICENCES``, in its order; empty when none is stated.

    Examples
    --------
    >>> licences_in("B-rijbewijs")
    ('B',)
    >>> licences_in("in bezit van rijbewijs C/E en code 95")
    ('CE',)
    >>> licences_in("geen rijbewijs B")
    ()
    """
    return _licences_in(text)


#: an import reads the same few skill texts a million times: each is parsed once
@functools.lru_cache(maxsize=1 << 16)
def _licences_in(text: str) -> tuple[str, ...]:
    lowered = text.lower().replace("/", "").replace("-", " ")
    if _NEGATIONS.intersection(normalize_text(text).split()):
        return ()
    found: set[str] = set()
    stripped = lowered.strip().replace(" ", "")
    if _LICENCE_ALONE.match(lowered.strip()) or _LICENCE_ALONE.match(stripped):
        found.add(stripped.replace("+", "").upper())
    for hit in _LICENCE_NEAR_WORD.finditer(lowered):
        code = (hit.group("after") or hit.group("before") or "").replace("+", "")
        code = "".join(code.split()).upper()
        if code in DRIVING_LICENCES:
            found.add(code)
    return tuple(code for code in DRIVING_LICENCES if code in found)


def dutch_level_in(text: str) -> int | None:
    """The Dutch level a skills-list item states ("Nederlands B1", "NT2 niveau A2"), if any.

    Examples
    --------
    >>> dutch_level_in("Nederlands op B1-niveau")
    3
    >>> dutch_level_in("Nederlands") is None
    True
    """
    return _dutch_level_in(text)


#: an import reads the same few skill texts a million times: each is parsed once
@functools.lru_cache(maxsize=1 << 16)
def _dutch_level_in(text: str) -> int | None:
    key = normalize_text(text)
    if not _DUTCH_WORDS.search(key) or not _CEFR.search(key):
        return None
    try:
        return normalize_dutch_level(text)
    except ValueError:
        return None


#: Clauses of a vacancy text that make what they name optional.
_OPTIONAL_CLAUSE = re.compile(
    r"\b(?:is een pre|een pre|pre\b|is een plus|een pluspunt|pluspunt|bij voorkeur|gewenst|"
    r"wenselijk|niet verplicht|geen vereiste|geen must|nice to have|leiden (?:wij|we) (?:je|u) "
    r"op|wij leiden op|we leiden op|leiden je op|wordt opgeleid|word je opgeleid|kun je bij ons "
    r"halen|(?:mag|kan) (?:je|u) bij ons halen|behaal je bij ons|krijg je van ons|"
    r"betalen (?:wij|we)|opleiding (?:krijg|volg) je)"
)
#: Clauses that ask for something: only there a named skill is required.
_REQUIRED_CLAUSE = re.compile(
    r"\b(?:vereist|vereisten|eis|eisen|must|noodzakelijk|verplicht|nodig|je hebt|jij hebt|"
    r"u heeft|heb je|heeft u|je beschikt|beschik je|in (?:het )?bezit van|ervaring (?:met|in)|"
    r"kennis van|kunnen|kun je|je kunt|je bent|ben je|we vragen|wij vragen|wat vragen wij|"
    r"wat wij vragen|gevraagd|required|requirements|you have|experience (?:with|in)|"
    r"je beheerst|beheers je|vaardig)\b"
)
_CLAUSES = re.compile(r"[.;!?\n\u2022]+|\s[-\u2013]\s")
_DESCRIPTION_HOURS = re.compile(
    r"(\d{1,2})(?:\s*(?:-|tot|a|\u2013)\s*(\d{1,2}))?\s*(?:uur|uren|u)\b(?:\s*(?:per|p/|/)\s*w)?"
)
#: Words a skill phrase in a description neither starts nor ends with.
_EDGE_WORDS = _TITLE_STOPWORDS | {"met", "je", "jij", "u", "wij", "we", "is", "zijn", "heb", "hebt"}
#: Longest run of words looked up as one skill in a description.
_MAX_PHRASE_WORDS = 4


@dataclass(frozen=True)
class DescriptionReading:
    """What a vacancy's free text states: skills (required or optional), licences, hours."""

    required: tuple[Match, ...]
    optional: tuple[Match, ...]
    licences: tuple[str, ...]
    hours: float | None


def read_description(text: str, normalizer: Normalizer | None = None) -> DescriptionReading:
    """Mine skills, certificates, licences and weekly hours from a vacancy's free text.

    Every run of one to four words of each clause is looked up in the exact skill dictionary
    (no fuzzy matching: a description is full of words that are near some skill); a longer run
    wins over the runs inside it. Skills in a clause saying ``is een pre``, ``wij leiden op``,
    ``bij voorkeur`` and the like are optional; in a clause that asks for something
    (``vereist``, ``je hebt``, ``ervaring met``, ``in bezit van``, ...) required; a clause that
    asks nothing ("Voor project Snoeiwerk zoeken wij een hovenier") gives no skills. A licence
    in any but an optional clause is returned in ``licences``; in an optional clause it is an
    optional skill. Hours are the upper end of ``32-40 uur`` (or ``36 uur per week``).

    Parameters
    ----------
    text : str
        The vacancy description.
    normalizer : Normalizer, optional
        Defaults to :func:`get_normalizer`.

    Returns
    -------
    DescriptionReading

    Examples
    --------
    >>> r = read_description("VCA en rijbewijs B vereist. Heftruckcertificaat is een pre. 36 uur")
    >>> [m.concept_id for m in r.required], [m.concept_id for m in r.optional]
    (['sk_vca_basis'], ['sk_heftruck'])
    >>> r.licences, r.hours
    (('B',), 36.0)
    """
    norm = normalizer or get_normalizer()
    index = norm._skills
    required: dict[str, Match] = {}
    optional: dict[str, Match] = {}
    licences: set[str] = set()
    hours: float | None = None
    for clause in _CLAUSES.split(text or ""):
        if not clause.strip():
            continue
        for found in _DESCRIPTION_HOURS.finditer(clause.lower()):
            value = float(found.group(2) or found.group(1))
            if 0 < value <= 60:
                hours = value if hours is None else max(hours, value)
        folded = normalize_text(clause)
        words = folded.split()
        if _NEGATIONS.intersection(words):
            continue
        is_optional = bool(_OPTIONAL_CLAUSE.search(folded))
        target = optional if is_optional else required
        if not is_optional:  # an optional licence stays an optional skill (below)
            licences.update(licences_in(clause))
        if not is_optional and not _REQUIRED_CLAUSE.search(folded):
            continue  # "Voor project Snoeiwerk zoeken wij ...": names things, asks nothing
        used = [False] * len(words)
        for size in range(min(_MAX_PHRASE_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(used[start : start + size]):
                    continue
                if {words[start], words[start + size - 1]} & _EDGE_WORDS:
                    continue  # "vca en", "een vca": the run without them is tried too
                phrase = " ".join(words[start : start + size])
                if len(phrase.replace(" ", "")) < 3:
                    continue
                hit = index.lookup(_skill_key(phrase))
                if hit is None:
                    continue
                cid = hit[0]
                if cid in _LICENCE_SKILLS and not is_optional:
                    continue  # a required licence goes to the licence field (above)
                for i in range(start, start + size):
                    used[i] = True
                if cid not in required and cid not in target:
                    target[cid] = Match(phrase, cid, index.labels[cid], hit[2], hit[1])
    return DescriptionReading(
        required=tuple(required.values()),
        optional=tuple(m for cid, m in optional.items() if cid not in required),
        licences=tuple(code for code in DRIVING_LICENCES if code in licences),
        hours=hours,
    )


#: Taxonomy skills that are driving licences, to the licence code they stand for.
_LICENCE_SKILLS: dict[str, str] = {
    "sk_rijbewijs_am": "AM",
    "sk_rijbewijs_a": "A",
    "sk_rijbewijs_b": "B",
    "sk_rijbewijs_be": "BE",
    "sk_rijbewijs_c": "C",
    "sk_rijbewijs_ce": "CE",
    "sk_rijbewijs_d": "D",
}


def licence_of_skill(skill_id: str) -> str | None:
    """The driving licence code a taxonomy skill stands for, if it is one.

    Examples
    --------
    >>> licence_of_skill("sk_rijbewijs_ce"), licence_of_skill("sk_heftruck")
    ('CE', None)
    """
    return _LICENCE_SKILLS.get(skill_id)
