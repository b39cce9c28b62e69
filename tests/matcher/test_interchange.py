"""The file layer of the data contract: reading, validating and writing CSV/XLSX."""

from __future__ import annotations

import csv
import io
import operator
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import vocab
from matcher.interchange import (
    BSN_MASK,
    COLUMNS,
    KEYS,
    KINDS,
    Column,
    InterchangeError,
    RawTable,
    RowError,
    escape_cell,
    is_probable_bsn,
    parse_money,
    parse_table,
    read_table,
    shown,
    unescape_cell,
    write_rows,
    write_table,
    write_workbook,
)

DATA = Path(__file__).parent / "data" / "interchange"

VALID_BSN = "111222333"  # 9+8+7+12+10+8+9+6 - 3 = 66 = 6 * 11
VALID_BSN_8 = "12345672"  # "012345672" passes: a BSN whose leading zero Excel dropped


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def parse_csv(kind: str, *lines: str) -> tuple[list[dict[str, object]], list[RowError]]:
    result = parse_table(kind, read_table(csv_bytes(*lines), f"{kind}.csv"))
    return result.records, result.errors


def xlsx_bytes(rows: list[list[object]], number_formats: dict[str, str] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    for ref, fmt in (number_formats or {}).items():
        ws[ref].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CANDIDATE_HEADER = "candidate_ref,postcode,benefit"


# ---------------------------------------------------------------------------------------------
# The column table follows the data contract


CONTRACT_COLUMNS = {
    "candidates": "candidate_ref* postcode* benefit* target_groups ladder_step education skills "
    "occupations dutch_level driving_licences hours_per_week max_travel_km available_from "
    "unemployed_since coach consent_share municipality birth_year gender",
    "contracts": "contract_ref* contractor* municipality title category value_eur* sr_percentage "
    "start_date end_date sr_table",
    "vacancies": "vacancy_ref* contractor* contract_ref title* description required_skills "
    "optional_skills education_min postcode* hours_per_week* positions start_date "
    "eligible_benefits eligible_target_groups dutch_level_min driving_licence status",
    # the data contract's columns, then the optional ones the consent workflow added (issue 11)
    "outcomes": "candidate_ref* vacancy_ref* status* date* reason action consent reason_code",
    "placements": "candidate_ref* vacancy_ref* start_date* end_date hours_per_week* kind permanent",
}


@pytest.mark.parametrize("kind", KINDS)
def test_columns_follow_the_contract_in_order(kind: str) -> None:
    expected = [(n.rstrip("*"), n.endswith("*")) for n in CONTRACT_COLUMNS[kind].split()]
    assert [(c.name, c.required) for c in COLUMNS[kind]] == expected
    assert all(k in {c.name for c in COLUMNS[kind]} for k in KEYS[kind])


@pytest.mark.parametrize(
    ("kind", "column", "default"),
    [
        ("candidates", "hours_per_week", 32.0),
        ("candidates", "max_travel_km", 25.0),
        ("candidates", "consent_share", False),
        ("candidates", "target_groups", []),
        ("candidates", "ladder_step", None),
        ("contracts", "sr_percentage", 5.0),
        ("contracts", "sr_table", "nationaal"),
        ("vacancies", "positions", 1),
        ("vacancies", "eligible_benefits", list(vocab.SR_BENEFITS)),
        ("vacancies", "eligible_target_groups", []),
        ("vacancies", "status", "open"),
        ("placements", "kind", "arbeidsovereenkomst"),
        ("placements", "permanent", False),
        ("placements", "end_date", None),
    ],
)
def test_empty_optional_cell_takes_the_default(kind: str, column: str, default: object) -> None:
    required = [c for c in COLUMNS[kind] if c.required]
    sample = {
        "str": "r1",
        "text": "t",
        "postcode": "3011AB",
        "date": "2026-03-01",
        "float": "10",
        "enum": "",
    }
    row = {c.name: sample[c.type] for c in required}
    for c in required:
        if c.type == "enum":
            row[c.name] = c.allowed[0]
    raw = RawTable([*row, column], [{**row, column: ""}], ",", "utf-8", "t.csv")
    result = parse_table(kind, raw)
    assert result.errors == []
    assert result.records[0][column] == default


def test_column_rejects_an_unknown_type() -> None:
    with pytest.raises(ValueError, match="type 'number'"):
        Column("x", False, "number")


# ---------------------------------------------------------------------------------------------
# Reading files


def test_dutch_excel_cp1252_semicolon_file_imports() -> None:
    raw = read_table((DATA / "candidates_excel_nl.csv").read_bytes(), "candidates_excel_nl.csv")
    assert (raw.encoding, raw.delimiter) == ("cp1252", ";")
    assert raw.columns[:3] == ["candidate_ref", "postcode", "benefit"]
    assert raw.row_numbers == [2, 4, 5]  # row 3 is empty (only delimiters) and skipped
    result = parse_table("candidates", raw)
    assert result.errors == []
    first, second, third = result.records
    assert first["skills"] == ["café-medewerker", "heftruck"]
    assert first["coach"] == "zoë.devries"
    assert first["benefit"] == "participatiewet"
    assert first["target_groups"] == ["statushouder", "50plus"]
    assert first["driving_licences"] == ["B", "BE"]
    assert first["hours_per_week"] == 32.5
    assert first["available_from"] == date(2026, 3, 1)
    assert first["unemployed_since"] == date(2024, 9, 1)
    assert first["consent_share"] is True
    assert second["municipality"] == "Súdwest-Fryslân"
    assert second["occupations"] == ["voorman"]
    assert second["hours_per_week"] == 32.0 and second["consent_share"] is False
    assert third["skills"] == ["lassen, MIG", "TIG"]  # with ';' files only '|' splits
    assert third["postcode"] == "9999zz"  # the raw form is kept; the lead stores both
    assert [r["_row"] for r in result.records] == [2, 4, 5]


def test_utf8_bom_comma_file_imports() -> None:
    raw = read_table((DATA / "contracts_utf8_bom.csv").read_bytes(), "contracts_utf8_bom.csv")
    assert (raw.encoding, raw.delimiter) == ("utf-8-sig", ",")
    assert raw.columns[0] == "contract_ref"
    result = parse_table("contracts", raw)
    assert result.errors == []
    one, two = result.records
    assert one["value_eur"] == 1_250_000.0 and one["end_date"] == date(2028, 12, 31)
    assert one["sr_table"] == "utrecht" and one["category"] == "werken"
    # an 8-digit KvK number as contractor is not a BSN, even when it passes the padded check
    assert two["contractor"] == VALID_BSN_8
    assert two["value_eur"] == 480_000.0 and two["sr_percentage"] == 5.0
    assert two["start_date"] == date(2026, 2, 1) and two["sr_table"] == "nationaal"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("candidate_ref;coach\nK1;Zoë\n".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "candidate_ref;coach\nK1;Zoë\n".encode(), "utf-8-sig"),
        ("candidate_ref;coach\nK1;Zoë\n".encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    raw = read_table(data, "c.csv")
    assert raw.encoding == encoding
    assert raw.rows == [{"candidate_ref": "K1", "coach": "Zoë"}]


def test_header_names_are_case_insensitive_and_stripped() -> None:
    raw = read_table(b" Candidate_REF , PostCode ,BENEFIT\nK1,3011AB,WW\n", "c.csv")
    assert raw.columns == ["candidate_ref", "postcode", "benefit"]
    result = parse_table("candidates", raw)
    assert result.errors == [] and result.records[0]["benefit"] == "ww"


def test_quoted_cells_may_hold_delimiters_and_newlines() -> None:
    data = b'vacancy_ref;description\nV1;"lassen; zagen\ntweede regel"\nV2;kort\n'
    raw = read_table(data, "v.csv")
    assert raw.rows[0]["description"] == "lassen; zagen\ntweede regel"
    assert raw.row_numbers == [2, 3]  # a spreadsheet row, not a text line


def test_blank_lines_are_skipped_and_rows_keep_their_numbers() -> None:
    raw = read_table(b"\ncandidate_ref\n\nK1\n  \nK2\n", "c.csv")
    assert [r["candidate_ref"] for r in raw.rows] == ["K1", "K2"]
    assert raw.row_numbers == [4, 6]


def test_ragged_row_is_an_error_row_not_a_crash() -> None:
    data = csv_bytes(
        CANDIDATE_HEADER,
        "K1,3011AB,ww",
        "K2,3011AB,ww,extra",
        "K3,3011AB",
        "K4,3011AB,ww,,",  # trailing empty cells, as Excel writes them, are fine
    )
    raw = read_table(data, "c.csv")
    result = parse_table("candidates", raw)
    assert [r["candidate_ref"] for r in result.records] == ["K1", "K4"]
    assert [(e.row, e.reason) for e in result.errors] == [
        (3, "row has 4 cells but the header has 3 columns"),
        (4, "row has 2 cells but the header has 3 columns"),
    ]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "c.csv", "the file is empty"),
        (b"  \r\n\r\n", "c.csv", "the file is empty"),
        (b";;;\n;;;\n", "c.csv", "no header row"),
        (b"candidate_ref,Candidate_Ref\nK1,K2\n", "c.csv", "'candidate_ref' appears twice"),
        (
            b"candidate_ref,,benefit\nK1,x,ww\n",
            "c.csv",
            "column 2 of the header (row 1) has no name",
        ),
        (b"candidate_ref;postcode,benefit\n", "c.csv", "mixes ',' and ';'"),
        (b"candidate_ref\tpostcode\n", "c.csv", "tab-delimited"),
        ("candidate_ref\n".encode("utf-16"), "c.csv", "UTF-16"),
        (b"\x00\x01\x02candidate_ref", "c.csv", "binary data"),
        (b"a,b\n\x81\x8d\n", "c.csv", "neither UTF-8 nor Windows-1252"),
        (b"\xef\xbb\xbfa,b\n\xe9\n", "c.csv", "has a UTF-8 BOM but is not UTF-8"),
        (b"<office:document/>", "c.ods", "unsupported file type '.ods'"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "c.xls", "old .xls format"),
        (b"PK\x03\x04 not really a zip", "c.xlsx", "not a readable .xlsx workbook"),
        (b"just text", "c.xlsx", "not a readable .xlsx workbook"),
    ],
)
def test_unreadable_files_raise_one_clear_error(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(InterchangeError, match=re.escape(message)) as info:
        read_table(data, filename)
    assert "\n" not in str(info.value) and filename in str(info.value)


def test_xlsx_first_sheet_with_typed_cells() -> None:
    rows: list[list[object]] = [
        ["Contract_Ref", "contractor", "value_eur", "sr_percentage", "start_date", "extra"],
        ["C1", "Bouw BV", 1250000, 0.05, datetime(2026, 3, 1), True],
        [],
        ["C2", 12345672, 99.5, 4, date(2026, 4, 1), None],
    ]
    data = xlsx_bytes(rows, {"D2": "0%"})
    raw = read_table(data, "contracts.xlsx")
    assert raw.delimiter is None and raw.encoding is None
    assert raw.row_numbers == [2, 4]
    assert raw.rows[0] == {
        "contract_ref": "C1",
        "contractor": "Bouw BV",
        "value_eur": "1250000",
        "sr_percentage": "5",  # a percent-formatted cell reads as the percentage
        "start_date": "2026-03-01",
        "extra": "true",
    }
    result = parse_table("contracts", raw)
    assert result.errors == [] and result.unknown_columns == ["extra"]
    assert result.records[0]["sr_percentage"] == 5.0
    assert result.records[1]["contractor"] == "12345672"
    assert result.records[1]["value_eur"] == 99.5


def test_xlsx_reads_only_the_first_sheet_and_any_extension_if_it_is_a_zip() -> None:
    data = write_workbook({"candidates": (["candidate_ref"], [["K1"]]), "other": (["x"], [["y"]])})
    raw = read_table(data, "upload")  # no extension: sniffed from the zip signature
    assert raw.columns == ["candidate_ref"] and raw.rows == [{"candidate_ref": "K1"}]


# ---------------------------------------------------------------------------------------------
# Cells


def one_cell(kind: str, column: str, value: str, delimiter: str | None = ",") -> object:
    """Parse a single cell in an otherwise valid row; return the value or the RowError."""
    base = {
        "candidates": {"candidate_ref": "K1", "postcode": "3011AB", "benefit": "ww"},
        "contracts": {"contract_ref": "C1", "contractor": "Bouw BV", "value_eur": "1000"},
        "vacancies": {
            "vacancy_ref": "V1",
            "contractor": "Bouw BV",
            "title": "schoonmaker",
            "postcode": "3011AB",
            "hours_per_week": "24",
        },
        "placements": {
            "candidate_ref": "K1",
            "vacancy_ref": "V1",
            "start_date": "2026-01-01",
            "hours_per_week": "24",
        },
        "outcomes": {
            "candidate_ref": "K1",
            "vacancy_ref": "V1",
            "status": "proposed",
            "date": "2026-01-01",
        },
    }[kind]
    row = {**base, column: value}
    result = parse_table(kind, RawTable(list(row), [row], delimiter, "utf-8", "t"))
    if result.errors:
        (error,) = result.errors
        return error
    return result.records[0][column]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026-3-1", date(2026, 3, 1)),
        ("01-03-2026", date(2026, 3, 1)),
        ("1-3-2026", date(2026, 3, 1)),
        ("31-12-2025", date(2025, 12, 31)),
        ("29-02-2024", date(2024, 2, 29)),
    ],
)
def test_date_forms(text: str, expected: date) -> None:
    assert one_cell("outcomes", "date", text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("01/03/2026", "is not a date: use 2026-03-01 or 01-03-2026"),
        ("1-3-26", "is not a date"),
        ("maart 2026", "is not a date"),
        ("2026-13-01", "is not a valid date (month must be in 1..12)"),
        ("29-02-2025", "is not a valid date (day is out of range for month)"),
    ],
)
def test_bad_dates(text: str, reason: str) -> None:
    error = one_cell("outcomes", "date", text)
    assert isinstance(error, RowError)
    assert (error.row, error.column, error.value) == (2, "date", text)
    assert error.reason.startswith(f"date '{text}' {reason}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("ja", True),
        ("Ja", True),
        ("1", True),
        ("yes", True),
        ("WAAR", True),  # Dutch Excel writes booleans like this
        ("false", False),
        ("Nee", False),
        ("0", False),
        ("no", False),
        ("ONWAAR", False),
    ],
)
def test_booleans(text: str, expected: bool) -> None:
    assert one_cell("candidates", "consent_share", text) is expected


