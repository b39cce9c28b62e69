"""The file layer of the data contract: read, validate and write the CSV/XLSX interchange files.

Pure functions on bytes and dicts; no database. The import service builds on three steps:

1. :func:`read_table` turns the bytes of a ``.csv`` or ``.xlsx`` file into a :class:`RawTable`
   of text cells (encoding and delimiter detected, header names lower-cased);
2. :func:`parse_table` checks every row against :data:`COLUMNS` for one of the :data:`KINDS` and
   returns typed records plus a row-by-row error report (:class:`RowError`);
3. :func:`write_table` (and :func:`write_rows` / :func:`write_workbook` for reports) writes the
   same format back, safe against formula injection.

Rules the data contract leaves open, chosen here (the README documents them):

- Files: ``.xlsx`` (first sheet; formulas count by their cached value; a percent-formatted cell
  reads as the percentage, ``5%`` -> ``5``) or CSV (``.csv``, ``.txt`` or no extension). Legacy
  ``.xls``, UTF-16 and tab-delimited text are refused with a message saying what to save as.
  A header with both ``,`` and ``;`` outside quotes is refused. Trailing empty header cells and
  trailing empty cells in a row (Excel writes them) are ignored; any other ragged row is an
  error row. Spreadsheet row numbers count blank rows, which are skipped.
- A cell is stripped of surrounding whitespace; an empty optional cell takes the column default,
  an empty required cell is an error. ``str`` cells (references, names) are one line of at most
  200 characters, ``text`` cells at most 10 000.
- Enums match case-insensitively and come back in the vocabulary's spelling (``b`` -> ``B``);
  duplicate items in an enum list are dropped. Booleans also accept ``waar``/``onwaar``
  (Dutch Excel writes them).
- Exports prefix ``'`` to a text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or CR
  (also to one that already starts with ``'`` followed by such a character), and imports strip
  exactly one leading ``'`` from a cell made of one or more ``'`` and then one of those
  characters: so any exported value reads back unchanged (``-korting`` -> ``'-korting``).
- BSN guard (:func:`is_probable_bsn`): a cell is refused when it, or a run of digits inside it,
  is 9 digits after removing spaces, dots and dashes and passes the elfproef; a cell that is
  exactly 8 digits (Excel dropped the leading zero) is left-padded and tested too, except in the
  ``contractor`` column, which may hold an 8-digit KvK number. ``value_eur`` is exempt: an
  amount in euros is not an identifier, and contract values of 8 or 9 digits are common.
  Dates never match (8 digits, but with separators). The error never shows the digits.
- Numbers: no sign; ``.`` or ``,`` as the decimal mark. Only ``value_eur`` accepts thousands
  separators, a currency sign and a trailing ``,-``; there a single separator followed by
  exactly three digits is a thousands separator (amounts have at most two decimals).
- Ranges: ``hours_per_week`` in (0, 60], ``max_travel_km`` in (0, 300], ``sr_percentage`` in
  (0, 100], ``positions`` >= 1, ``value_eur`` > 0; ``end_date`` may not precede ``start_date``.
- Keys are compared as typed values: ``01-03-2026`` and ``2026-03-01`` are the same date.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from matcher import vocab
from matcher.dates import format_date, parse_date

__all__ = [
    "COLUMNS",
    "KEYS",
    "KINDS",
    "Column",
    "InterchangeError",
    "ParseResult",
    "RawTable",
    "RowError",
    "DIALECTS",
    "DUTCH_HEADERS",
    "format_cell",
    "headers",
    "contains_bsn",
    "is_probable_bsn",
    "parse_slices",
    "parse_table",
    "shown",
    "read_table",
    "write_rows",
    "write_table",
    "write_workbook",
]

KINDS: tuple[str, ...] = ("candidates", "contracts", "vacancies", "outcomes", "placements")
TYPES: tuple[str, ...] = ("str", "int", "float", "date", "bool", "enum", "postcode", "text")

#: Longest accepted ``str`` cell (references, names) and ``text`` cell (free text).
MAX_STR_LENGTH = 200
MAX_TEXT_LENGTH = 10_000
#: Most digits a number cell may have (a contract of EUR 999 billion has 12).
MAX_DIGITS = 15
#: How much of a refused value an error message repeats (a 5,000-character cell is not echoed).
SHOWN_CHARS = 40
#: Limits on an ``.xlsx`` file: its unpacked size, and how much bigger than the file it may be.
MAX_XLSX_UNPACKED = 256 * 1024 * 1024
MAX_XLSX_RATIO = 200

BSN_MASK = "*********"
BSN_REASON = "value looks like a BSN (citizen service number); srmatch never stores BSNs"


class InterchangeError(ValueError):
    """A file that cannot be read as a table at all (empty, no header, wrong format)."""


@dataclass(frozen=True)
class Column:
    """One column of an interchange file.

    ``allowed`` lists the values of an ``enum`` column (matched case-insensitively, returned in
    this spelling). ``min_value``/``max_value`` bound ``int`` and ``float`` columns
    (``min_exclusive`` makes the lower bound strict). ``money`` marks an amount in euros
    (thousands separators and a currency sign accepted; exempt from the BSN guard) and
    ``may_be_kvk`` a column that may hold an 8-digit KvK number.
    """

    name: str
    required: bool
    type: str
    allowed: tuple[str, ...] = ()
    default: object = None
    is_list: bool = False
    help: str = ""
    min_value: float | None = None
    max_value: float | None = None
    min_exclusive: bool = False
    money: bool = False
    may_be_kvk: bool = False

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: type {self.type!r} is not one of {TYPES}")
        if self.type == "enum" and not self.allowed:
            raise ValueError(f"column {self.name}: an enum needs allowed values")


def _hours(required: bool, default: float | None = None, help: str = "") -> Column:
    return Column(
        "hours_per_week",
        required,
        "float",
        default=default,
        min_value=0,
        min_exclusive=True,
        max_value=60,
        help=help or "hours per week, more than 0 and at most 60",
    )


_CURRENT_YEAR = date.today().year

COLUMNS: dict[str, tuple[Column, ...]] = {
    "candidates": (
        Column(
            "candidate_ref",
            True,
            "str",
            help="the municipality's pseudonymous client reference (not a BSN), unique",
        ),
        Column("postcode", True, "postcode", help="Dutch postcode: 1234, 1234AB or 1234 ab"),
        Column("benefit", True, "enum", vocab.BENEFITS, help="the benefit the candidate receives"),
        Column(
            "target_groups", False, "enum", vocab.TARGET_GROUPS, (), True, "list of target groups"
        ),
        Column(
            "ladder_step",
            False,
            "int",
            min_value=1,
            max_value=6,
            help="participatieladder step 1-6",
        ),
        Column(
            "education", False, "text", help="education code or diploma name (normalised on import)"
        ),
        Column("skills", False, "text", default=(), is_list=True, help="list of free-text skills"),
        Column(
            "occupations",
            False,
            "text",
            default=(),
            is_list=True,
            help="list of free-text occupations, past and wished",
        ),
        Column("dutch_level", False, "text", help="A0 ... C2 or moedertaal"),
        Column(
            "driving_licences",
            False,
            "enum",
            vocab.DRIVING_LICENCES,
            (),
            True,
            "list of driving licences",
        ),
        _hours(
            False,
            vocab.DEFAULT_HOURS_PER_WEEK,
            "hours the candidate can work per week (default 32)",
        ),
        Column(
            "max_travel_km",
            False,
            "float",
            default=vocab.DEFAULT_MAX_TRAVEL_KM,
            min_value=0,
            min_exclusive=True,
            max_value=vocab.MAX_TRAVEL_KM,
            help="the furthest the candidate can travel, more than 0 and at most 300 km "
            "(default 25)",
        ),
        Column("available_from", False, "date", help="date"),
        Column("unemployed_since", False, "date", help="date"),
        Column("coach", False, "str", help="user name of the job coach who holds this candidate"),
        Column(
            "consent_share",
            False,
            "bool",
            default=False,
            help="anonymised profile may be shown to contractors (default false)",
        ),
        Column("municipality", False, "str", help="the municipality holding the client"),
        Column(
            "birth_year",
            False,
            "int",
            min_value=1900,
            max_value=_CURRENT_YEAR,
            help="year of birth, only for the fairness audit; never a model feature",
        ),
        Column(
            "gender",
            False,
            "enum",
            ("m", "v", "x"),
            help="m, v or x, only for the fairness audit; never a model feature",
        ),
    ),
    "contracts": (
        Column("contract_ref", True, "str", help="unique reference of the awarded contract"),
        Column("contractor", True, "str", help="contractor name (or KvK number)", may_be_kvk=True),
        Column("municipality", False, "str", help="the commissioning municipality or region"),
        Column("title", False, "text", help="what was procured"),
        Column(
            "category",
            False,
            "enum",
            vocab.CONTRACT_CATEGORIES,
            help="werken, diensten or leveringen",
        ),
        Column(
            "value_eur",
            True,
            "float",
            min_value=0,
            min_exclusive=True,
            money=True,
            help="contract value excl. VAT in euros, e.g. 1250000 or 1.250.000,00",
        ),
        Column(
            "sr_percentage",
            False,
            "float",
            default=vocab.DEFAULT_SR_PERCENTAGE,
            min_value=0,
            min_exclusive=True,
            max_value=100,
            help="SR obligation as a percentage of the value (default 5)",
        ),
        Column("start_date", False, "date", help="start of the contract period"),
        Column("end_date", False, "date", help="end of the contract period"),
        Column(
            "sr_table",
            False,
            "str",
            default=vocab.DEFAULT_SR_TABLE,
            help="building-block table valuing this contract's SR (default nationaal)",
        ),
    ),
    "vacancies": (
        Column("vacancy_ref", True, "str", help="unique reference"),
        Column("contractor", True, "str", help="contractor name (or KvK number)", may_be_kvk=True),
        Column(
            "contract_ref",
            False,
            "str",
            help="the contract whose SR obligation this vacancy serves",
        ),
        Column("title", True, "text", help="free-text job title"),
        Column("description", False, "text", help="free text"),
        Column(
            "required_skills",
            False,
            "text",
            default=(),
            is_list=True,
            help="list of free-text skills",
        ),
        Column(
            "optional_skills",
            False,
            "text",
            default=(),
            is_list=True,
            help="list of free-text skills",
        ),
        Column("education_min", False, "text", help="as education"),
        Column("postcode", True, "postcode", help="postcode of the work location"),
        _hours(True, help="hours offered per week, more than 0 and at most 60"),
        Column(
            "positions", False, "int", default=1, min_value=1, help="number of places (default 1)"
        ),
        Column("start_date", False, "date", help="date"),
        Column(
            "eligible_benefits",
            False,
            "enum",
            vocab.BENEFITS,
            vocab.SR_BENEFITS,
            True,
            "benefits that count for SR here (default: all but none)",
        ),
        Column(
            "eligible_target_groups",
            False,
            "enum",
            vocab.TARGET_GROUPS,
            (),
            True,
            "restricts to these target groups (default: no restriction)",
        ),
        Column("dutch_level_min", False, "text", help="as dutch_level"),
        Column("driving_licence", False, "enum", vocab.DRIVING_LICENCES, help="licence required"),
        Column(
            "status",
            False,
            "enum",
            ("open", "closed"),
            default="open",
            help="open or closed (default open)",
        ),
    ),
    "outcomes": (
        Column("candidate_ref", True, "str"),
        Column("vacancy_ref", True, "str"),
        Column(
            "status", True, "enum", vocab.OUTCOME_STATUSES, help="the new status of the referral"
        ),
        Column("date", True, "date", help="date of the status change"),
        Column("reason", False, "text", help="free text, for rejections and withdrawals"),
        Column(
            "action",
            False,
            "enum",
            ("status", "introduction_requested"),
            default="status",
            help="status (default: the referral moved to this status) or "
            "introduction_requested (the contractor asked for an introduction)",
        ),
        Column(
            "consent",
            False,
            "enum",
            vocab.CONSENT_METHODS,
            help="on an introduced row: how the candidate consented to the introduction",
        ),
        Column(
            "reason_code",
            False,
            "enum",
            vocab.REJECTION_REASONS,
            help="on a rejected row: why, from the list (reason holds free text)",
        ),
    ),
    "placements": (
        Column("candidate_ref", True, "str"),
        Column("vacancy_ref", True, "str"),
        Column("start_date", True, "date"),
        Column("end_date", False, "date", help="empty while it lasts"),
        _hours(True),
        Column(
            "kind",
            False,
            "enum",
            vocab.PLACEMENT_KINDS,
            default="arbeidsovereenkomst",
            help="kind of placement (default arbeidsovereenkomst)",
        ),
        Column(
            "permanent",
            False,
            "bool",
            default=False,
            help="employment contract for an indefinite period (default false)",
        ),
    ),
}

#: The upsert key of each kind: no two rows of one file may share it.
KEYS: dict[str, tuple[str, ...]] = {
    "candidates": ("candidate_ref",),
    "contracts": ("contract_ref",),
    "vacancies": ("vacancy_ref",),
    "outcomes": ("candidate_ref", "vacancy_ref", "status", "date", "action"),
    "placements": ("candidate_ref", "vacancy_ref", "start_date"),
}

#: Column headers of the Dutch dialect (``dialect="nl"``), the same for every kind a column
#: occurs in. Imports accept them (any case; ``_`` or spaces) next to the standard names.
DUTCH_HEADERS: dict[str, str] = {
    "candidate_ref": "kandidaat_ref",
    "benefit": "uitkering",
    "target_groups": "doelgroepen",
    "ladder_step": "trede",
    "education": "opleiding",
    "skills": "vaardigheden",
    "occupations": "beroepen",
    "dutch_level": "taalniveau",
    "driving_licences": "rijbewijzen",
    "hours_per_week": "uren_per_week",
    "max_travel_km": "max_reisafstand_km",
    "available_from": "beschikbaar_vanaf",
    "unemployed_since": "werkloos_sinds",
    "consent_share": "toestemming_delen",
    "municipality": "gemeente",
    "birth_year": "geboortejaar",
    "gender": "geslacht",
    "contractor": "opdrachtnemer",
    "title": "titel",
    "category": "categorie",
    "value_eur": "waarde_eur",
    "start_date": "startdatum",
    "end_date": "einddatum",
    "sr_table": "sr_tabel",
    "vacancy_ref": "vacature_ref",
    "description": "omschrijving",
    "required_skills": "vereiste_vaardigheden",
    "optional_skills": "gewenste_vaardigheden",
    "education_min": "minimale_opleiding",
    "positions": "aantal_plaatsen",
    "eligible_benefits": "tellende_uitkeringen",
    "eligible_target_groups": "tellende_doelgroepen",
    "dutch_level_min": "minimaal_taalniveau",
    "driving_licence": "rijbewijs",
    "date": "datum",
    "reason": "reden",
    "action": "actie",
    "consent": "toestemming",
    "reason_code": "redencode",
    "kind": "soort",
    "permanent": "vast_contract",
}
_FROM_DUTCH = {nl: en for en, nl in DUTCH_HEADERS.items()}
DIALECTS: tuple[str, ...] = ("en", "nl")


def _header_key(name: str) -> str:
    return re.sub(r"[\s_]+", "_", name.strip().lower())


def _canonical_headers(raw: RawTable) -> RawTable:
    """The table with Dutch-dialect headers renamed to the standard column names."""
    rename = {c: _FROM_DUTCH[_header_key(c)] for c in raw.columns if _header_key(c) in _FROM_DUTCH}
    if not rename:
        return raw
    columns = [rename.get(c, c) for c in raw.columns]
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise InterchangeError(
            f"{raw.source}: column(s) {', '.join(twice)} appear twice (a Dutch and a standard "
            "header for the same column)"
        )
    rows = [{rename.get(k, k): v for k, v in row.items()} for row in raw.rows]
    return RawTable(columns, rows, raw.delimiter, raw.encoding, raw.source, raw.row_numbers,
                    raw.errors)  # fmt: skip


#: Pairs (start, end) checked per kind: end may not come before start.
_DATE_RANGES: dict[str, tuple[tuple[str, str], ...]] = {
    "contracts": (("start_date", "end_date"),),
    "placements": (("start_date", "end_date"),),
}


# --------------------------------------------------------------------------------------------
# Reading


@dataclass
class RawTable:
    """The text cells of a file, before any typing.

    ``columns`` are lower-cased and stripped; ``rows`` map them to the stripped cell text.
    ``row_numbers[i]`` is the spreadsheet row of ``rows[i]`` (header = 1 in a file without
    leading blank lines); ``errors`` holds rows that could not be split into cells (ragged).
    ``delimiter`` is ``None`` for ``.xlsx``.
    """

    columns: list[str]
    rows: list[dict[str, str]]
    delimiter: str | None
    encoding: str | None
    source: str
    row_numbers: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.row_numbers:
            self.row_numbers = list(range(2, len(self.rows) + 2))
        if len(self.row_numbers) != len(self.rows):
            raise ValueError("row_numbers must have one entry per row")


@dataclass(frozen=True)
class RowError:
    """One problem in one cell: spreadsheet row (header = 1), column, value and the reason."""

    row: int
    column: str
    value: str
    reason: str


def shown(value: str, limit: int = SHOWN_CHARS) -> str:
    """At most ``limit`` characters of a refused value, for error reports.

    >>> shown("x" * 5000)[-25:]
    'x... (5000 characters)'
    """
    if len(value) <= limit:
        return value
    return f"{value[:limit]}... ({len(value)} characters)"


_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls


def read_table(data: bytes, filename: str) -> RawTable:
    """Read a ``.csv`` or ``.xlsx`` file into text cells.

    CSV is decoded as UTF-8 (with or without BOM), else as Windows-1252; the delimiter (``,`` or
    ``;``) is taken from the header line. An ``.xlsx`` file is read from its first sheet, with
    dates and numbers turned into the text forms the parser accepts (ISO dates, ``32.5``,
    percent-formatted cells as percentages). Blank rows are skipped; a row with more non-empty
    cells than the header, or fewer cells, is reported in ``errors`` instead of ``rows``.

    Parameters
    ----------
    data
        The file's bytes.
    filename
        Its name; the extension chooses the reader (``.xlsx``; ``.csv``, ``.txt`` or none).

    Returns
    -------
    RawTable

    Raises
    ------
    InterchangeError
        If the file is empty, has no header, a nameless or duplicate column, or is neither
        CSV nor XLSX.

    Examples
    --------
    >>> t = read_table("Candidate_Ref;Postcode\\n c1 ;3011 AB\\n".encode("cp1252"), "x.csv")
    >>> t.columns, t.rows, t.delimiter
    (['candidate_ref', 'postcode'], [{'candidate_ref': 'c1', 'postcode': '3011 AB'}], ';')
    """
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data.strip():
        raise InterchangeError(f"{filename}: the file is empty")
    if data.startswith(_OLE_MAGIC) or ext == "xls":
        raise InterchangeError(
            f"{filename}: the old .xls format is not supported; save as .xlsx or CSV"
        )
    if data.startswith(_ZIP_MAGIC) or ext in ("xlsx", "xlsm"):
        return _read_xlsx(data, filename)
    if ext not in ("", "csv", "txt"):
        raise InterchangeError(f"{filename}: unsupported file type '.{ext}'; use .csv or .xlsx")
    return _read_csv(data, filename)


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InterchangeError(f"{filename}: UTF-16 text is not supported; save as CSV UTF-8")
    if b"\x00" in data:
        raise InterchangeError(f"{filename}: binary data, not a CSV or XLSX file")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InterchangeError(
                f"{filename}: has a UTF-8 BOM but is not UTF-8 (byte {exc.start + 3})"
            ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InterchangeError(
            f"{filename}: neither UTF-8 nor Windows-1252 text (byte {exc.start})"
        ) from exc


def _count_outside_quotes(line: str, chars: str) -> dict[str, int]:
    counts = dict.fromkeys(chars, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return counts


def _detect_delimiter(text: str, filename: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = _count_outside_quotes(header, ",;\t")
    if counts[","] and counts[";"]:
        raise InterchangeError(f"{filename}: the header line mixes ',' and ';'; use one delimiter")
    if counts[";"]:
        return ";"
    if counts[","]:
        return ","
    if counts["\t"]:
        raise InterchangeError(f"{filename}: tab-delimited files are not supported; use ',' or ';'")
    return ","  # a single column


#: One line with its ending: ``\r\n``, ``\r`` or ``\n`` (universal newlines, untranslated).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _read_csv(data: bytes, filename: str) -> RawTable:
    text, encoding = _decode(data, filename)
    delimiter = _detect_delimiter(text, filename)
    # the lines as io.StringIO(text, newline="") gives them, without its copy of the text
    # (four bytes a character: 500 MB for a file of a million candidates)
    lines = (m.group() for m in _LINE.finditer(text))
    reader = csv.reader(lines, delimiter=delimiter)

    def records() -> Iterator[list[str]]:
        # one record at a time: a large file is never held as lists and dicts at once
        try:
            for record in reader:
                yield [cell.strip() for cell in record]
        except csv.Error as exc:
            raise InterchangeError(
                f"{filename}: not readable as CSV at line {reader.line_num}: {exc}"
            ) from exc

    return _build_table(records(), filename, delimiter=delimiter, encoding=encoding)


def _xlsx_cell_text(value: object, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)  # "inf": typed later as "is not a number", never a crash
        if number_format and "%" in number_format:
            value = round(float(value) * 100, 10)
        return _format_number(value)
    return str(value).strip()


_XML_DECLS = (b"<!DOCTYPE", b"<!ENTITY")


def _check_xlsx_package(data: bytes, filename: str) -> None:
    """Refuse a workbook that unpacks to far more than it weighs (a zip bomb) or whose XML
    declares entities (the "billion laughs" expansion): spreadsheet programs write neither."""
    import zipfile

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InterchangeError(f"{filename}: not a readable .xlsx workbook ({exc})") from exc
    with package:
        members = package.infolist()
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_XLSX_UNPACKED or unpacked > MAX_XLSX_RATIO * max(len(data), 65536):
            raise InterchangeError(
                f"{filename}: the workbook unpacks to {unpacked // 2**20} MB from "
                f"{len(data) // 1024} KB; save it again as .xlsx or CSV"
            )
        for member in members:
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with package.open(member) as fh:
                    tail = b""
                    while chunk := fh.read(1 << 20):
                        window = (tail + chunk).upper()
                        if any(decl in window for decl in _XML_DECLS):
                            raise InterchangeError(
                                f"{filename}: {member.filename} declares XML entities "
                                "(<!DOCTYPE/<!ENTITY), which spreadsheets never write; "
                                "refused. Save the sheet again as .xlsx or CSV"
                            )
                        tail = chunk[-16:]
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                if isinstance(exc, InterchangeError):
                    raise
                raise InterchangeError(
                    f"{filename}: not a readable .xlsx workbook ({type(exc).__name__})"
                ) from exc


def _read_xlsx(data: bytes, filename: str) -> RawTable:
    import openpyxl

    _check_xlsx_package(data, filename)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # any reader failure on a foreign file is the file's fault
        raise InterchangeError(
            f"{filename}: not a readable .xlsx workbook ({type(exc).__name__}: {str(exc)[:80]})"
        ) from exc
    try:
        if not wb.worksheets:
            raise InterchangeError(f"{filename}: the workbook has no sheets")
        ws = wb.worksheets[0]
        records: list[list[str]] = []
        numbers: list[int] = []
        expected = ws.min_row or 1
        for row in ws.iter_rows():
            number = next((c.row for c in row if getattr(c, "row", None)), expected)
            expected = number + 1
            cells = [_xlsx_cell_text(c.value, getattr(c, "number_format", None)) for c in row]
            records.append(cells)
            numbers.append(number)
    except InterchangeError:
        raise
    except Exception as exc:  # a malformed sheet (bad XML, a number too large to read, ...)
        raise InterchangeError(
            f"{filename}: the first sheet cannot be read "
            f"({type(exc).__name__}: {str(exc)[:80]}); save it again as .xlsx or CSV"
        ) from exc
    finally:
        wb.close()
    return _build_table(records, filename, delimiter=None, encoding=None, numbers=numbers)


def _build_table(
    records: Iterable[list[str]],
    filename: str,
    *,
    delimiter: str | None,
    encoding: str | None,
    numbers: list[int] | None = None,
) -> RawTable:
    """Header from the first non-blank record; blank records skipped; ragged records reported.

    ``records`` may be an iterator: each is turned into its row as it comes."""
    numbered = (
        enumerate(records, start=1) if numbers is None else zip(numbers, records, strict=True)
    )
    data = ((n, r) for n, r in numbered if any(r))
    first = next(data, None)
    if first is None:
        raise InterchangeError(f"{filename}: no header row (the file has no non-empty line)")
    header_row, header = first
    while header and not header[-1]:
        header = header[:-1]  # Excel writes trailing empty cells
    columns = [name.strip().lower() for name in header]
    for i, name in enumerate(columns, start=1):
        if not name:
            raise InterchangeError(
                f"{filename}: column {i} of the header (row {header_row}) has no name"
            )
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise InterchangeError(f"{filename}: column '{name}' appears twice in the header")
        seen.add(name)
    rows: list[dict[str, str]] = []
    row_numbers: list[int] = []
    errors: list[RowError] = []
    width = len(columns)
    for number, record in data:
        extra = record[width:]
        if any(extra):
            errors.append(
                RowError(
                    number,
                    "",
                    "",
                    f"row has {len(record)} cells but the header has {width} columns",
                )
            )
            continue
        if len(record) < width and delimiter is not None:
            errors.append(
                RowError(
                    number,
                    "",
                    "",
                    f"row has {len(record)} cells but the header has {width} columns",
                )
            )
            continue
        record = record + [""] * (width - len(record))  # xlsx rows may stop early
        rows.append(dict(zip(columns, record, strict=False)))
        row_numbers.append(number)
    return RawTable(columns, rows, delimiter, encoding, filename, row_numbers, errors)


# --------------------------------------------------------------------------------------------
# The BSN guard

_DIGIT_RUN = re.compile(r"\d+(?:[ .\-]+\d+)*", re.ASCII)
_BSN_SEPARATORS = re.compile(r"[ .\-]")


def _elfproef(digits: str) -> bool:
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(w * int(d) for w, d in zip(range(9, 1, -1), digits[:8], strict=True))
    return (total - int(digits[8])) % 11 == 0


def is_probable_bsn(text: str, *, allow_kvk: bool = False) -> bool:
    """Tell whether a text looks like a BSN (Dutch citizen service number).

    True when the text, after removing spaces, dots and dashes, is exactly 9 digits passing the
    elfproef (``9*d1 + 8*d2 + ... + 2*d8 - d9`` divisible by 11, not all zeros), or when it is
    exactly 8 digits and nothing else (a BSN whose leading zero a spreadsheet dropped) and passes
    once left-padded with a zero. ``allow_kvk`` switches the 8-digit rule off, for a column that
    may hold an 8-digit KvK number. Dates such as ``01-03-2026`` have 8 digits but separators, so
    they never match.

    Parameters
    ----------
    text
        The cell content.
    allow_kvk
        Accept 8-digit numbers (KvK numbers) without testing them.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_probable_bsn("111222333"), is_probable_bsn("111.222.333"), is_probable_bsn("111222334")
    (True, True, False)
    >>> is_probable_bsn("12345672"), is_probable_bsn("12345672", allow_kvk=True)
    (True, False)
    """
    stripped = text.strip()
    if len(stripped) == 8 and stripped.isdigit() and stripped.isascii():
        return not allow_kvk and _elfproef("0" + stripped)
    digits = _BSN_SEPARATORS.sub("", stripped)
    return len(digits) == 9 and digits.isascii() and _elfproef(digits)


#: Both BSN rules need eight digits in a row (separators allowed): most cells skip the rest.
_EIGHT_DIGITS = re.compile(r"\d(?:[ .\-]*\d){7}", re.ASCII)


def contains_bsn(text: str, *, allow_kvk: bool = False) -> bool:
    """Tell whether a free text is, or holds, a probable BSN, after NFKC normalisation.

    The whole text is tested with :func:`is_probable_bsn` (8 or 9 digits), then every run of
    digits inside it with the 9-digit rule only. NFKC first, so full-width (``１２３``) and other
    compatibility digits count as the ASCII digits they display as. The one guard for every
    path: the API's schemas (``models.types``) and the file importer call it.

    Examples
    --------
    >>> contains_bsn("bsn 111222333"), contains_bsn("１１１２２２３３３"), contains_bsn("heftruck")
    (True, True, False)
    """
    if text.isascii():
        folded = text
    else:
        folded = unicodedata.normalize("NFKC", text)
        # other scripts' decimal digits (Arabic-Indic, ...) read as digits too
        folded = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in folded)
    if not _EIGHT_DIGITS.search(folded):
        return False
    if is_probable_bsn(folded, allow_kvk=allow_kvk):
        return True
    # a BSN inside longer text ("bsn 123456782", "a|123456782") counts too, 9 digits only, also
    # when a neighbouring number joins its run ("B1 111 222 333"): every stretch of whole digit
    # groups of a run that adds up to 9 digits is tested (linear: a stretch stops at 9 digits)
    for m in _DIGIT_RUN.finditer(folded):
        groups = _DIGIT_GROUP.findall(m.group())
        for i in range(len(groups)):
            digits = ""
            for group in groups[i:]:
                digits += group
                if len(digits) >= 9:
                    break
            if len(digits) == 9 and _elfproef(digits):
                return True
    return False


_DIGIT_GROUP = re.compile(r"\d+", re.ASCII)


def _cell_has_bsn(cell: str, column: Column | None) -> bool:
    if column is not None and column.money:
        return False
    return contains_bsn(cell, allow_kvk=column is not None and column.may_be_kvk)


# --------------------------------------------------------------------------------------------
# Parsing cells

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_NEEDS_ESCAPE = re.compile(r"'*[=+\-@\t\r]")

_TRUE = frozenset({"true", "ja", "1", "yes", "waar"})
_FALSE = frozenset({"false", "nee", "0", "no", "onwaar"})
_PLAIN_NUMBER = re.compile(r"\d+(?:[.,]\d+)?", re.ASCII)
_CURRENCY = re.compile(r"€|\beur\b|euro", re.IGNORECASE)


def unescape_cell(text: str) -> str:
    """Undo the export's formula-injection escape: drop one ``'`` before ``'*[=+-@]``.

    Examples
    --------
    >>> unescape_cell("'=SUM(A1)"), unescape_cell("''-x"), unescape_cell("'t Hof")
    ('=SUM(A1)', "'-x", "'t Hof")
    """
    return text[1:] if text[:1] == "'" and _ESCAPED.match(text) else text


def escape_cell(text: str) -> str:
    """Prefix ``'`` so that no exported cell starts with ``=``, ``+``, ``-``, ``@``, tab or CR.

    Examples
    --------
    >>> escape_cell("=1+1"), escape_cell("-korting"), escape_cell("'=x"), escape_cell("a-b")
    ("'=1+1", "'-korting", "''=x", 'a-b')
    """
    return "'" + text if _NEEDS_ESCAPE.match(text) else text


class _CellError(ValueError):
    pass


def _parse_date(text: str) -> date:
    try:
        return parse_date(text)  # the one reading of a date, shared with the API's schemas
    except ValueError as exc:
        raise _CellError(str(exc)) from exc


def _parse_bool(text: str) -> bool:
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise _CellError("is not a boolean: use true/false, ja/nee, yes/no or 1/0")


def _parse_plain_number(text: str) -> float:
    if not _PLAIN_NUMBER.fullmatch(text):
        raise _CellError(
            "is not a number: use digits with '.' or ',' as the decimal mark, e.g. 32 or 32,5"
        )
    return float(text.replace(",", "."))


def parse_money(text: str) -> float:
    """Parse an amount in euros as Dutch and English spreadsheets write it.

    A currency sign (``€``, ``EUR``), spaces and a trailing ``,-`` are ignored. When both ``.``
    and ``,`` occur, the last one is the decimal mark; a separator that occurs more than once,
    or once followed by exactly three digits, separates thousands. At most two decimals.

    Parameters
    ----------
    text
        The cell content.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the text is not such an amount.

    Examples
    --------
    >>> [parse_money(s) for s in ("1.250.000,00", "1250000", "1,250,000.00", "€ 1.250.000", "99,5")]
    [1250000.0, 1250000.0, 1250000.0, 1250000.0, 99.5]
    """
    bad = _CellError("is not an amount in euros: use e.g. 1250000, 1.250.000,00 or 1,250,000.00")
    s = re.sub(r"\s", "", _CURRENCY.sub("", text))
    s = re.sub(r"[.,]-$", "", s)  # "1.250.000,-": whole euros
    if not re.fullmatch(r"\d[\d.,]*", s, re.ASCII) or s[-1] in ".,":
        raise bad
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thou = "," if dec == "." else "."
        if s.count(dec) > 1:
            raise bad
        whole, frac = s.split(dec)
    elif dots or commas:
        sep = "." if dots else ","
        head, _, tail = s.rpartition(sep)
        if s.count(sep) > 1 or (len(tail) == 3 and len(head) <= 3):
            thou, whole, frac = sep, s, ""
        else:
            thou, whole, frac = "", head, tail
    else:
        thou, whole, frac = "", s, ""
    if thou:
        if not re.fullmatch(r"\d{1,3}(?:" + re.escape(thou) + r"\d{3})+", whole, re.ASCII):
            raise bad
        whole = whole.replace(thou, "")
    if len(frac) > 2:
        raise _CellError("has more than two decimals: an amount in euros is in whole cents")
    return float(
        Decimal(whole.replace(thou, "") if thou else whole) + Decimal("0." + (frac or "0"))
    )


def _check_bounds(value: float, col: Column) -> None:
    lo, hi = col.min_value, col.max_value
    if lo is not None and (value < lo or (col.min_exclusive and value == lo)):
        rel = "more than" if col.min_exclusive else "at least"
        upper = f" and at most {_format_number(hi)}" if hi is not None else ""
        raise _CellError(f"is out of range: must be {rel} {_format_number(lo)}{upper}")
    if hi is not None and value > hi:
        low = (
            f"{'more than' if col.min_exclusive else 'at least'} {_format_number(lo)} and "
            if lo is not None
            else ""
        )
        raise _CellError(f"is out of range: must be {low}at most {_format_number(hi)}")


@functools.cache
def _enum_lookup(allowed: tuple[str, ...]) -> dict[str, str]:
    return {a.lower(): a for a in allowed}


def _parse_enum(text: str, col: Column, what: str) -> str:
    lookup = _enum_lookup(col.allowed)
    found = lookup.get(text.lower())
    if found is not None:
        return found
    reason = f"{what} '{shown(text)}' is not one of: {', '.join(col.allowed)}"
    close = difflib.get_close_matches(text.lower(), list(lookup), n=1, cutoff=0.75)
    if close:
        reason += f" (did you mean '{lookup[close[0]]}'?)"
    if col.name.startswith("driving_licence") and text.lower() in (
        "heftruck",
        "forklift",
        "reachtruck",
    ):
        reason += "; a forklift certificate belongs in skills"
    raise _CellError(reason)


def _parse_scalar(text: str, col: Column) -> object:
    if col.type in ("str", "text"):
        limit = MAX_STR_LENGTH if col.type == "str" else MAX_TEXT_LENGTH
        if len(text) > limit:
            raise _CellError(f"is too long: {len(text)} characters, at most {limit}")
        if col.type == "str" and ("\n" in text or "\r" in text):
            raise _CellError("must be a single line")
        return text
    if col.type == "int":
        if not text.isdigit() or not text.isascii():
            raise _CellError("is not a whole number")
        if len(text) > MAX_DIGITS:
            raise _CellError(f"is too large: more than {MAX_DIGITS} digits")
        number = int(text)
        _check_bounds(number, col)
        return number
    if col.type == "float":
        value = parse_money(text) if col.money else _parse_plain_number(text)
        if not math.isfinite(value) or value >= 10.0**MAX_DIGITS:
            raise _CellError(f"is too large: more than {MAX_DIGITS} digits")
        _check_bounds(value, col)
        return value
    if col.type == "date":
        return _parse_date(text)
    if col.type == "bool":
        return _parse_bool(text)
    if col.type == "enum":
        return _parse_enum(text, col, col.name)
    if col.type == "postcode":
        from matcher.normalize import normalize_postcode

        try:
            normalize_postcode(text)
        except ValueError as exc:
            # normalize_postcode's message names the field, the value and the allowed forms
            raise _CellError(f"is not a Dutch postcode ({exc})") from exc
        return text
    raise AssertionError(col.type)  # pragma: no cover - Column.__post_init__ checks the type


#: A ``;`` inside a quoted cell of a ``;`` file separates items too: Dutch Excel writes
#: ``"VCA;heftruck"`` that way (``|`` works in every file).
_LIST_SPLIT = {",": re.compile(r"[;|]"), ";": re.compile(r"[;|]"), None: re.compile(r"[;|]")}


def _split_list(text: str, delimiter: str | None) -> list[str]:
    pattern = _LIST_SPLIT.get(delimiter, _LIST_SPLIT[None])
    return [item.strip() for item in pattern.split(text) if item.strip()]


def _default(col: Column) -> object:
    if col.is_list:
        default = col.default if isinstance(col.default, tuple | list) else ()
        return list(default)  # a fresh list per record
    return col.default


# --------------------------------------------------------------------------------------------
# Parsing tables


@dataclass
class ParseResult:
    """Typed records of the valid rows, and what was wrong with the others.

    Each record maps every column of the kind to its typed value (defaults filled in) plus
    ``"_row"``, the spreadsheet row it came from.
    """

    kind: str
    records: list[dict[str, object]]
    errors: list[RowError]
    unknown_columns: list[str]
    missing_columns: list[str]

    @property
    def ok(self) -> bool:
        """True when the file has no error at all (an all-or-nothing import may proceed)."""
        return not self.errors


def _check_kind(kind: str) -> tuple[Column, ...]:
    if kind not in COLUMNS:
        raise ValueError(f"kind '{kind}' is not one of: {', '.join(KINDS)}")
    return COLUMNS[kind]


def parse_table(
    kind: str, raw: RawTable, *, seen_keys: dict[tuple[object, ...], int] | None = None
) -> ParseResult:
    """Check and type every row of a table against the columns of ``kind``.

    Missing required columns give one error each (row 1) and no records; unknown columns are
    listed and ignored (but still checked for BSNs). Every cell is typed by its :class:`Column`;
    an empty optional cell takes the default; an empty required cell is an error. A row with an
    error is left out of ``records``; so is a row repeating the key of an earlier row.

    Parameters
    ----------
    kind
        One of :data:`KINDS`.
    raw
        The table from :func:`read_table`.
    seen_keys
        The keys of earlier rows, to row number, when a large table is parsed in slices
        (see :func:`parse_slices`); filled in with this table's keys.

    Returns
    -------
    ParseResult

    Examples
    --------
    >>> raw = RawTable(["contract_ref", "contractor", "value_eur"],
    ...     [{"contract_ref": "C1", "contractor": "Bouw BV", "value_eur": "1.250.000,00"},
    ...      {"contract_ref": "C2", "contractor": "Bouw BV", "value_eur": "veel"}],
    ...     ";", "utf-8", "c.csv")
    >>> result = parse_table("contracts", raw)
    >>> first = result.records[0]
    >>> first["value_eur"], first["sr_percentage"], first["_row"]
    (1250000.0, 5.0, 2)
    >>> result.errors[0].row, result.errors[0].column, result.errors[0].value
    (3, 'value_eur', 'veel')
    """
    columns = _check_kind(kind)
    raw = _canonical_headers(raw)
    by_name = {c.name: c for c in columns}
    unknown = [c for c in raw.columns if c not in by_name]
    missing = [c.name for c in columns if c.required and c.name not in raw.columns]
    errors: list[RowError] = list(raw.errors)
    records: list[dict[str, object]] = []
    if missing:
        have = ", ".join(raw.columns)
        for name in missing:
            errors.append(
                RowError(1, name, "", f"required column '{name}' is missing (the file has: {have})")
            )
        return ParseResult(kind, [], errors, unknown, missing)

    if seen_keys is None:
        seen_keys = {}
    for number, row in zip(raw.row_numbers, raw.rows, strict=True):
        row_errors: list[RowError] = []
        record: dict[str, object] = {}
        for name in unknown:
            cell = unescape_cell(row.get(name, "").strip())
            if cell and _cell_has_bsn(cell, None):
                row_errors.append(RowError(number, name, BSN_MASK, BSN_REASON))
        for col in columns:
            cell = row.get(col.name, "").strip()
            if not col.is_list:  # a list's items are escaped one by one (see format_cell)
                cell = unescape_cell(cell)
            if not cell:
                if col.required:
                    row_errors.append(
                        RowError(
                            number, col.name, "", f"{col.name} is required and may not be empty"
                        )
                    )
                else:
                    record[col.name] = _default(col)
                continue
            if _cell_has_bsn(cell, col):
                row_errors.append(RowError(number, col.name, BSN_MASK, BSN_REASON))
                continue
            try:
                record[col.name] = _parse_cell(cell, col, raw.delimiter)
            except _CellError as exc:
                reason = str(exc)
                if not reason.startswith(col.name):
                    reason = f"{col.name} '{shown(cell)}' {reason}"
                row_errors.append(RowError(number, col.name, shown(cell), reason))
        for start, end in _DATE_RANGES.get(kind, ()):
            s, e = record.get(start), record.get(end)
            if isinstance(s, date) and isinstance(e, date) and e < s:
                row_errors.append(
                    RowError(
                        number,
                        end,
                        row.get(end, ""),
                        f"{end} {e.isoformat()} is before {start} {s.isoformat()}",
                    )
                )
        if not row_errors:
            repeated = repeated_key(kind, record, row, number, seen_keys)
            if repeated is not None:
                row_errors.append(repeated)
        if row_errors:
            errors.extend(row_errors)
        else:
            record["_row"] = number
            records.append(record)
    errors.sort(key=lambda e: e.row)
    return ParseResult(kind, records, errors, unknown, missing)


def repeated_key(
    kind: str,
    record: Mapping[str, object],
    row: Mapping[str, str],
    number: int,
    seen_keys: dict[tuple[object, ...], int],
) -> RowError | None:
    """The error of a row whose key an earlier row already has, else None (and the key is
    noted in ``seen_keys`` as this row's). ``record`` is the row typed, ``row`` its text cells.

    Examples
    --------
    >>> seen = {}
    >>> repeated_key("contracts", {"contract_ref": "C1"}, {"contract_ref": "C1"}, 2, seen)
    >>> repeated_key("contracts", {"contract_ref": "C1"}, {"contract_ref": "C1"}, 5, seen).reason
    'duplicate key (contract_ref=C1): already on row 2'
    """
    key_names = KEYS[kind]
    key = tuple(record[k] for k in key_names)
    if key not in seen_keys:
        seen_keys[key] = number
        return None
    key_text = ", ".join(f"{k}={_format_value(record[k])}" for k in key_names)
    return RowError(
        number,
        ", ".join(key_names),
        " / ".join(row.get(k, "") for k in key_names),
        f"duplicate key ({key_text}): already on row {seen_keys[key]}",
    )


def parse_slices(kind: str, raw: RawTable, size: int = 20_000) -> Iterator[ParseResult]:
    """:func:`parse_table` on ``raw`` in slices of ``size`` rows, consuming it.

    Each slice's rows are taken out of ``raw`` before it is parsed, so a large file is never
    held both as text cells and as typed records. A key repeated across slices is an error as
    in one table (the slices share ``seen_keys``); the unreadable rows of ``raw.errors`` come
    with the first slice, so the slices' errors sorted by row are :func:`parse_table`'s. A table
    missing a required column gives one result with those errors and no records.

    Examples
    --------
    >>> raw = RawTable(["contract_ref", "contractor", "value_eur"],
    ...     [{"contract_ref": "C1", "contractor": "Bouw BV", "value_eur": "10"},
    ...      {"contract_ref": "C1", "contractor": "Bouw BV", "value_eur": "20"}],
    ...     ",", "utf-8", "c.csv")
    >>> [([r["_row"] for r in p.records], [e.row for e in p.errors])
    ...  for p in parse_slices("contracts", raw, size=1)]
    [([2], []), ([], [3])]
    """
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    seen: dict[tuple[object, ...], int] = {}
    for part in raw_slices(raw, size):
        result = parse_table(kind, part, seen_keys=seen)
        yield result
        if result.missing_columns:
            return


def raw_slices(raw: RawTable, size: int) -> Iterator[RawTable]:
    """``raw`` in tables of ``size`` rows, taken out of it as they go, so its cells are never
    held twice; the first carries the rows that could not be read (``raw.errors``), so errors
    come in file order. An empty table gives one empty slice."""
    errors, raw.errors = raw.errors, []
    first = True
    while first or raw.rows:
        rows, numbers = raw.rows[:size], raw.row_numbers[:size]
        del raw.rows[:size], raw.row_numbers[:size]
        yield RawTable(raw.columns, rows, raw.delimiter, raw.encoding, raw.source, numbers, errors)
        errors, first = [], False


def _parse_cell(cell: str, col: Column, delimiter: str | None) -> object:
    if not col.is_list:
        return _parse_scalar(cell, col)
    items = [unescape_cell(item) for item in _split_list(cell, delimiter)]
    if not items:
        return _default(col)
    if col.type != "enum":
        return [_parse_scalar(item, col) for item in items]
    values: list[str] = []
    for item in items:
        value = _parse_enum(item, col, f"{col.name} item")
        if value not in values:  # a set in spirit: duplicates dropped, order kept
            values.append(value)
    return values


# --------------------------------------------------------------------------------------------
# Writing


def _format_number(value: float | int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"cannot write the number {value!r}")
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")  # shortest round-tripping digits, never 1e-05


def _format_value(
    value: object, *, list_sep: str = ";", money: bool = False, dialect: str = "en"
) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        if dialect == "nl":
            return "ja" if value else "nee"
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return format_date(value.date(), dialect)
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return format_date(value, dialect)
    if isinstance(value, int | float | Decimal):
        if money and not float(value).is_integer():
            text = f"{float(value):.2f}"
        else:
            text = _format_number(float(value) if isinstance(value, Decimal) else value)
        return text.replace(".", ",") if dialect == "nl" else text
    if isinstance(value, list | tuple | set | frozenset):
        return list_sep.join(_format_value(v, dialect=dialect) for v in value)
    return str(value)


def _check_dialect(dialect: str) -> None:
    if dialect not in DIALECTS:
        raise ValueError(f"dialect {dialect!r} is not one of: {', '.join(DIALECTS)}")


def format_cell(
    value: object, *, delimiter: str = ",", money: bool = False, dialect: str = "en"
) -> str:
    """Render one value as exported text: escaped, ISO dates, ``true``/``false``, plain numbers.

    With ``delimiter=";"`` lists are joined with ``|`` and the decimal mark is ``,``
    (as Dutch Excel reads it); otherwise lists are joined with ``;``. ``dialect="nl"`` also
    writes dates as ``dd-mm-jjjj`` and booleans as ``ja``/``nee``. Every list item is escaped
    on its own: an item after the separator never starts a formula either.

    Examples
    --------
    >>> format_cell(["lassen", "=heftruck"]), format_cell(32.0), format_cell(32.5, delimiter=";")
    ("lassen;'=heftruck", '32', '32,5')
    >>> format_cell("-korting"), format_cell(date(2026, 3, 1)), format_cell(True)
    ("'-korting", '2026-03-01', 'true')
    >>> format_cell(date(2026, 3, 1), dialect="nl"), format_cell(1250.5, money=True, dialect="nl")
    ('01-03-2026', '1250,50')
    """
    if dialect == "nl":
        delimiter = ";"
    if isinstance(value, list | tuple | set | frozenset):
        sep = "|" if delimiter == ";" else ";"
        return sep.join(escape_cell(_format_value(v, dialect=dialect)) for v in value)
    nl = dialect == "nl" or delimiter == ";"
    text = _format_value(value, money=money, dialect=dialect)
    if nl and isinstance(value, float | Decimal) and not isinstance(value, bool):
        text = text.replace(".", ",")
    return escape_cell(text)


def _csv_bytes(
    columns: Sequence[str], rows: Iterable[Sequence[str]], delimiter: str, bom: bool
) -> bytes:
    if delimiter not in (",", ";"):
        raise ValueError(f"delimiter {delimiter!r} is not one of: ',', ';'")
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8")


def headers(kind: str, dialect: str = "en") -> list[str]:
    """The column headers of ``kind`` as a file of ``dialect`` writes them.

    >>> headers("outcomes", "nl")[:5]
    ['kandidaat_ref', 'vacature_ref', 'status', 'datum', 'reden']
    """
    _check_dialect(dialect)
    names = [c.name for c in _check_kind(kind)]
    return [DUTCH_HEADERS.get(n, n) for n in names] if dialect == "nl" else names


def write_table(
    kind: str,
    records: Iterable[Mapping[str, object]],
    fmt: str = "csv",
    *,
    delimiter: str = ",",
    bom: bool = False,
    dialect: str = "en",
    omit: Collection[str] = (),
) -> bytes:
    """Write records of one kind in the interchange format.

    Every column of the kind but those in ``omit`` (optional columns a reader may not see, such
    as a candidate's audit-only ``birth_year`` and ``gender``) is written, in :data:`COLUMNS`
    order; keys that are not columns
    (such as ``"_row"`` or a database id) are ignored and absent keys give empty cells. CSV is
    UTF-8 (no BOM unless ``bom``) with ``,`` and lists joined by ``;``; ``delimiter=";"`` writes
    lists by ``|`` and a decimal comma. Dates are ISO, booleans ``true``/``false``, integral
    numbers without ``.0``, ``value_eur`` in plain digits with at most two decimals. A text cell
    (or list item) starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'``;
    :func:`parse_table` removes it again.

    ``dialect="nl"`` is what Dutch Excel opens directly: ``;``, UTF-8 with BOM, decimal commas,
    Dutch headers (:data:`DUTCH_HEADERS`), dates ``dd-mm-jjjj``, ``ja``/``nee``; the importer
    reads it back. ``fmt="xlsx"`` writes one sheet named after the kind, bold header, dates as
    real dates and numbers as numbers with a number format (``dd-mm-jjjj`` and ``#.##0,00`` in
    the Dutch dialect), everything else as text.

    Parameters
    ----------
    kind
        One of :data:`KINDS`.
    records
        Mappings from column name to typed value (as :func:`parse_table` returns them).
    fmt
        ``"csv"`` or ``"xlsx"``.
    delimiter, bom
        CSV only: ``","`` or ``";"``, and whether to start with a UTF-8 BOM.
    dialect
        ``"en"`` (the standard format above) or ``"nl"``.

    Returns
    -------
    bytes

    Examples
    --------
    >>> out = write_table("outcomes", [{"candidate_ref": "c1", "vacancy_ref": "v1",
    ...     "status": "hired", "date": date(2026, 3, 1), "reason": "-"}])
    >>> out.decode().splitlines()[1]
    "c1,v1,hired,2026-03-01,'-,,,"
    >>> nl = write_table("outcomes", [{"candidate_ref": "c1", "vacancy_ref": "v1",
    ...     "status": "hired", "date": date(2026, 3, 1)}], dialect="nl")
    >>> nl.decode("utf-8-sig").splitlines()[1]
    'c1;v1;hired;01-03-2026;;;;'
    """
    every = _check_kind(kind)
    kept = [c.name not in omit or c.required for c in every]
    columns = [c for c, keep in zip(every, kept, strict=True) if keep]
    names = [n for n, keep in zip(headers(kind, dialect), kept, strict=True) if keep]
    if dialect == "nl":
        delimiter, bom = ";", True
    if fmt == "csv":
        rows = (
            [
                format_cell(rec.get(c.name), delimiter=delimiter, money=c.money, dialect=dialect)
                for c in columns
            ]
            for rec in records
        )
        return _csv_bytes(names, rows, delimiter, bom)
    if fmt == "xlsx":
        money = [c.money for c in columns]
        xrows = (
            [
                _Money(rec.get(c.name)) if m and rec.get(c.name) is not None else rec.get(c.name)
                for c, m in zip(columns, money, strict=True)
            ]
            for rec in records
        )
        return write_workbook({kind: (names, xrows)}, dialect=dialect)
    raise ValueError(f"format '{fmt}' is not one of: csv, xlsx")


def write_rows(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    fmt: str = "csv",
    *,
    sheet: str = "report",
    delimiter: str = ",",
    bom: bool = False,
    dialect: str = "en",
) -> bytes:
    """Write any table (a report) with the same cell rules as :func:`write_table`.

    Parameters
    ----------
    columns
        Header names.
    rows
        Sequences of values, one per column.
    fmt
        ``"csv"`` or ``"xlsx"`` (one sheet named ``sheet``).
    sheet, delimiter, bom
        Sheet name for XLSX; delimiter and BOM for CSV.
    dialect
        ``"nl"``: ``;``, BOM, decimal commas, ``dd-mm-jjjj`` dates (the headers are as given).

    Returns
    -------
    bytes

    Examples
    --------
    >>> write_rows(["contract", "realised"], [["C1", 1250.5], ["=C2", 0.0]]).decode().splitlines()
    ['contract,realised', 'C1,1250.5', "'=C2,0"]
    """
    _check_dialect(dialect)
    if dialect == "nl":
        delimiter, bom = ";", True
    if fmt == "csv":
        return _csv_bytes(
            list(columns),
            ([format_cell(v, delimiter=delimiter, dialect=dialect) for v in r] for r in rows),
            delimiter,
            bom,
        )
    if fmt == "xlsx":
        return write_workbook({sheet: (columns, rows)}, dialect=dialect)
    raise ValueError(f"format '{fmt}' is not one of: csv, xlsx")


@dataclass(frozen=True, slots=True)
class _Money:
    """An amount in euros for an XLSX cell: a number with two decimals shown."""

    value: object


_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
#: number formats: Excel shows them in the reader's locale (``#,##0.00`` reads as ``#.##0,00``
#: in Dutch Excel); the date format is the dialect's own
_DATE_FORMATS = {"en": "yyyy-mm-dd", "nl": "dd-mm-yyyy"}
_MONEY_FORMAT = "#,##0.00"
_NUMBER_FORMAT = "General"


def _xlsx_cell(ws: object, value: object, dialect: str) -> object:
    """One cell for a write-only sheet: dates and numbers typed with a format, text escaped."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    money = isinstance(value, _Money)
    if isinstance(value, _Money):
        value = value.value
    if isinstance(value, bool) or value is None:
        return _format_value(value)
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"cannot write the number {value!r}")
        cell = WriteOnlyCell(ws, value=round(float(value), 2) if money else value)  # type: ignore[arg-type]
        cell.number_format = _MONEY_FORMAT if money else _NUMBER_FORMAT
        return cell
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) and value.time() == time(0) else value
        cell = WriteOnlyCell(ws, value=day)  # type: ignore[arg-type]
        cell.number_format = (
            _DATE_FORMATS[dialect]
            if not isinstance(day, datetime)
            else _DATE_FORMATS[dialect] + " hh:mm"
        )
        return cell
    if isinstance(value, list | tuple | set | frozenset):
        text = ";".join(escape_cell(_format_value(v, dialect=dialect)) for v in value)
        return ILLEGAL_CHARACTERS_RE.sub("", text)
    # control characters are not allowed in XLSX; they carry no meaning in these files
    return escape_cell(ILLEGAL_CHARACTERS_RE.sub("", _format_value(value, dialect=dialect)))


