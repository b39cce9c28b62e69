"""Write the bad-file corpus of issue 13 (acceptance 2) into this folder, and ``cases.json``.

Run ``python tests/data/bad_files/generate.py`` to rebuild it; the files are committed so the
test reads exactly these bytes. Each case names the file, the kind it is imported as, who
imports it (a user of ``tests.api.conftest.make_world``: ``coach_A``, ``coach2_A``, ``sr_A``,
``contr_A``, or ``operator`` for the command line without ``--as``), whether it must be
``refused`` or ``imported`` (within bounds), and words the answer must contain.

The world the cases assume: municipality "Gemeente A" with coaches ``coach_A`` (holds
candidate ``REF-A``) and ``coach2_A``, SR officer ``sr_A``, contractor "Aannemer A" with user
``contr_A``; the same for side B (``REF-B``, "Gemeente B", "Aannemer B"). Contract and vacancy
references are generated per test, so the cases that need them use the placeholders
``{contract_A}``, ``{contract_B}``, ``{vacancy_A}``, ``{vacancy_B}``, replaced before import.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES: list[dict[str, Any]] = []

CAND_HEAD = "candidate_ref,postcode,benefit,skills,coach,max_travel_km,hours_per_week"


def case(
    name: str, kind: str, who: str, expect: str, says: str, data: bytes | str, note: str
) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    (HERE / name).write_bytes(raw)
    CASES.append(
        {"file": name, "kind": kind, "as": who, "expect": expect, "says": says, "note": note}
    )


def cand(*rows: str, head: str = CAND_HEAD) -> str:
    return head + "\n" + "\n".join(rows) + "\n"


def xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_xlsx(data: bytes, member: str, fn: Any) -> bytes:
    """The workbook with one member's bytes replaced by ``fn(old)``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info, fn(body) if info.filename == member else body)
    return out.getvalue()


def _no_decl(xml: bytes) -> bytes:
    """The XML without its ``<?xml ...?>`` declaration (a DOCTYPE must come first then)."""
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


CAND_XLSX_HEAD = ["candidate_ref", "postcode", "benefit", "coach", "ladder_step", "hours_per_week"]