def test_bad_boolean_says_what_is_allowed() -> None:
    error = one_cell("candidates", "consent_share", "misschien")
    assert isinstance(error, RowError)
    assert error.reason == (
        "consent_share 'misschien' is not a boolean: use true/false, ja/nee, yes/no or 1/0"
    )


@pytest.mark.parametrize(
    ("delimiter", "cell", "expected"),
    [
        (",", "lassen;schilderen", ["lassen", "schilderen"]),
        (",", "lassen|schilderen", ["lassen", "schilderen"]),
        (",", " lassen ; schilderen | koken ;; ", ["lassen", "schilderen", "koken"]),
        (";", "lassen|schilderen", ["lassen", "schilderen"]),
        # a ";" inside a quoted cell of a ";" file separates items too (Dutch Excel, issue 11)
        (";", "lassen; MIG|schilderen", ["lassen", "MIG", "schilderen"]),
        (None, "lassen;schilderen|koken", ["lassen", "schilderen", "koken"]),
        (",", ";|;", []),
    ],
)
def test_lists(delimiter: str | None, cell: str, expected: list[str]) -> None:
    assert one_cell("candidates", "skills", cell, delimiter) == expected


def test_enum_lists_are_case_insensitive_and_deduplicated() -> None:
    value = one_cell("candidates", "target_groups", "Statushouder; 50PLUS ;statushouder")
    assert value == ["statushouder", "50plus"]
    assert one_cell("candidates", "driving_licences", "b|ce") == ["B", "CE"]


