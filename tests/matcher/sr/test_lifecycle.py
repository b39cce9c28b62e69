"""Life cycles: a contract's status is final after its end date; a vacancy closes itself."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as E

import pytest

from matcher.sr import ContractInput, PlacementInput, contract_report, load_table
from matcher.sr.lifecycle import contract_status, vacancy_state

UTRECHT = load_table("utrecht", date(2025, 1, 1))
Y25 = {"start_date": date(2025, 1, 1), "end_date": date(2025, 12, 31)}


def test_an_ended_contract_at_zero_is_not_met_with_its_shortfall() -> None:
    c = ContractInput("C-0", 400_000, **Y25)  # obligation 5% = 20,000
    running = contract_report(c, [], UTRECHT, as_of=date(2025, 12, 31))
    assert (running.status, running.final) == ("behind", False)
    ended = contract_report(c, [], UTRECHT, as_of=date(2026, 1, 1))
    assert (ended.status, ended.final) == ("not_met", True)
    assert ended.shortfall_eur == E("20000.00") == ended.obligation.amount_eur


def test_an_ended_contract_that_realised_its_obligation_is_met() -> None:
    # one Participatiewet person full time all year in Utrecht: 40,000 >= 20,000
    c = ContractInput("C-1", 400_000, **Y25)
    p = PlacementInput(1, "k", date(2025, 1, 1), None, 36, benefit="participatiewet")
    r = contract_report(c, [p], UTRECHT, as_of=date(2026, 3, 1))
    assert (r.status, r.final, r.shortfall_eur) == ("met", True, E("0.00"))


def test_an_ended_contract_partly_realised_reports_the_missing_part() -> None:
    # WW (20,000/yr) full time for the first quarter: 90/365 x 20,000 = 4,931.51 of 5,000
    c = ContractInput("C-2", 100_000, **Y25)
    p = PlacementInput(1, "k", date(2025, 1, 1), date(2025, 3, 31), 36, benefit="ww")
    r = contract_report(c, [p], UTRECHT, as_of=date(2026, 1, 1))
    assert (r.status, r.realised_eur, r.shortfall_eur) == ("not_met", E("4931.51"), E("68.49"))


@pytest.mark.parametrize(
    ("realised", "forecast", "end", "as_of", "status"),
    [
        (10, 10, None, date(2099, 1, 1), "met"),
        (5, 10, None, date(2099, 1, 1), "on_track"),
        (5, 5, None, date(2099, 1, 1), "behind"),  # no end date: never final
        (5, 10, date(2025, 12, 31), date(2025, 12, 31), "on_track"),  # the last day still runs
        (5, 10, date(2025, 12, 31), date(2026, 1, 1), "not_met"),
        (10, 10, date(2025, 12, 31), date(2026, 1, 1), "met"),
    ],
)
def test_contract_status_table(
    realised: int, forecast: int, end: date | None, as_of: date, status: str
) -> None:
    got = contract_status(
        realised=realised, forecast=forecast, obligation=10, end_date=end, as_of=as_of
    )
    assert got == status


def test_a_vacancy_closes_when_filled_and_when_its_contract_ended() -> None:
    today = date(2026, 1, 1)
    assert vacancy_state(positions=2, hires=1, contract_end=None, today=today).is_open
    full = vacancy_state(positions=2, hires=2, contract_end=None, today=today)
    assert (full.status, full.closed_reason, full.positions_left) == ("closed", "filled", 0)
    ended = vacancy_state(positions=2, hires=0, contract_end=date(2025, 12, 31), today=today)
    assert (ended.closed_reason, ended.closed_on) == ("contract_ended", today)
    last_day = vacancy_state(positions=2, hires=0, contract_end=today, today=today)
    assert last_day.is_open
    # the stored reason wins: filled before the contract ended stays filled
    stored = vacancy_state(
        positions=1,
        hires=1,
        contract_end=date(2025, 6, 30),
        today=today,
        stored_status="closed",
        stored_reason="filled",
        stored_closed_on=date(2025, 3, 1),
    )
    assert (stored.closed_reason, stored.closed_on) == ("filled", date(2025, 3, 1))
    assert (
        "withdrawn"
        in vacancy_state(
            positions=1, hires=0, contract_end=None, today=today, stored_status="closed"
        ).describe()
    )
    with pytest.raises(ValueError, match="closed_reason"):
        vacancy_state(positions=1, hires=0, contract_end=None, today=today, stored_reason="x")
