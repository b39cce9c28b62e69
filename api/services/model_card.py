"""The model card and the algorithm-register entry of a ranker version, generated from what its
training run stored (``ModelVersion``: metrics, baseline metrics, training metadata, the
hold-out fairness audit, an override) and from configuration (organisation, contact).

Nothing in a card is typed by hand per version: every number is a stored number, so the card
and the register entry cannot drift from what was measured. The register entry uses the field
names of the Dutch algorithm register's publication standard (Algoritmeregister
publicatiestandaard: ``name``, ``organization``, ``description_short``, ``goal``, ``impact``,
``proportionality``, ``decision_making_process``, ``human_intervention``, ``risk_management``,
``lawful_basis``, ``source_data``, ``methods_and_models``, ``provider``,
``publication_category``, ...).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from api.services.errors import NotFoundError
from matcher.vocab import OVERSIGHT_REASONS, PROTECTED_ATTRIBUTES
from models import ModelVersion
from models.fairness import ModelCardPublic

METRICS = ("ndcg@10", "recall@10", "auc")
#: the publication standard's version these field names follow
STANDARD_VERSION = "1.0"

INTENDED_USE = (
    "Rangschikt kandidaten uit het eigen bestand van een gemeente voor een Social Return-"
    "vacature (en vacatures voor een kandidaat), met bij elke score de redenen, zodat een "
    "jobcoach sneller een onderbouwde voordracht kan doen."
)
NOT_FOR = (
    "Niet voor: automatisch voordragen, afwijzen of selecteren zonder jobcoach; beslissingen "
    "over uitkeringen, sancties of re-integratieplichten; gebruik buiten de gemeente die de "
    "gegevens beheert."
)
HUMAN_OVERSIGHT = (
    "Een jobcoach, niet het systeem, beslist wie wordt voorgedragen. De coach ziet bij elke "
    "kandidaat waarom die hoog of laag staat, kan een hoog gerangschikte kandidaat terzijde "
    "leggen of een niet getoonde kandidaat toevoegen, met een reden uit een vaste lijst ("
    + ", ".join(OVERSIGHT_REASONS)
    + ") en een toelichting; beide worden naast de getoonde shortlist vastgelegd en verschijnen "
    "in de fairness-audit en de matchingfunnel. Een model dat op de hold-out een groep onder de "
    "drempel brengt, wordt alleen ingezet na een vastgelegde beslissing van een beheerder."
)
KNOWN_LIMITS = (
    "Het model leert van voordrachten die coaches kozen: kandidaten die nooit werden "
    "voorgedragen, zijn ondervertegenwoordigd in de uitkomsten (selectiebias).",
    "Trede op de participatieladder en duur zonder werk zijn kenmerken van het model en ook "
    "groepen in de fairness-audit: een hogere score voor wie dichter bij werk staat is "
    "verklaarbaar, maar kan 'afromen' versterken; de audit en de drempel bewaken dat.",
    "Leeftijd, geslacht, nationaliteit en herkomst zijn geen kenmerken; andere kenmerken "
    "kunnen er wel mee samenhangen (indirecte bias). Alleen de audit maakt dat zichtbaar.",
    "Profielen zijn vaak schaars (weinig vaardigheden, opleiding onbekend): de score zegt dan "
    "minder en de redenen noemen wat ontbreekt.",
    "recall@10 is 1,0 zolang geen vacature meer dan tien beoordeelde paren in de hold-out "
    "heeft; NDCG@10 en AUC zijn dan de informatieve maten.",
)
LAWFUL_BASIS = (
    "Participatiewet (re-integratietaak van de gemeente, art. 7 en 10); AVG art. 6 lid 1 "
    "sub e (taak van algemeen belang) voor de verwerking van persoonsgegevens; EU AI-"
    "verordening bijlage III punt 4(a): hoog-risico-AI-systeem voor werving en selectie."
)


def _num(value: Any, digits: int = 3) -> str:
    """A stored number as the card prints it (3 decimals for a rate, as is for a count)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def get_version(session: Session, version: str) -> ModelVersion:
    """One model version by its name, or NotFoundError."""
    row = session.exec(select(ModelVersion).where(ModelVersion.version == version)).first()
    if row is None:
        raise NotFoundError("model version", version)
    return row