@pytest.mark.parametrize(
    ("kind", "column", "cell", "reason"),
    [
        (
            "candidates",
            "benefit",
            "bijstnd",
            "benefit 'bijstnd' is not one of: participatiewet, ww, wia, wajong, ioaw, ioaz, "
            "anw, nugger, none",
        ),
        ("candidates", "benefit", "wajog", "(did you mean 'wajong'?)"),
        ("candidates", "target_groups", "50plus;jong", "target_groups item 'jong' is not one of:"),
        (
            "candidates",
            "driving_licences",
            "B;heftruck",
            "a forklift certificate belongs in skills",
        ),
        ("candidates", "gender", "vrouw", "gender 'vrouw' is not one of: m, v, x"),
        ("vacancies", "status", "gesloten", "status 'gesloten' is not one of: open, closed"),
        ("outcomes", "status", "aangenomen", "status 'aangenomen' is not one of: proposed,"),
        ("placements", "kind", "stage", "kind 'stage' is not one of: arbeidsovereenkomst, bbl,"),
        ("contracts", "category", "bouw", "category 'bouw' is not one of: werken, diensten, lev"),
        (
            "candidates",
            "ladder_step",
            "0",
            "ladder_step '0' is out of range: must be at least 1 and at most 6",
        ),
        (
            "candidates",
            "ladder_step",
            "7",
            "ladder_step '7' is out of range: must be at least 1 and at most 6",
        ),
        ("candidates", "ladder_step", "3.5", "ladder_step '3.5' is not a whole number"),
        ("candidates", "hours_per_week", "0", "must be more than 0 and at most 60"),
        ("candidates", "hours_per_week", "60,5", "must be more than 0 and at most 60"),
        ("candidates", "hours_per_week", "-8", "is not a number"),
        ("candidates", "hours_per_week", "1.000,5", "is not a number"),
        ("candidates", "max_travel_km", "25000", "at most 300"),
        ("candidates", "max_travel_km", "0", "more than 0"),
        ("candidates", "birth_year", "1850", "at least 1900"),
        ("vacancies", "positions", "0", "must be at least 1"),
        ("contracts", "sr_percentage", "0", "must be more than 0 and at most 100"),
        ("candidates", "coach", "x" * 201, "is too long: 201 characters, at most 200"),
        ("candidates", "coach", "twee\nregels", "must be a single line"),
        ("candidates", "postcode", "30111AB", "postcode '30111AB' is not a Dutch postcode ("),
        ("vacancies", "postcode", "3011 SA", "other than SA, SD or SS"),
    ],
)
def test_bad_cell_reason_names_field_value_and_what_is_allowed(
    kind: str, column: str, cell: str, reason: str
) -> None:
    error = one_cell(kind, column, cell)
    assert isinstance(error, RowError), error
    assert (error.row, error.column) == (2, column)
    # the value is echoed, but never more than a short prefix of it (issue 13, finding 8)
    assert error.value == shown(cell)
    assert reason in error.reason


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        ("hours_per_week", "32", 32.0),
        ("hours_per_week", "32,5", 32.5),
        ("hours_per_week", "32.5", 32.5),
        ("hours_per_week", "60", 60.0),
        ("max_travel_km", "300", 300.0),
        ("ladder_step", "6", 6),
        ("birth_year", "1960", 1960),
        ("postcode", "3011 ab", "3011 ab"),
        ("postcode", "1234", "1234"),
    ],
)
def test_good_cells(column: str, cell: str, expected: object) -> None:
    assert one_cell("candidates", column, cell) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250000", 1_250_000.0),
        ("1.250.000,00", 1_250_000.0),
        ("1,250,000.00", 1_250_000.0),
        ("€ 1.250.000", 1_250_000.0),
        ("€ 1.250.000,-", 1_250_000.0),  # the Dutch way to write whole euros
        ("EUR 1 250 000", 1_250_000.0),
        ("1250000,50", 1_250_000.5),
        ("1250000.5", 1_250_000.5),
        ("1.250", 1250.0),  # one separator and three digits: thousands (amounts are in cents)
        ("1,250", 1250.0),
        ("99,95", 99.95),
        ("1.234.567,89", 1_234_567.89),
        ("123456782", 123_456_782.0),  # an elfproef-valid 9-digit amount is still an amount
    ],
)
def test_value_eur_formats(text: str, expected: float) -> None:
    assert parse_money(text) == expected
    assert one_cell("contracts", "value_eur", text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("veel", "is not an amount in euros: use e.g. 1250000, 1.250.000,00 or 1,250,000.00"),
        ("-5000", "is not an amount in euros"),
        ("1.25.000", "is not an amount in euros"),
        ("1250.000,00", "is not an amount in euros"),
        ("1.250,000", "has more than two decimals"),
        ("12,5,0", "is not an amount in euros"),
        ("1000.", "is not an amount in euros"),
        ("0", "must be more than 0"),
        ("0,00", "must be more than 0"),
    ],
)
def test_bad_value_eur(text: str, reason: str) -> None:
    error = one_cell("contracts", "value_eur", text)
    assert isinstance(error, RowError)
    assert error.reason == f"value_eur '{text}' {reason}" or reason in error.reason


