"""Held-out style checks of the normaliser on real ESCO labels (issue 12).

The labels come from ``fixtures/taxonomy/esco_occupations.csv`` (ESCO's Dutch labels, every one
of them, also those the build left to another occupation: ``labels_dropped``). Occupations are
split by a hash of their URI into a development part and a held-out part; the rules of
``matcher.normalize`` were written looking at development labels only.

``vacancy_board`` writes a label the way Dutch vacancy boards do. It is written apart from the
normaliser's stripping rules (it does not import them) from what such boards show: "Ervaren ...
(m/v/x)", "Leerling ... (BBL)", "... 32-40 uur", a place, one typo, upper case.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ESCO_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "taxonomy" / "esco_occupations.csv"
SR_MAJOR_GROUPS = frozenset("45789")


@dataclass(frozen=True)
class Label:
    text: str
    isco08: str
    uri: str


def held_out(uri: str) -> bool:
    """A fixed fifth of the occupations, by URI hash, never looked at while writing rules."""
    return int(hashlib.sha256(uri.encode()).hexdigest()[:4], 16) % 5 == 0


def esco_labels(*, part: str) -> list[Label]:
    """Every Dutch label of the ESCO occupations in major groups 4, 5, 7, 8, 9.

    ``part`` is ``"dev"``, ``"held_out"`` or ``"all"``.
    """
    out = []
    with ESCO_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["isco08"][0] not in SR_MAJOR_GROUPS:
                continue
            if part != "all" and held_out(row["esco_uri"]) != (part == "held_out"):
                continue
            texts = [row["label_nl"]]
            for column in ("alt_labels", "hidden_labels", "labels_dropped"):
                texts += [t for t in row[column].split("|") if t]
            for text in dict.fromkeys(texts):
                out.append(Label(text, row["isco08"], row["esco_uri"]))
    return out


LETTERS = "abcdefghijklmnopqrstuvwxyz"
PLACES = ("Rotterdam", "Utrecht", "Den Haag", "Tilburg", "Almere", "Zwolle", "Eindhoven")


def typo(rng: random.Random, text: str) -> str:
    """One typo (dropped, doubled, swapped or replaced letter) in the longest word."""
    words = text.split(" ")
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 5:
        return text
    j = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        word = word[:j] + word[j + 1 :]
    elif kind == 1:
        word = word[:j] + word[j] + word[j:]
    elif kind == 2:
        word = word[: j - 1] + word[j] + word[j - 1] + word[j + 1 :]
    else:
        word = word[:j] + rng.choice(LETTERS.replace(word[j], "")) + word[j + 1 :]
    words[i] = word
    return " ".join(words)


def vacancy_board(rng: random.Random, label: str) -> str:
    """The label as a vacancy board would head it: one or two decorations, maybe a typo, maybe
    in capitals or with a capital first letter."""
    text = typo(rng, label) if rng.random() < 0.5 else label
    before = ("Ervaren ", "Junior ", "Senior ", "Allround ", "Zelfstandig ", "Leerling ", "")
    after = (
        " (m/v/x)",
        " (m/v)",
        " m/v",
        " (BBL)",
        " 32-40 uur",
        " 24 uur per week",
        " gezocht",
        f" - {rng.choice(PLACES)}",
        f" in {rng.choice(PLACES)}",
        " (Social Return)",
        " | fulltime",
        "",
    )
    text = rng.choice(before) + text + rng.choice(after)
    if rng.random() < 0.4:
        text += rng.choice(after)
    roll = rng.random()
    if roll < 0.25:
        text = text.upper()
    elif roll < 0.6:
        text = text[:1].upper() + text[1:]
    return text


@dataclass(frozen=True)
class Agreement:
    n: int
    agree: float  # share whose ISCO-08 3-digit group agrees
    unknown: float  # share not understood
    wrong: float


def title_agreement(
    read: Callable[[Sequence[str]], list[str | None]],
    labels: Sequence[Label],
    texts: Sequence[str] | None = None,
) -> Agreement:
    """How often ``read`` (texts -> ISCO-08 code or None) agrees with ESCO at 3 digits."""
    texts = list(texts) if texts is not None else [lb.text for lb in labels]
    found = read(texts)
    agree = sum(
        1 for lb, code in zip(labels, found, strict=True) if code and code[:3] == lb.isco08[:3]
    )
    unknown = sum(1 for code in found if code is None)
    n = len(labels)
    return Agreement(n, agree / n, unknown / n, (n - agree - unknown) / n)