def serving_version(session: Session) -> str | None:
    """The version the runtime serves (newest accepted), None for the baseline."""
    row = session.exec(
        select(ModelVersion)
        .where(ModelVersion.accepted == True)  # noqa: E712
        .order_by(col(ModelVersion.created_at).desc(), col(ModelVersion.id).desc())
    ).first()
    return None if row is None else row.version


def card_data(mv: ModelVersion, *, settings: Any, served: bool) -> dict[str, Any]:
    """The model card as data: every number copied from the stored training run."""
    meta = mv.training_meta or {}
    fair = mv.fairness or {}
    metrics = {
        k: {
            "model": (mv.metrics or {}).get(k),
            "baseline": (mv.baseline_metrics or {}).get(k),
        }
        for k in METRICS
    }

    def fairness_of(name: str) -> dict[str, Any]:
        part = fair.get(name) or {}
        return {
            "gate": part.get("gate"),
            "groups": [
                {
                    k: r.get(k)
                    for k in (
                        "dimension",
                        "group",
                        "eligible",
                        "top",
                        "selection_rate",
                        "ratio",
                        "flagged",
                        "small",
                    )
                }
                for r in part.get("rows", [])
            ],
        }

    return {
        "version": mv.version,
        "created_at": mv.created_at.isoformat(),
        "status": mv.status,
        "accepted": mv.accepted,
        "served": served,
        "sha256": mv.sha256,
        "organisation": settings.organisation,
        "contact": settings.algorithm_contact,
        "intended_use": INTENDED_USE,
        "not_for": NOT_FOR,
        "model": {
            "kind": meta.get("model"),
            "seed": meta.get("seed"),
            "blend": meta.get("blend"),
            "features": meta.get("features", []),
            "pair_columns": meta.get("pair_columns", []),
            "neutral_columns": meta.get("neutral_columns", []),
            "protected_attributes_excluded": list(PROTECTED_ATTRIBUTES),
        },
        "data": {
            "first_proposal": meta.get("first_proposal"),
            "last_proposal": meta.get("last_proposal"),
            "cutoff": mv.cutoff_date,
            "n_candidates": meta.get("n_candidates"),
            "n_vacancies": meta.get("n_vacancies"),
            "n_outcome_events": meta.get("n_outcome_events"),
            "n_pairs": meta.get("n_pairs"),
            "n_train_pairs": mv.n_train_pairs,
            "n_test_pairs": mv.n_test_pairs,
            "n_unproposed": meta.get("n_unproposed"),
            "n_skipped": meta.get("n_skipped"),
        },
        "metrics": metrics,
        "fairness": {
            "floor": fair.get("floor"),
            "top_k": fair.get("top_k"),
            "min_count": fair.get("min_count"),
            "as_of": fair.get("as_of"),
            "n_vacancies": fair.get("n_vacancies"),
            "passed": mv.fairness_passed,
            "model": fairness_of("model"),
            "baseline": fairness_of("baseline"),
            "override": None
            if mv.fairness_override is None
            else {
                "reason": mv.fairness_override,
                "by": mv.fairness_override_by,
                "at": None
                if mv.fairness_override_at is None
                else mv.fairness_override_at.isoformat(),
            },
        },
        "human_oversight": HUMAN_OVERSIGHT,
        "known_limits": list(KNOWN_LIMITS),
    }


def _gate_line(gate: dict[str, Any] | None) -> str:
    if not gate:
        return "niet gemeten"
    below = ", ".join(f"{b['dimension']} {b['group']} {_num(b['ratio'])}" for b in gate["below"])
    return f"laagste ratio {_num(gate.get('min_ratio'))}" + (
        f"; onder de drempel: {below}" if below else "; geen groep onder de drempel"
    )