@pytest.mark.parametrize(
    ("kind", "row"),
    [
        ("contracts", "C1,Bouw BV,1000,2026-06-01,2026-05-31"),
        ("placements", "K1,V1,24,2026-01-01,31-12-2025"),
    ],
)
def test_end_date_before_start_date(kind: str, row: str) -> None:
    header = {
        "contracts": "contract_ref,contractor,value_eur,start_date,end_date",
        "placements": "candidate_ref,vacancy_ref,hours_per_week,start_date,end_date",
    }[kind]
    records, errors = parse_csv(kind, header, row)
    end = row.rsplit(",", 1)[1]
    assert records == []
    (error,) = errors
    assert (error.row, error.column, error.value) == (2, "end_date", end)
    assert "is before start_date" in error.reason


# ---------------------------------------------------------------------------------------------
# Rows and tables


def test_one_bad_row_gives_a_row_error_and_the_rest_parse() -> None:
    records, errors = parse_csv(
        "candidates",
        "candidate_ref,postcode,benefit,ladder_step",
        "K1,3011AB,ww,3",
        "K2,3011AB,bijstnd,2",
        "K3,3011AB,wia,",
    )
    assert [r["candidate_ref"] for r in records] == ["K1", "K3"]
    assert errors == [
        RowError(
            row=3,
            column="benefit",
            value="bijstnd",
            reason="benefit 'bijstnd' is not one of: participatiewet, ww, wia, wajong, ioaw, "
            "ioaz, anw, nugger, none",
        )
    ]