def write_workbook(
    sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[object]]]],
    *,
    dialect: str = "en",
) -> bytes:
    """Write an ``.xlsx`` workbook with one sheet per entry: bold header, escaped text cells.

    Numbers stay numbers (amounts in euros with two decimals shown), dates are real dates with
    the dialect's date format (``yyyy-mm-dd``, or ``dd-mm-yyyy`` for ``"nl"``); booleans, lists
    and text are written as text (``true``/``false``, lists joined by ``;``, each item escaped)
    so that a re-import reads them unchanged.

    Parameters
    ----------
    sheets
        Sheet name (at most 31 characters, none of ``[]:*?/\\``) to ``(columns, rows)``.
    dialect
        ``"en"`` or ``"nl"``.

    Returns
    -------
    bytes

    Examples
    --------
    >>> data = write_workbook({"summary": (["contract", "start"], [["C1", date(2026, 3, 1)]])})
    >>> read_table(data, "r.xlsx").rows
    [{'contract': 'C1', 'start': '2026-03-01'}]
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    _check_dialect(dialect)
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, (columns, rows) in sheets.items():
        if not name or len(name) > 31 or _SHEET_NAME_BAD.search(name):
            raise ValueError(
                f"sheet name '{name}' is not allowed: 1-31 characters, none of []:*?/\\"
            )
        ws = wb.create_sheet(title=name)
        header = []
        for col in columns:
            cell = WriteOnlyCell(ws, value=_xlsx_cell(ws, str(col), dialect))  # type: ignore[arg-type]
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in rows:
            ws.append([_xlsx_cell(ws, v, dialect) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