def main() -> None:
    for old in HERE.iterdir():
        if old.name not in ("generate.py", "__init__.py"):
            old.unlink()
    ok = "C-OK-1,3511AB,ww,lassen,coach_A,25,32"

    # --- BSNs ---------------------------------------------------------------------------
    case(
        "bsn_ref.csv",
        "candidates",
        "coach_A",
        "refused",
        "bsn",
        cand("111222333,3511AB,ww,lassen,coach_A,25,32"),
        "a BSN as the client reference",
    )
    case(
        "bsn_fullwidth.csv",
        "candidates",
        "coach_A",
        "refused",
        "bsn",
        cand("１１１２２２３３３,3511AB,ww,lassen,coach_A,25,32"),
        "a BSN in full-width digits",
    )
    case(
        "bsn_in_skills.csv",
        "candidates",
        "coach_A",
        "refused",
        "bsn",
        cand('C-1,3511AB,ww,"lassen;bsn 111.222.333",coach_A,25,32'),
        "a BSN inside a list",
    )
    case(
        "bsn_eight_digits.csv",
        "candidates",
        "coach_A",
        "refused",
        "bsn",
        cand("12345672,3511AB,ww,lassen,coach_A,25,32"),
        "a BSN whose leading 0 Excel dropped",
    )
    case(
        "bsn_unknown_column.csv",
        "candidates",
        "coach_A",
        "refused",
        "bsn",
        cand("C-1,3511AB,ww,lassen,coach_A,25,32,111 222 333", head=CAND_HEAD + ",notes"),
        "a BSN in a column the importer ignores",
    )
    case(
        "bsn_arabic_digits.csv",
        "candidates",
        "coach_A",
        "refused",
        "bsn",
        cand("C-1,3511AB,ww,lassen ١١١٢٢٢٣٣٣,coach_A,25,32"),
        "a BSN in Arabic-Indic digits",
    )
    case(
        "bsn_vacancy_description.csv",
        "vacancies",
        "contr_A",
        "refused",
        "bsn",
        "vacancy_ref,contractor,title,description,postcode,hours_per_week\n"
        "V-X,Aannemer A,Lasser,bel 111222333 voor info,3511AB,32\n",
        "a BSN in a vacancy's free text",
    )

    # --- formula injection (stored as text; exports escape it) ----------------------------
    case(
        "formula_in_skills.csv",
        "candidates",
        "coach_A",
        "imported",
        "",
        cand('C-F1,3511AB,ww,"=HYPERLINK(""http://x"");@SUM(A1)",coach_A,25,32'),
        "formula-looking skills are stored as text and escaped on export",
    )
    case(
        "formula_escaped_roundtrip.csv",
        "candidates",
        "coach_A",
        "imported",
        "",
        cand("C-F2,3511AB,ww,'-korting,coach_A,25,32"),
        "an exported escape reads back",
    )

    # --- encodings and file formats ---------------------------------------------------------
    case(
        "utf16.csv",
        "candidates",
        "coach_A",
        "refused",
        "utf-16",
        cand(ok).encode("utf-16"),
        "UTF-16 text",
    )
    case(
        "bom_but_cp1252.csv",
        "candidates",
        "coach_A",
        "refused",
        "bom",
        b"\xef\xbb\xbf" + cand("C-1,3511AB,ww,caf\xe9,coach_A,25,32").encode("latin-1"),
        "a UTF-8 BOM on Windows-1252 bytes",
    )
    case(
        "cp1252_dutch_excel.csv",
        "candidates",
        "coach_A",
        "imported",
        "",
        'candidate_ref;postcode;benefit;skills;coach\r\nC-W1;3511AB;ww;"café;lassen";coach_A\r\n'.encode(
            "cp1252"
        ),
        "Dutch Excel: cp1252, ';' and a quoted ';' list",
    )
    case(
        "binary_nul.csv",
        "candidates",
        "coach_A",
        "refused",
        "binary",
        cand(ok).encode() + b"\x00\x01\x02",
        "NUL bytes",
    )
    case(
        "legacy.xls",
        "candidates",
        "coach_A",
        "refused",
        ".xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
        "the old Excel format",
    )
    case("empty.csv", "candidates", "coach_A", "refused", "empty", b"", "an empty file")
    case(
        "blank_lines.csv",
        "candidates",
        "coach_A",
        "refused",
        "empty",
        "\n\n  \n",
        "only blank lines",
    )
    case(
        "mixed_delimiters.csv",
        "candidates",
        "coach_A",
        "refused",
        "mixes",
        "candidate_ref,postcode;benefit\nC-1,3511AB;ww\n",
        "',' and ';' in the header",
    )
    case(
        "tab_delimited.txt",
        "candidates",
        "coach_A",
        "refused",
        "tab",
        "candidate_ref\tpostcode\tbenefit\nC-1\t3511AB\tww\n",
        "tabs",
    )
    case(
        "duplicate_column.csv",
        "candidates",
        "coach_A",
        "refused",
        "twice",
        "candidate_ref,postcode,postcode,benefit\nC-1,3511AB,3511AB,ww\n",
        "a column twice",
    )
    case(
        "missing_column.csv",
        "candidates",
        "coach_A",
        "refused",
        "required column",
        "candidate_ref,benefit\nC-1,ww\n",
        "no postcode column",
    )
    case(
        "ragged_row.csv",
        "candidates",
        "coach_A",
        "refused",
        "cells",
        cand("C-1,3511AB,ww,lassen,coach_A,25,32,extra,more"),
        "a row with too many cells",
    )
    case(
        "unclosed_quote.csv",
        "candidates",
        "coach_A",
        "refused",
        "",
        cand('C-1,3511AB,ww,"lassen,coach_A,25,32', "C-2,3511AB,ww,x,coach_A,25,32"),
        "a quote that never closes",
    )
    case(
        "pdf_renamed.csv",
        "candidates",
        "coach_A",
        "refused",
        "",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "a PDF renamed to .csv",
    )
    case(
        "image.png",
        "candidates",
        "coach_A",
        "refused",
        "unsupported",
        b"\x89PNG\r\n\x1a\n",
        "not a table format",
    )

    # --- sizes --------------------------------------------------------------------------------
    case(
        "huge_cell.csv",
        "candidates",
        "coach_A",
        "refused",
        "",
        cand("C-1,3511AB,ww," + "x" * 300_000 + ",coach_A,25,32"),
        "a 300 KB cell",
    )
    case(
        "long_skill.csv",
        "candidates",
        "coach_A",
        "refused",
        "",
        cand("C-1,3511AB,ww," + "lassen " * 1000 + ",coach_A,25,32"),
        "a 7,000-character skill",
    )
    case(
        "long_vacancy_title.csv",
        "vacancies",
        "contr_A",
        "refused",
        "title",
        "vacancy_ref,contractor,title,postcode,hours_per_week\n"
        f"V-L,Aannemer A,{'Lasser ' * 150},3511AB,32\n",
        "a 1,050-character title",
    )
    case(
        "too_many_skills.csv",
        "candidates",
        "coach_A",
        "refused",
        "skills",
        cand(
            "C-1,3511AB,ww,"
            + '"'
            + ";".join(f"vaardigheid {i}" for i in range(200))
            + '"'
            + ",coach_A,25,32"
        ),
        "200 skills in one cell",
    )
    many = [CAND_XLSX_HEAD] + [
        [f"C-{i}", "3511AB", "bijstand-" + "x" * 3000, "coach_A", 3, 32] for i in range(400)
    ]
    case(
        "many_long_errors.xlsx",
        "candidates",
        "coach_A",
        "refused",
        "benefit",
        xlsx(many),
        "a small xlsx whose every row repeats a 3,000-character bad value (finding 8)",
    )

    # --- numbers and bounds -----------------------------------------------------------------
    case(
        "huge_int.csv",
        "candidates",
        "coach_A",
        "refused",
        "too large",
        cand("C-1,3511AB,ww,lassen,coach_A,25,32", head=CAND_HEAD).replace(
            ",25,32\n", ",25," + "9" * 5000 + "\n"
        ),
        "5,000 digits (Python's int() would refuse them with a traceback)",
    )
    case(
        "max_travel_400.csv",
        "candidates",
        "coach_A",
        "refused",
        "max_travel_km",
        cand("C-1,3511AB,ww,lassen,coach_A,400,32"),
        "beyond the API's bound (300)",
    )
    case(
        "max_travel_zero.csv",
        "candidates",
        "coach_A",
        "refused",
        "max_travel_km",
        cand("C-1,3511AB,ww,lassen,coach_A,0,32"),
        "0 km, which the API refuses",
    )
    case(
        "hours_100.csv",
        "candidates",
        "coach_A",
        "refused",
        "hours_per_week",
        cand("C-1,3511AB,ww,lassen,coach_A,25,100"),
        "more hours than a week allows",
    )
    case(
        "hours_negative.csv",
        "candidates",
        "coach_A",
        "refused",
        "hours_per_week",
        cand("C-1,3511AB,ww,lassen,coach_A,25,-5"),
        "a negative number",
    )
    case(
        "hours_nan.csv",
        "candidates",
        "coach_A",
        "refused",
        "hours_per_week",
        cand("C-1,3511AB,ww,lassen,coach_A,25,NaN"),
        "NaN",
    )
    case(
        "positions_5e9.csv",
        "vacancies",
        "contr_A",
        "refused",
        "positions",
        "vacancy_ref,contractor,title,postcode,hours_per_week,positions\n"
        "V-P,Aannemer A,Lasser,3511AB,32,5000000000\n",
        "5,000,000,000 positions",
    )
    case(
        "contract_250m.csv",
        "contracts",
        "sr_A",
        "imported",
        "",
        "contract_ref;contractor;value_eur;start_date;end_date\n"
        "C-BIG;Aannemer A;250.000.000,00;01-01-2026;31-12-2028\n",
        "EUR 250,000,000 is a real contract value (finding 12)",
    )
    case(
        "contract_value_absurd.csv",
        "contracts",
        "sr_A",
        "refused",
        "too large",
        "contract_ref,contractor,value_eur\nC-ABS,Aannemer A,1" + "0" * 20 + "\n",
        "a 21-digit contract value",
    )
    case(
        "contract_unknown_table.csv",
        "contracts",
        "sr_A",
        "refused",
        "sr_table",
        "contract_ref,contractor,value_eur,sr_table\nC-T,Aannemer A,100000,atlantis\n",
        "an SR table that does not exist (finding 5)",
    )
    case(
        "contract_end_before_start.csv",
        "contracts",
        "sr_A",
        "refused",
        "end_date",
        "contract_ref,contractor,value_eur,start_date,end_date\n"
        "C-E,Aannemer A,100000,2027-01-01,2026-01-01\n",
        "ends before it starts",
    )

    # --- values ------------------------------------------------------------------------------
    case(
        "bad_date.csv",
        "candidates",
        "coach_A",
        "refused",
        "valid date",
        cand("C-1,3511AB,ww,lassen,coach_A,25,32", head=CAND_HEAD)
        .replace(",32\n", ",32,31-02-2026\n")
        .replace("hours_per_week", "hours_per_week,available_from"),
        "31 February",
    )
    case(
        "ambiguous_date.csv",
        "candidates",
        "coach_A",
        "refused",
        "is not a date",
        cand("C-1,3511AB,ww,lassen,coach_A,25,32", head=CAND_HEAD)
        .replace(",32\n", ",32,03/01/2026\n")
        .replace("hours_per_week", "hours_per_week,available_from"),
        "a date that could be 3 January or 1 March",
    )
    case(
        "unknown_benefit.csv",
        "candidates",
        "coach_A",
        "refused",
        "benefit",
        cand("C-1,3511AB,bijstand,lassen,coach_A,25,32"),
        "a benefit not in the list",
    )
    case(
        "forklift_as_licence.csv",
        "candidates",
        "coach_A",
        "refused",
        "forklift",
        'candidate_ref;postcode;benefit;driving_licences\nC-1;3511AB;ww;"B;heftruck"\n',
        "a quoted ';' list of licences with a certificate in it",
    )
    case(
        "quoted_semicolon_lists.csv",
        "candidates",
        "coach_A",
        "imported",
        "",
        "candidate_ref;postcode;benefit;skills;driving_licences;hours_per_week\n"
        'C-Q1;3511AB;ww;"VCA;heftruck";"B;C";32,5\n',
        "Dutch Excel's quoted ';' lists",
    )
    case(
        "bad_postcode.csv",
        "candidates",
        "coach_A",
        "refused",
        "postcode",
        cand("C-1,35110AB,ww,lassen,coach_A,25,32"),
        "not a Dutch postcode",
    )
    case(
        "duplicate_refs.csv",
        "candidates",
        "coach_A",
        "refused",
        "duplicate",
        cand("C-D,3511AB,ww,lassen,coach_A,25,32", "C-D,3511AB,ww,koken,coach_A,25,32"),
        "the same reference twice",
    )
    case(
        "multiline_ref.csv",
        "candidates",
        "coach_A",
        "refused",
        "single line",
        cand('"C-1\nC-2",3511AB,ww,lassen,coach_A,25,32'),
        "a line break in a reference",
    )
    case(
        "bad_gender.csv",
        "candidates",
        "coach_A",
        "refused",
        "gender",
        "candidate_ref,postcode,benefit,gender\nC-1,3511AB,ww,onbekend\n",
        "gender not m/v/x",
    )

    # --- people and scope ---------------------------------------------------------------------
    case(
        "unknown_coaches.csv",
        "candidates",
        "sr_A",
        "refused",
        "s.bakker",
        cand(
            *(
                f"C-U{i},3511AB,ww,lassen,{'s.bakker' if i % 2 else 'p.jansen'},25,32"
                for i in range(300)
            )
        ),
        "coaches that do not exist: one line per coach",
    )
    case(
        "foreign_coach.csv",
        "candidates",
        "sr_A",
        "refused",
        "another municipality",
        cand("C-1,3511AB,ww,lassen,coach_B,25,32"),
        "a coach of another municipality",
    )
    case(
        "takeover_candidate.csv",
        "candidates",
        "coach2_A",
        "refused",
        "another coach",
        cand("REF-A,3511AB,ww,lassen,coach2_A,25,32"),
        "a coach's file takes over another coach's candidate (finding 6)",
    )
    case(
        "foreign_candidate.csv",
        "candidates",
        "coach_A",
        "refused",
        "another municipality",
        cand("REF-B,3511AB,ww,lassen,coach_A,25,32"),
        "another municipality's candidate",
    )
    case(
        "move_foreign_referral.csv",
        "outcomes",
        "coach2_A",
        "refused",
        "another coach",
        "candidate_ref,vacancy_ref,status,date,reason\n"
        "REF-A,{vacancy_A},withdrawn,2026-03-01,verhuisd\n",
        "a coach's file moves another coach's referral (finding 6)",
    )
    case(
        "referral_out_of_scope.csv",
        "outcomes",
        "coach_A",
        "refused",
        "another municipality",
        "candidate_ref,vacancy_ref,status,date\nREF-A,{vacancy_B},proposed,2026-03-01\n",
        "a referral on a vacancy outside the coach's scope (finding 6)",
    )
    case(
        "vacancy_foreign_contract.csv",
        "vacancies",
        "sr_A",
        "refused",
        "another municipality",
        "vacancy_ref,contractor,contract_ref,title,postcode,hours_per_week\n"
        "V-S1,Aannemer B,{contract_B},Lasser,3511AB,32\n",
        "an SR officer's vacancy file writes into another municipality (finding 6)",
    )
    case(
        "vacancy_foreign_update.csv",
        "vacancies",
        "sr_A",
        "refused",
        "another municipality",
        "vacancy_ref,contractor,title,postcode,hours_per_week\n"
        "{vacancy_B},Aannemer B,Overgenomen,3511AB,32\n",
        "an SR officer's file changes another municipality's vacancy",
    )
    case(
        "placement_foreign_vacancy.csv",
        "placements",
        "sr_A",
        "refused",
        "another municipality",
        "candidate_ref,vacancy_ref,start_date,hours_per_week\nREF-A,{vacancy_B},2026-03-01,32\n",
        "an SR officer's placement file writes into another municipality (finding 6)",
    )
    case(
        "contract_foreign_municipality.csv",
        "contracts",
        "sr_A",
        "refused",
        "own municipality",
        "contract_ref,contractor,value_eur,municipality\nC-M,Aannemer A,100000,Gemeente B\n",
        "a contract for another municipality",
    )
    case(
        "vacancy_other_company.csv",
        "vacancies",
        "contr_A",
        "refused",
        "own vacancies",
        "vacancy_ref,contractor,title,postcode,hours_per_week\nV-O,Aannemer B,Lasser,3511AB,32\n",
        "a contractor posts for another company",
    )
    case(
        "kind_not_allowed.csv",
        "contracts",
        "coach_A",
        "refused",
        "may not import",
        "contract_ref,contractor,value_eur\nC-K,Aannemer A,100000\n",
        "a coach may not import contracts",
    )

    # --- xlsx tricks --------------------------------------------------------------------------
    base = xlsx([CAND_XLSX_HEAD, ["C-X1", "3511AB", "ww", "coach_A", 3, 32]])
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">'.encode()
            for i in range(1, 10)
        )
        + b"]>\n"
    )
    case(
        "billion_laughs.xlsx",
        "candidates",
        "coach_A",
        "refused",
        "entities",
        rewrite_xlsx(base, "xl/worksheets/sheet1.xml", lambda old: laughs + _no_decl(old)),
        "XML entity expansion (billion laughs)",
    )
    case(
        "external_entity.xlsx",
        "candidates",
        "coach_A",
        "refused",
        "entities",
        rewrite_xlsx(
            base,
            "xl/workbook.xml",
            lambda old: (
                b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM '
                b'"file:///etc/passwd">]>\n' + _no_decl(old)
            ),
        ),
        "an external entity (XXE)",
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        src = zipfile.ZipFile(io.BytesIO(base))
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("xl/media/padding.bin", b"\x00" * (120 * 1024 * 1024))
    case(
        "zip_bomb.xlsx",
        "candidates",
        "coach_A",
        "refused",
        "unpacks",
        bomb.getvalue(),
        "120 MB of zeros in a 120 KB workbook",
    )
    case(
        "huge_numbers.xlsx",
        "candidates",
        "coach_A",
        "refused",
        "ladder_step",
        xlsx(
            [
                CAND_XLSX_HEAD,
                ["C-H1", "3511AB", "ww", "coach_A", 10**30, 32],
                ["C-H2", "3511AB", "ww", "coach_A", 3, 1e308],
            ]
        ),
        "numbers far beyond any bound",
    )
    case(
        "infinite_number.xlsx",
        "candidates",
        "coach_A",
        "refused",
        "hours_per_week",
        rewrite_xlsx(
            xlsx([CAND_XLSX_HEAD, ["C-I1", "3511AB", "ww", "coach_A", 3, 32]]),
            "xl/worksheets/sheet1.xml",
            lambda old: old.replace(b"<v>32</v>", b"<v>1E+400</v>"),
        ),
        "a number cell that overflows to infinity",
    )
    case(
        "not_a_zip.xlsx",
        "candidates",
        "coach_A",
        "refused",
        "xlsx",
        b"PK\x03\x04garbage" * 10,
        "a broken zip",
    )
    case(
        "corrupt_sheet.xlsx",
        "candidates",
        "coach_A",
        "refused",
        "xlsx",
        rewrite_xlsx(base, "xl/worksheets/sheet1.xml", lambda old: old[: len(old) // 2]),
        "a sheet cut in half",
    )
    case(
        "xlsx_real_dates.xlsx",
        "candidates",
        "coach_A",
        "imported",
        "",
        xlsx(
            [
                CAND_XLSX_HEAD + ["available_from"],
                ["C-XD", "3511AB", "ww", "coach_A", 3, 32.5, date(2026, 3, 1)],
            ]
        ),
        "real date and number cells",
    )

    (HERE / "cases.json").write_text(json.dumps(CASES, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(CASES)} cases written to {HERE}")


if __name__ == "__main__":
    main()