def test_all_errors_of_a_row_are_reported() -> None:
    _, errors = parse_csv("candidates", CANDIDATE_HEADER + ",ladder_step", ",3011XYZ,nope,9")
    assert [e.column for e in errors] == ["candidate_ref", "postcode", "benefit", "ladder_step"]
    assert errors[0].reason == "candidate_ref is required and may not be empty"


def test_unknown_columns_are_reported_and_ignored() -> None:
    raw = read_table(
        csv_bytes(CANDIDATE_HEADER + ",Naam,telefoon", "K1,3011AB,ww,Jan,0612345678"), "c"
    )
    result = parse_table("candidates", raw)
    assert result.unknown_columns == ["naam", "telefoon"]
    assert result.errors == [] and "naam" not in result.records[0]


def test_missing_required_column_gives_a_header_error_and_no_records() -> None:
    raw = read_table(csv_bytes("candidate_ref,postcode", "K1,3011AB"), "c.csv")
    result = parse_table("candidates", raw)
    assert result.records == [] and result.missing_columns == ["benefit"]
    assert result.errors == [
        RowError(
            1,
            "benefit",
            "",
            "required column 'benefit' is missing (the file has: candidate_ref, postcode)",
        )
    ]
    assert not result.ok


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind 'clients' is not one of: candidates, contracts"):
        parse_table("clients", RawTable([], [], ",", None, "x"))


def test_duplicate_key_is_an_error_on_the_later_row() -> None:
    records, errors = parse_csv(
        "candidates", CANDIDATE_HEADER, "K1,3011AB,ww", "K2,3011AB,ww", "K1,1234,wia"
    )
    assert [r["candidate_ref"] for r in records] == ["K1", "K2"]
    assert errors == [
        RowError(4, "candidate_ref", "K1", "duplicate key (candidate_ref=K1): already on row 2")
    ]


