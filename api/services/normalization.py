"""How the engine reads one piece of free text: a skill, a title, an education, a language level
or a postcode, with the concept, label and score it found (``srmatch normalize`` prints it)."""

from __future__ import annotations

from typing import Any

from matcher.geo import get_geo
from matcher.normalize import (
    get_normalizer,
    normalize_dutch_level,
    normalize_education,
    normalize_postcode,
)
from matcher.taxonomy import load_taxonomy
from matcher.vocab import DUTCH_LEVEL_NAMES

KINDS = ("skill", "title", "education", "language", "postcode")


def explain(what: str, text: str) -> dict[str, Any]:
    """A JSON-ready account of how ``text`` is read as a ``what`` (see KINDS)."""
    if what in ("skill", "title"):
        norm = get_normalizer()
        m = (norm.skills if what == "skill" else norm.titles)([text])[0]
        out: dict[str, Any] = {
            "input": text,
            "kind": what,
            "ok": m.concept_id is not None,
            "concept_id": m.concept_id,
            "label": m.label,
            "confidence": round(m.confidence, 3),
            "method": m.method,
        }
        if what == "title" and m.concept_id:
            occ = load_taxonomy().occupations[m.concept_id]
            out["isco08"] = occ.isco08
            out["implied_skills"] = list(norm.implied_skills(m.concept_id))
        if m.concept_id is None:
            out["suggestions"] = [
                {"concept_id": s[0], "label": s[1], "score": round(s[2], 2)} for s in m.suggestions
            ]
            near = ", ".join(s[1] for s in m.suggestions[:3]) or "none"
            out["summary"] = f"{text!r}: not understood (nearest: {near})"
        else:
            isco = f", ISCO-08 {out['isco08']}" if "isco08" in out else ""
            out["summary"] = (
                f"{text!r} -> {m.concept_id} {m.label!r}{isco} "
                f"({m.method}, confidence {m.confidence:.2f})"
            )
        return out
    try:
        if what == "education":
            level = normalize_education(text)
            return {"input": text, "kind": what, "ok": True, "nlqf": level,
                    "summary": f"{text!r} -> NLQF {level}"}  # fmt: skip
        if what == "language":
            lvl = normalize_dutch_level(text)
            name = DUTCH_LEVEL_NAMES.get(lvl) if lvl is not None else None
            return {"input": text, "kind": what, "ok": True, "level": name, "ordinal": lvl,
                    "summary": f"{text!r} -> {name}"}  # fmt: skip
        if what == "postcode":
            pc = normalize_postcode(text)
            lat, lon = get_geo().coords(pc)
            return {"input": text, "kind": what, "ok": True, "postcode": pc, "lat": lat,
                    "lon": lon, "summary": f"{text!r} -> {pc} ({lat:.4f}, {lon:.4f})"}  # fmt: skip
    except ValueError as exc:
        return {"input": text, "kind": what, "ok": False, "error": str(exc),
                "summary": f"{text!r}: {exc}"}  # fmt: skip
    raise ValueError(f"what: {what!r} is not one of: {', '.join(KINDS)}")