def register_entry(card: dict[str, Any]) -> dict[str, Any]:
    """The algorithm-register entry (publication-standard field names) from a card."""
    d, m, f = card["data"], card["metrics"], card["fairness"]
    ndcg = m["ndcg@10"]
    return {
        "name": f"srmatch kandidaatrangschikking Social Return ({card['version']})",
        "organization": card["organisation"],
        "description_short": (
            "Rangschikt werkzoekenden met een afstand tot de arbeidsmarkt voor Social Return-"
            "vacatures van opdrachtnemers, met uitleg per score; een jobcoach beslist."
        ),
        "type": "Zelflerend algoritme (paarsgewijs rangschikkingsmodel, gemengd met een "
        "transparante basisscore)",
        "category": ["Werk en inkomen", "Sociale zekerheid"],
        "status": "In gebruik" if card["served"] else "Buiten gebruik",
        "goal": INTENDED_USE,
        "impact": (
            "Bepaalt welke kandidaten een jobcoach bovenaan ziet en dus de kans om voor een "
            "vacature te worden voorgedragen. Het systeem neemt zelf geen besluit over een "
            "persoon. " + NOT_FOR
        ),
        "proportionality": (
            "Alleen gegevens die voor de match nodig zijn (vaardigheden, beroep, opleiding, "
            "taalniveau, uren, reisafstand, trede, duur zonder werk); geen BSN, geen naam in het "
            "model, beschermde kenmerken nooit als kenmerk. De rangschikking bespaart coaches tijd "
            "en maakt zichtbaar wie wordt bereikt; het model wordt alleen ingezet als het op de "
            f"hold-out minstens zo goed is als de basisscore (NDCG@10 {_num(ndcg['model'])} tegen "
            f"{_num(ndcg['baseline'])})."
        ),
        "decision_making_process": (
            "De jobcoach vraagt een shortlist op, leest de redenen, en besluit zelf wie wordt "
            "voorgedragen; de opdrachtnemer beslist over een aanstelling. Elke getoonde shortlist "
            "wordt vastgelegd (welk model, welke kandidaten, welke rang)."
        ),
        "documentation": f"Modelkaart {card['version']} (srmatch model card {card['version']})",
        "competent_authority": card["organisation"],
        "lawful_basis": LAWFUL_BASIS,
        "iama": False,
        "dpia": True,
        "dpia_description": "DPIA voor de verwerking van gegevens van werkzoekenden door srmatch.",
        "objection_procedure": (
            "Een kandidaat kan inzage vragen (alle gegevens en in welke shortlists hij stond), "
            "rectificatie, verwijdering, en een uitleg waarom hij wel of niet op een shortlist "
            "stond; bezwaar via de gemeente."
        ),
        "provider": "srmatch (open source), beheerd door " + card["organisation"],
        "source_data": (
            f"Kandidaatprofielen ({d['n_candidates']}), vacatures ({d['n_vacancies']}) en "
            f"vastgelegde uitkomsten van voordrachten ({d['n_outcome_events']} gebeurtenissen, "
            f"{d['n_pairs']} paren, voorgedragen van {d['first_proposal']} tot "
            f"{d['last_proposal']}); getraind op {d['n_train_pairs']} paren vóór {d['cutoff']}, "
            f"getoetst op {d['n_test_pairs']} latere paren."
        ),
        "methods_and_models": (
            f"Model {card['model']['kind']} op {len(card['model']['features'])} kenmerken "
            "van het paar kandidaat-vacature; hold-out: "
            + "; ".join(
                f"{k} {_num(v['model'])} (basisscore {_num(v['baseline'])})" for k, v in m.items()
            )
            + "."
        ),
        "human_intervention": HUMAN_OVERSIGHT,
        "risk_management": (
            f"Fairness-audit per groep (uitkering, trede, doelgroep, duur zonder werk; leeftijd en "
            f"geslacht waar vastgelegd, alleen voor de audit): aandeel in de top "
            f"{_num(f['top_k'])} tegenover het aandeel onder de geschikte kandidaten, "
            f"gesignaleerd onder {_num(f['floor'], 2)} van de best bediende groep. Op de "
            f"hold-out: model {_gate_line(f['model']['gate'])}; basisscore "
            f"{_gate_line(f['baseline']['gate'])}. "
            + (
                "Ingezet na een vastgelegde afwijking door een beheerder: "
                f"{f['override']['reason']}. "
                if f["override"]
                else ""
            )
            + "Logboek van elke shortlist en elke inzage, bewaard volgens de bewaartermijnen. "
            "Bekende beperkingen: " + " ".join(card["known_limits"])
        ),
        "publication_category": "hoog-risico AI-systeem",
        "begin_date": card["created_at"][:10],
        "contact_email": card["contact"],
        "lang": "nld",
        "standard_version": STANDARD_VERSION,
    }