def test_outcome_key_is_pair_status_and_date_compared_as_typed_values() -> None:
    records, errors = parse_csv(
        "outcomes",
        "candidate_ref,vacancy_ref,status,date",
        "K1,V1,proposed,2026-03-01",
        "K1,V1,introduced,2026-03-01",
        "K1,V1,Proposed,01-03-2026",  # the same event written differently
        "K1,V1,proposed,2026-03-02",
    )
    assert len(records) == 3
    (error,) = errors
    # the key also holds the row's action (a status change unless the file says otherwise)
    assert error.row == 4
    assert error.column == "candidate_ref, vacancy_ref, status, date, action"
    assert error.value == "K1 / V1 / Proposed / 01-03-2026 / "
    assert error.reason.endswith("already on row 2")


def test_placement_key_includes_start_date() -> None:
    header = "candidate_ref,vacancy_ref,start_date,hours_per_week"
    records, errors = parse_csv("placements", header, "K1,V1,2026-01-01,24", "K1,V1,2026-07-01,24")
    assert len(records) == 2 and errors == []
    _, errors = parse_csv("placements", header, "K1,V1,2026-01-01,24", "K1,V1,1-1-2026,32")
    assert [e.row for e in errors] == [3]


# ---------------------------------------------------------------------------------------------
# The BSN guard


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID_BSN, True),
        ("123456782", True),
        ("111.222.333", True),
        ("1112 22 333", True),
        ("111-222-333", True),
        (" 111222333 ", True),
        (VALID_BSN_8, True),  # 8 digits: left-padded with a zero, then tested
        ("111222334", False),  # fails the elfproef
        ("000000000", False),
        ("00000000", False),
        ("12345678", False),  # a KvK number that fails the padded check
        ("1112223330", False),  # 10 digits
        ("01-03-2026", False),  # a date: 8 digits but with separators
        ("1234 5672", False),  # 8 digits with a separator is not a dropped-zero BSN
        ("K111222333", False),
        ("", False),
    ],
)
def test_is_probable_bsn(text: str, expected: bool) -> None:
    assert is_probable_bsn(text) is expected


def test_is_probable_bsn_allows_kvk_numbers_when_asked() -> None:
    assert is_probable_bsn(VALID_BSN_8, allow_kvk=True) is False
    assert is_probable_bsn(VALID_BSN, allow_kvk=True) is True


@pytest.mark.parametrize(
    ("header", "row", "column"),
    [
        (CANDIDATE_HEADER, f"{VALID_BSN},3011AB,ww", "candidate_ref"),
        (CANDIDATE_HEADER, "111.222.333,3011AB,ww", "candidate_ref"),
        (CANDIDATE_HEADER, f"{VALID_BSN_8},3011AB,ww", "candidate_ref"),
        (CANDIDATE_HEADER + ",bsn", f"K1,3011AB,ww,{VALID_BSN}", "bsn"),  # an unknown column
        (CANDIDATE_HEADER + ",notes", f"K1,3011AB,ww,{VALID_BSN_8}", "notes"),
        (CANDIDATE_HEADER + ",skills", f"K1,3011AB,ww,lassen;{VALID_BSN}", "skills"),
        (CANDIDATE_HEADER + ",education", f"K1,3011AB,ww,mbo2 (bsn {VALID_BSN})", "education"),
        (CANDIDATE_HEADER + ",coach", "K1,3011AB,ww,123-45-6782", "coach"),
        (CANDIDATE_HEADER + ",notes", "K1,3011AB,ww,bsn: 111 - 222 - 333.", "notes"),
    ],
)
def test_bsn_is_refused_in_any_column_and_never_echoed(header: str, row: str, column: str) -> None:
    records, errors = parse_csv("candidates", header, row)
    assert records == []
    (error,) = errors
    assert error == RowError(
        2,
        column,
        BSN_MASK,
        "value looks like a BSN (citizen service number); srmatch never stores BSNs",
    )
    digits = "".join(c for c in row.split(",", 3)[-1] if c.isdigit()) or VALID_BSN
    assert digits not in repr(errors)


@pytest.mark.parametrize(
    ("kind", "column", "cell"),
    [
        ("contracts", "contractor", VALID_BSN_8),  # an 8-digit KvK number
        ("contracts", "contractor", "12345678"),
        ("candidates", "coach", "12345678"),  # 8 digits failing the padded check
        ("candidates", "candidate_ref", "111222334"),  # 9 digits failing the elfproef
        ("candidates", "candidate_ref", "2024-000123"),
        ("contracts", "value_eur", VALID_BSN),  # an amount, exempt
        ("outcomes", "date", "01-03-2026"),
    ],
)
def test_not_a_bsn(kind: str, column: str, cell: str) -> None:
    assert not isinstance(one_cell(kind, column, cell), RowError)


def test_contractor_column_still_refuses_a_nine_digit_bsn() -> None:
    error = one_cell("contracts", "contractor", VALID_BSN)
    assert isinstance(error, RowError) and error.value == BSN_MASK


