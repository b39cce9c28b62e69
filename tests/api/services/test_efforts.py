"""SR efforts at service level (SQLite and PostgreSQL): a contractor reports, an SR officer
decides, and only approved efforts move a contract's realisation, each by exactly its trace
line (issue 11 acceptance: "an approved social-purchasing effort moves realised by the amount
its trace line shows")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from api.services import efforts, reports
from api.services.errors import ConflictError, FieldError, NotFoundError
from models.audit import AuditEvent
from models.efforts import SrEffortCreate
from models.organisations import Role
from models.placements import Placement
from tests.api.conftest import (
    make_candidate,
    make_contract,
    make_contractor,
    make_municipality,
    make_user,
    make_vacancy,
)

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=200)


def _setup(session: Session, *, table: str = "utrecht", pso: str | None = None):  # type: ignore[no-untyped-def]
    muni = make_municipality(session)
    firm = make_contractor(session)
    contract = make_contract(
        session,
        contractor_id=firm.id,
        municipality_id=muni.id,
        sr_table=table,
        value_cents=200_000_000,  # 2 million: obligation 100,000 at 5%
        start_date=START,
        end_date=TODAY + dt.timedelta(days=365),
        pso_trede=pso,
    )
    contractor_user = make_user(session, role=Role.contractor, contractor=firm)
    officer = make_user(session, role=Role.sr_officer, municipality=muni)
    return muni, firm, contract, contractor_user, officer


def _realised(session: Session, contract) -> Decimal:  # type: ignore[no-untyped-def]
    return reports.build_contract_report(session, contract=contract, as_of=TODAY).realised_eur


def test_approved_social_purchasing_moves_realised_by_its_trace_line(session: Session) -> None:
    _muni, _firm, contract, cu, officer = _setup(session)
    # a placement already credits something, so the effort adds to a non-zero figure
    coach = make_user(session, role=Role.coach, municipality_id=contract.municipality_id)
    cand = make_candidate(session, municipality_id=contract.municipality_id, coach_id=coach.id)
    vac = make_vacancy(session, contractor_id=contract.contractor_id, contract_id=contract.id)
    session.add(
        Placement(
            candidate_id=cand.id,  # type: ignore[arg-type]
            vacancy_id=vac.id,  # type: ignore[arg-type]
            contract_id=contract.id,
            start_date=START,
            hours_per_week=24,
        )
    )
    session.commit()
    before = _realised(session, contract)
    assert before > 0

    body = SrEffortCreate(
        contract_id=contract.id,  # type: ignore[arg-type]
        kind="social_purchasing",
        description="Catering from sociale onderneming De Kans",
        day=TODAY - dt.timedelta(days=10),
        amount_eur=12_345.67,
        evidence_ref="INV-2026-0042",
        evidence_name="factuur-de-kans.pdf",
    )
    approved = efforts.report_effort(session=session, actor=cu, body=body)
    rejected = efforts.report_effort(
        session=session, actor=cu, body=body.model_copy(update={"amount_eur": 99_999.0})
    )
    pending = efforts.report_effort(
        session=session, actor=cu, body=body.model_copy(update={"amount_eur": 5_000.0})
    )
    session.commit()
    assert approved.status == "pending" and approved.credited_eur == 0
    # reported but undecided: nothing moves
    assert _realised(session, contract) == before

    efforts.decide_effort(
        session=session, actor=officer, effort_id=approved.id, approve=True, reason=None
    )
    efforts.decide_effort(
        session=session,
        actor=officer,
        effort_id=rejected.id,
        approve=False,
        reason="invoice is from a regular supplier, not a social enterprise",
    )
    session.commit()

    report = reports.build_contract_report(session, contract=contract, as_of=TODAY)
    lines = [ln for ln in report.lines if ln.effort_id is not None]
    assert [ln.effort_id for ln in lines] == [approved.id]  # rejected and pending: no line
    [line] = lines
    assert line.source == "social_purchasing" and line.realised
    assert line.amount_eur == Decimal("12345.67")  # factor 1.0 in the Utrecht table
    assert "effort" in line.explanation and "12,345.67" in line.explanation
    assert report.realised_eur - before == line.amount_eur
    # the public shape says the same
    public = efforts.read_effort(session=session, actor=cu, effort_id=approved.id)
    assert Decimal(str(public.credited_eur)) == line.amount_eur
    assert efforts.read_effort(session=session, actor=cu, effort_id=pending.id).status == "pending"
    # the SR officer's public report carries the line with its effort id
    officer_view = reports.read_contract_report(
        session=session, actor=officer, contract_id=contract.id, as_of=TODAY
    )
    assert [t.effort_id for t in officer_view.trace if t.effort_id] == [approved.id]


def test_pso_certificate_credits_what_it_adds_above_the_contracts_level(session: Session) -> None:
    _m, _f, contract, cu, officer = _setup(session, pso="trede_1")
    before = _realised(session, contract)
    assert before == Decimal("25000.00")  # trede 1: a quarter of 100,000
    e = efforts.report_effort(
        session=session,
        actor=cu,
        body=SrEffortCreate(
            contract_id=contract.id,  # type: ignore[arg-type]
            kind="pso",
            description="PSO trede 3 certificaat behaald",
            day=TODAY,
            pso_level="trede_3",
            evidence_ref="PSO-123",
        ),
    )
    efforts.decide_effort(session=session, actor=officer, effort_id=e.id, approve=True, reason="")
    session.commit()
    assert _realised(session, contract) == Decimal("100000.00")  # one certificate, counted once


def test_volunteer_hours_only_where_the_table_values_them(session: Session) -> None:
    _m, _f, contract, cu, officer = _setup(session, table="nationaal")
    body = SrEffortCreate(
        contract_id=contract.id,  # type: ignore[arg-type]
        kind="volunteer",
        description="Gastlessen op het ROC",
        day=TODAY,
        hours=12,
    )
    with pytest.raises(FieldError) as err:
        efforts.report_effort(session=session, actor=cu, body=body)
    assert err.value.field == "kind" and "allowed: social_purchasing, pso, training" in str(
        err.value
    )
    _m2, _f2, utrecht, cu2, officer2 = _setup(session, table="utrecht")
    e = efforts.report_effort(
        session=session, actor=cu2, body=body.model_copy(update={"contract_id": utrecht.id})
    )
    efforts.decide_effort(session=session, actor=officer2, effort_id=e.id, approve=True, reason="")
    session.commit()
    assert _realised(session, utrecht) == Decimal("1200.00")  # 12 h x 100 euro


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "gift"}, "kind"),
        ({"amount_eur": None}, "amount_eur"),
        ({"amount_eur": 10.001}, "amount_eur"),
        ({"day": TODAY + dt.timedelta(days=3)}, "day"),
        ({"day": START - dt.timedelta(days=1)}, "day"),
        ({"kind": "pso", "pso_level": "gold"}, "pso_level"),
        ({"kind": "volunteer", "hours": None}, "hours"),
    ],
)
def test_bad_reports_name_the_field(session: Session, changes: dict, field: str) -> None:  # type: ignore[type-arg]
    _m, _f, contract, cu, _o = _setup(session)
    body = SrEffortCreate(
        contract_id=contract.id,  # type: ignore[arg-type]
        kind="training",
        description="VCA-training voor 4 medewerkers",
        day=TODAY,
        amount_eur=2400,
    ).model_copy(update=changes)
    with pytest.raises(FieldError) as err:
        efforts.report_effort(session=session, actor=cu, body=body)
    assert err.value.field == field


def test_scope_decisions_and_audit(session: Session) -> None:
    _m, _f, contract, cu, officer = _setup(session)
    _m2, _f2, other_contract, other_cu, other_officer = _setup(session)
    body = SrEffortCreate(
        contract_id=contract.id,  # type: ignore[arg-type]
        kind="training",
        description="Taaltraining op de werkvloer",
        day=TODAY,
        amount_eur=1500,
    )
    # a foreign contract looks missing
    with pytest.raises(NotFoundError):
        efforts.report_effort(
            session=session,
            actor=other_cu,
            body=body,
        )
    e = efforts.report_effort(session=session, actor=cu, body=body, request_id="rq-1")
    for outsider in (other_cu, other_officer):
        with pytest.raises(NotFoundError):
            efforts.read_effort(session=session, actor=outsider, effort_id=e.id)
    with pytest.raises(NotFoundError):
        efforts.decide_effort(
            session=session, actor=other_officer, effort_id=e.id, approve=True, reason=None
        )
    with pytest.raises(FieldError) as err:
        efforts.decide_effort(
            session=session, actor=officer, effort_id=e.id, approve=False, reason="  "
        )
    assert err.value.field == "reason"
    efforts.decide_effort(
        session=session,
        actor=officer,
        effort_id=e.id,
        approve=False,
        reason="no evidence",
        request_id="rq-2",
    )
    with pytest.raises(ConflictError):
        efforts.decide_effort(
            session=session, actor=officer, effort_id=e.id, approve=True, reason=None
        )
    session.commit()
    assert efforts.list_efforts(session=session, actor=officer, status="pending").count == 0
    listed = efforts.list_efforts(session=session, actor=officer, status="rejected")
    assert [x.id for x in listed.data] == [e.id] and listed.data[0].decision_reason == "no evidence"
    assert efforts.list_efforts(session=session, actor=other_officer).count == 0
    with pytest.raises(FieldError):
        efforts.list_efforts(session=session, actor=officer, status="done")
    actions = session.exec(
        select(AuditEvent.action, AuditEvent.request_id).where(AuditEvent.object_type == "effort")
    ).all()
    assert sorted(actions) == [("effort.reject", "rq-2"), ("effort.report", "rq-1")]
    assert other_contract.id != contract.id


PDF = b"%PDF-1.4\n% an invoice\n"


def test_evidence_file_upload_and_download(session: Session) -> None:
    _m, _f, contract, cu, officer = _setup(session)
    _m2, _f2, _c2, other_cu, other_officer = _setup(session)
    e = efforts.report_effort(
        session=session,
        actor=cu,
        body=SrEffortCreate(
            contract_id=contract.id,  # type: ignore[arg-type]
            kind="social_purchasing",
            description="Drukwerk door SW-bedrijf",
            day=TODAY,
            amount_eur=800,
        ),
    )
    for name, data, why in [
        ("factuur.exe", PDF, "allowed file types"),
        ("factuur.pdf", b"MZ\x90\x00", "not a PDF"),
        ("factuur.pdf", b"", "empty"),
    ]:
        with pytest.raises(FieldError) as err:
            efforts.attach_evidence(
                session=session, actor=cu, effort_id=e.id, filename=name, data=data
            )
        assert err.value.field == "file" and why in str(err.value)
    with pytest.raises(NotFoundError):
        efforts.attach_evidence(
            session=session, actor=other_cu, effort_id=e.id, filename="x.pdf", data=PDF
        )
    out = efforts.attach_evidence(
        session=session, actor=cu, effort_id=e.id, filename="../../Factuur 12.pdf", data=PDF
    )
    assert out.evidence_file is not None and out.evidence_file.filename == "Factuur 12.pdf"
    assert out.evidence_file.size == len(PDF) and len(out.evidence_file.sha256) == 64
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 10
    again = efforts.attach_evidence(
        session=session, actor=cu, effort_id=e.id, filename="foto.png", data=png
    )
    assert again.evidence_file is not None and again.evidence_file.media_type == "image/png"
    row = efforts.read_evidence(session=session, actor=officer, effort_id=e.id)
    assert row.content == png  # the new upload replaced the old one
    with pytest.raises(NotFoundError):
        efforts.read_evidence(session=session, actor=other_officer, effort_id=e.id)
    listed = efforts.list_efforts(session=session, actor=officer)
    assert listed.data[0].evidence_file is not None
    efforts.decide_effort(session=session, actor=officer, effort_id=e.id, approve=True, reason="")
    with pytest.raises(ConflictError):
        efforts.attach_evidence(
            session=session, actor=cu, effort_id=e.id, filename="laat.pdf", data=PDF
        )
    session.commit()