def card_markdown(card: dict[str, Any]) -> str:
    """The model card as Markdown (every number from ``card``)."""
    d, m, f = card["data"], card["metrics"], card["fairness"]
    lines = [
        f"# Modelkaart {card['version']}",
        "",
        f"- Organisatie: {card['organisation']}",
        f"- Contact: {card['contact']}",
        f"- Status: {card['status']}; {'in gebruik' if card['served'] else 'niet in gebruik'}",
        f"- Aangemaakt: {card['created_at']}",
        f"- Bestand (sha256): {card['sha256'] or '-'}",
        "",
        "## Beoogd gebruik",
        "",
        card["intended_use"],
        "",
        card["not_for"],
        "",
        "## Gegevens",
        "",
        f"- Voorstellen van {d['first_proposal']} tot {d['last_proposal']}; "
        f"hold-out vanaf {d['cutoff']}",
        f"- Kandidaten: {_num(d['n_candidates'])}; vacatures: {_num(d['n_vacancies'])}; "
        f"uitkomstgebeurtenissen: {_num(d['n_outcome_events'])}",
        f"- Paren: {_num(d['n_pairs'])} (training {_num(d['n_train_pairs'])}, hold-out "
        f"{_num(d['n_test_pairs'])}); toegevoegde niet-voorgedragen paren: "
        f"{_num(d['n_unproposed'])}; overgeslagen: {_num(d['n_skipped'])}",
        "",
        "## Model en kenmerken",
        "",
        f"- Soort: {card['model']['kind']}; seed {_num(card['model']['seed'])}; "
        f"menggewicht {_num(card['model']['blend'])}",
        "- Kenmerken: " + (", ".join(card["model"]["features"]) or "-"),
        "- Nooit een kenmerk: " + ", ".join(card["model"]["protected_attributes_excluded"]),
        "- Zonder gewicht in het model (wie iemand is, niet hoe persoon en werk passen): "
        + (", ".join(card["model"]["neutral_columns"]) or "-"),
        "",
        "## Prestaties op de hold-out (tegen de basisscore)",
        "",
        "| maat | model | basisscore |",
        "|---|---|---|",
        *[f"| {k} | {_num(v['model'])} | {_num(v['baseline'])} |" for k, v in m.items()],
        "",
        "## Fairness op de hold-out",
        "",
        f"Top {_num(f['top_k'])} per hold-out-vacature ({_num(f['n_vacancies'])} vacatures, "
        f"peildatum {f['as_of']}), drempel {_num(f['floor'], 2)}, groepen met minder dan "
        f"{_num(f['min_count'])} plaatsen tellen niet mee voor de drempel.",
        "",
        f"- Model: {_gate_line(f['model']['gate'])}",
        f"- Basisscore: {_gate_line(f['baseline']['gate'])}",
    ]
    if f["override"]:
        o = f["override"]
        lines.append(f"- Afwijking vastgelegd door {o['by']} op {o['at']}: {o['reason']}")
    lines += [
        "",
        "| dimensie | groep | geschikt | top | ratio model | ratio basisscore |",
        "|---|---|---|---|---|---|",
    ]
    base = {(r["dimension"], r["group"]): r for r in f["baseline"]["groups"]}
    for r in f["model"]["groups"]:
        b = base.get((r["dimension"], r["group"]), {})
        flag = " (!)" if r.get("flagged") and not r.get("small") else ""
        lines.append(
            f"| {r['dimension']} | {r['group']} | {_num(r['eligible'])} | {_num(r['top'])} | "
            f"{_num(r['ratio'])}{flag} | {_num(b.get('ratio'))} |"
        )
    lines += [
        "",
        "## Menselijk toezicht",
        "",
        card["human_oversight"],
        "",
        "## Bekende beperkingen",
        "",
        *[f"- {x}" for x in card["known_limits"]],
        "",
    ]
    return "\n".join(lines)


def model_card(*, session: Session, version: str, settings: Any) -> ModelCardPublic:
    """The model card (Markdown and data) and the register entry of one model version."""
    mv = get_version(session, version)
    card = card_data(mv, settings=settings, served=serving_version(session) == mv.version)
    return ModelCardPublic(
        version=mv.version,
        markdown=card_markdown(card),
        card=card,
        register_entry=register_entry(card),
    )