# ---------------------------------------------------------------------------------------------
# Writing


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+31612345678", "'+31612345678"),
        ("-korting", "'-korting"),
        ("@risk", "'@risk"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # so that the importer's unescape gives back '=x
        ("'t Hof", "'t Hof"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_escape_and_unescape_are_inverse(text: str, escaped: str) -> None:
    assert escape_cell(text) == escaped
    assert unescape_cell(escaped) == text


def test_formula_injection_is_escaped_in_csv_and_xlsx() -> None:
    record = {
        "vacancy_ref": '=HYPERLINK("http://x")',
        "contractor": "@Bouw",
        "title": "-korting",
        "postcode": "3011AB",
        "hours_per_week": 24,
        "description": "+1 ervaring",
        "required_skills": ["=cmd", "lassen"],
    }
    csv_text = write_table("vacancies", [record]).decode()
    cells = next(csv.reader(io.StringIO(csv_text.splitlines()[1])))
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@")), cell
    assert "'=cmd;lassen" in cells

    ws = openpyxl.load_workbook(io.BytesIO(write_table("vacancies", [record], "xlsx"))).active
    assert ws is not None
    values = [c.value for c in ws[2]]
    assert all(c.data_type != "f" for c in ws[2])
    assert "'-korting" in values and "'@Bouw" in values and "'=cmd;lassen" in values

    for data, name in (
        (csv_text.encode(), "v.csv"),
        (write_table("vacancies", [record], "xlsx"), "v.xlsx"),
    ):
        (back,) = parse_table("vacancies", read_table(data, name)).records
        assert back["title"] == "-korting" and back["required_skills"] == ["=cmd", "lassen"]
        assert back["vacancy_ref"] == record["vacancy_ref"]


def test_write_table_format() -> None:
    records = [
        {
            "candidate_ref": "K1",
            "postcode": "3011AB",
            "benefit": "ww",
            "target_groups": ["statushouder", "50plus"],
            "hours_per_week": 32.0,
            "max_travel_km": 12.5,
            "available_from": date(2026, 3, 1),
            "consent_share": True,
            "ladder_step": 3,
            "_row": 7,
            "id": 99,
        }
    ]
    lines = write_table("candidates", records).decode().splitlines()
    assert lines[0] == ",".join(c.name for c in COLUMNS["candidates"])
    row = dict(zip(lines[0].split(","), lines[1].split(","), strict=True))
    assert row["target_groups"] == "statushouder;50plus"
    assert row["hours_per_week"] == "32" and row["max_travel_km"] == "12.5"
    assert row["available_from"] == "2026-03-01" and row["consent_share"] == "true"
    assert row["ladder_step"] == "3" and row["coach"] == ""
    nl = write_table("candidates", records, delimiter=";", bom=True)
    assert nl.startswith(b"\xef\xbb\xbf")
    nl_row = dict(
        zip(lines[0].split(","), nl.decode("utf-8-sig").splitlines()[1].split(";"), strict=True)
    )
    assert nl_row["target_groups"] == "statushouder|50plus" and nl_row["max_travel_km"] == "12,5"


@pytest.mark.parametrize(
    ("value", "text"),
    [(1_250_000.0, "1250000"), (1_250_000, "1250000"), (99.5, "99.50"), (0.1 + 0.2, "0.30")],
)
def test_value_eur_is_written_as_plain_decimal(value: float, text: str) -> None:
    record = {"contract_ref": "C1", "contractor": "B", "value_eur": value}
    out = write_table("contracts", [record]).decode().splitlines()[1]
    assert out.split(",")[5] == text


def test_write_rows_and_workbook_for_reports() -> None:
    out = write_rows(
        ["contract", "realised", "date"], [["C1", 1250.5, date(2026, 1, 1)], ["-C2", 0.0, None]]
    )
    assert out.decode().splitlines() == [
        "contract,realised,date",
        "C1,1250.5,2026-01-01",
        "'-C2,0,",
    ]
    data = write_workbook(
        {
            "summary": (["contract", "value"], [["C1", 1250000], ["=C2", 3.5]]),
            "placements": (["ref"], [["K1"]]),
        }
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["summary", "placements"]
    ws = wb["summary"]
    assert ws["A1"].font.bold and ws["B2"].value == 1250000 and ws["A3"].value == "'=C2"
    assert write_rows(["a"], [["b"]], "xlsx", sheet="x")[:2] == b"PK"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: write_table("candidates", [], "ods"), "format 'ods' is not one of: csv, xlsx"),
        (lambda: write_table("clients", []), "kind 'clients' is not one of"),
        (lambda: write_table("outcomes", [], delimiter="\t"), "delimiter '\\t' is not one of"),
        (lambda: write_workbook({"a/b": (["x"], [])}), "sheet name 'a/b' is not allowed"),
        (lambda: write_workbook({}), "at least one sheet"),
        (lambda: write_rows(["x"], [[float("nan")]]), "cannot write the number nan"),
    ],
)
def test_write_errors(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        call()  # type: ignore[operator]


# ---------------------------------------------------------------------------------------------
# Round trip: parse(read(write(records))) gives the records back


# a small alphabet that still holds what breaks files: both delimiters and list separators,
# quotes, newlines, accents, the formula characters and the apostrophe that escapes them
_ALPHABET = "abcXYZ019 éëçøß€\"',;|=+-@\n"
TEXT = (
    st.text(_ALPHABET, min_size=1, max_size=20)
    .map(str.strip)
    .filter(lambda s: bool(s) and sum(c.isdigit() for c in s) < 8)
)
LINE = TEXT.map(lambda s: s.replace("\n", " ").strip()).filter(bool)
ITEM = TEXT.map(lambda s: s.replace(";", "").replace("|", "").strip()).filter(bool)
REF = st.builds(operator.add, st.sampled_from("ABCKV"), st.text("AB0123456789-", max_size=7))
POSTCODE = st.sampled_from(["3011 AB", "3011AB", "1234", "9999zz", "1012 JS"])
DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
HOURS = st.floats(min_value=0, max_value=60, exclude_min=True, allow_subnormal=False)
MONEY = st.one_of(st.integers(1, 10**13).map(lambda c: c / 100), st.integers(1, 10**10).map(float))


def _column_strategy(col: Column) -> st.SearchStrategy[object]:
    if col.name == "value_eur":
        return MONEY
    if col.name == "hours_per_week":
        return HOURS
    if col.type == "enum":
        if col.is_list:
            return st.lists(st.sampled_from(col.allowed), min_size=1, unique=True)
        return st.sampled_from(col.allowed)
    if col.is_list:
        return st.lists(ITEM, min_size=1, max_size=4)
    if col.type == "str":
        return REF if col.name.endswith("_ref") else LINE
    if col.type == "text":
        return TEXT
    if col.type == "postcode":
        return POSTCODE
    if col.type == "date":
        return DATES
    if col.type == "bool":
        return st.booleans()
    if col.type == "int":
        lo = int(col.min_value or 0)
        return st.integers(lo, int(col.max_value) if col.max_value is not None else lo + 1000)
    assert col.type == "float"
    return st.floats(
        min_value=col.min_value or 0,
        max_value=col.max_value if col.max_value is not None else 1e6,
        exclude_min=col.min_exclusive,
        allow_subnormal=False,
    )


@st.composite
def records_of(draw: st.DrawFn, kind: str) -> list[dict[str, object]]:
    def one() -> st.SearchStrategy[dict[str, object]]:
        fields = {}
        for col in COLUMNS[kind]:
            strategy = _column_strategy(col)
            fields[col.name] = strategy if col.required else st.one_of(st.none(), strategy)
        return st.fixed_dictionaries(fields)

    key = KEYS[kind]
    records = draw(
        st.lists(one(), min_size=1, max_size=4, unique_by=lambda r: tuple(r[k] for k in key))
    )
    for record in records:
        start, end = record.get("start_date"), record.get("end_date")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            record["start_date"], record["end_date"] = end, start
    return records


def _expected(kind: str, record: dict[str, object]) -> dict[str, object]:
    out = {}
    for col in COLUMNS[kind]:
        value = record.get(col.name)
        if value is None:
            value = list(col.default) if col.is_list else col.default  # type: ignore[call-overload]
        out[col.name] = value
    return out


def _round_trip(kind: str, records: list[dict[str, object]], fmt: str, delimiter: str) -> None:
    """``delimiter`` ``"nl"`` writes the Dutch dialect (``;``, BOM, Dutch headers and dates)."""
    if delimiter == "nl":
        data = write_table(kind, records, fmt, dialect="nl")
    else:
        data = write_table(kind, records, fmt, delimiter=delimiter, bom=delimiter == ";")
    result = parse_table(kind, read_table(data, f"{kind}.{fmt}"))
    assert result.errors == []
    assert result.unknown_columns == [] and result.missing_columns == []
    got = [{k: v for k, v in r.items() if k != "_row"} for r in result.records]
    assert got == [_expected(kind, r) for r in records]
    assert [r["_row"] for r in result.records] == list(range(2, len(records) + 2))


def _excel_precision(records: list[dict[str, object]]) -> list[dict[str, object]]:
    """XLSX stores numbers as Excel does, with 15 significant digits."""
    return [
        {k: float(f"{v:.15g}") if isinstance(v, float) else v for k, v in r.items()}
        for r in records
    ]


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), delimiter=st.sampled_from([",", ";", "nl"]))
def test_csv_round_trip(kind: str, delimiter: str, data: st.DataObject) -> None:
    _round_trip(kind, data.draw(records_of(kind)), "csv", delimiter)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), dialect=st.sampled_from([",", "nl"]))
def test_xlsx_round_trip(kind: str, dialect: str, data: st.DataObject) -> None:
    _round_trip(kind, _excel_precision(data.draw(records_of(kind))), "xlsx", dialect)
