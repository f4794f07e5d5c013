"""The draft's "Support plan sketch" part, its table and totals worked out here by hand
(exact fractions, rounded as people see them), with a price list and without one, and the
same figures in every format: a real table in HTML and DOCX, line by line in text, numbers as
numbers in JSON, valueDecimal and valueQuantity (EUR) in FHIR."""

from __future__ import annotations

import gettext
import html
import io
import json
import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import docx as python_docx
import jsonschema
from fhir.resources.questionnaireresponse import QuestionnaireResponse

from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load
from assistant.dialogue.views import Views
from assistant.draft import formats
from assistant.draft.model import Draft, build
from assistant.i18n import Catalogs, Translator
from assistant.prices import read_prices
from assistant.testplan import load_plan, plan_path, run
from tests.test_calculations import DIALOGUE, PRICES, _sketch
from tests.test_draft import article

ROOT = Path(__file__).resolve().parent.parent
WHEN = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
SCHEMA = json.loads((ROOT / "docs" / "draft-schema.json").read_text(encoding="utf-8"))
CATALOGS = Catalogs(ROOT / "locales")
ENGLISH = Translator("en", gettext.NullTranslations())

ITEMS = [
    {
        "arrangement": "personal-assistant-employer",
        "need-area": "home",
        "period": "week",
        "times-a-week": "5",
        "hours-each": "2.75",
    },
    {
        "arrangement": "day-activity",
        "need-area": "work-or-study",
        "period": "month",
        "times-a-month": "9",
        "hours-each": "6",
    },
    {"arrangement": "coaching", "period": "week", "times-a-week": "1"},  # hours not known
    {"arrangement": "aid"},  # no amounts; priced by the month
    {"arrangement": "transport", "period": "week", "times-a-week": "2", "hours-each": "1"},
]
WEEKS_A_MONTH = Fraction(52, 12)


def _tenth(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    shown = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown


def _cents(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# By hand: times and hours a week for each item, and its estimate a month.
TIMES = [Fraction(5), Fraction(9) / WEEKS_A_MONTH, Fraction(1), None, Fraction(2)]
HOURS = [Fraction(5) * Fraction("2.75"), TIMES[1] * 6, None, None, Fraction(2)]
ESTIMATES = [
    _cents(HOURS[0] * WEEKS_A_MONTH * Fraction("24.80")),  # per hour
    _cents(Fraction(9) * 98),  # per day: 9 days a month
    None,  # coaching: no price
    Decimal("12.35"),  # per month
    None,  # transport: no price
]


def _draft(priced: bool, t: Translator = ENGLISH) -> tuple[Draft, formats.Source]:
    views = Views(Engine(DIALOGUE), read_prices(PRICES) if priced else None)
    state = _sketch(ITEMS)
    draft = build(DIALOGUE, views, state, t, WHEN, WHEN)
    return draft, formats.Source(draft, DIALOGUE, views, state)


def _number(value: Fraction | None) -> str:
    return "Not known" if value is None else ENGLISH.format_number(_tenth(value))


def test_the_table_and_totals_match_a_hand_calculation_with_prices() -> None:
    draft, _ = _draft(priced=True)
    sketch = draft.sketch
    assert sketch is not None
    assert [c.title for c in sketch.columns] == [
        "Arrangement",
        "What for",
        "Times a week",
        "Hours a week",
        "Estimate a month",
    ]
    assert sketch.caption == "The support I want"
    rows = [[c.text for c in row.cells] for row in sketch.rows]
    assert [r[:2] for r in rows] == [
        ["Personal assistant, I am the employer", "Home and housework"],
        ["Day activity or work activity", "Work or study"],
        ["Coaching", "Not answered"],
        ["An aid or a device", "Not answered"],
        ["Transport", "Not answered"],
    ]
    assert [r[2] for r in rows] == [_number(v) for v in TIMES]
    assert [r[3] for r in rows] == [_number(v) for v in HOURS]
    money = [ENGLISH.format_money(v) if v is not None else "No price" for v in ESTIMATES]
    assert [r[4] for r in rows] == money
    assert [row.cells[4].value for row in sketch.rows] == ESTIMATES
    assert ESTIMATES[0] == Decimal("1477.67")
    # The totals: hours over every item with hours; money to the cent, a year twelve months.
    hours = sum((h for h in HOURS if h is not None), Fraction(0))
    month = sum((e for e in ESTIMATES if e is not None), Decimal(0))
    totals = {total.id: total for total in sketch.totals}
    assert totals["total-hours"].value == _tenth(hours)
    assert totals["estimate-month-total"].value == month == Decimal("2372.02")
    assert totals["estimate-year"].value == month * 12
    assert totals["estimate-year"].text == ENGLISH.format_money(month * 12)
    # A table of estimates adds up to its total.
    assert sum(e for e in ESTIMATES if e is not None) == totals["estimate-month-total"].value
    assert sketch.missing == (
        "Not counted, because how often or how long is not known: Coaching and An aid or a device.",
        "Not in the estimate, because the price list has no price for: Coaching and Transport.",
    )
    assert sketch.notice is not None and "You do not pay it." in sketch.notice
    assert sketch.sources == ("Prices: Example price list, set on 1 January 2026.",)


def test_without_prices_hours_and_times_only_never_a_price() -> None:
    draft, source = _draft(priced=False)
    sketch = draft.sketch
    assert sketch is not None
    assert [c.id for c in sketch.columns] == [
        "arrangement",
        "need-area",
        "times-a-week",
        "hours-a-week",
    ]
    assert [row.cells[3].text for row in sketch.rows] == [_number(v) for v in HOURS]
    assert [t.id for t in sketch.totals] == ["total-hours"]
    assert sketch.notice is None and sketch.sources == () and sketch.price_sources == ()
    assert all("price" not in sentence for sentence in sketch.missing)
    text = formats.FORMATS["txt"].render(source, ENGLISH).decode("utf-8")
    assert "€" not in text and "estimate" not in text.lower()
    data = json.loads(formats.FORMATS["json"].render(source, ENGLISH))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert data["sketch"]["notice"] is None
    fhir = formats.FORMATS["fhir.json"].render(source, ENGLISH).decode("utf-8")
    assert "valueQuantity" not in fhir


class _Cells(HTMLParser):
    """Each table cell's tag, scope and text, the caption's text, and the rows."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str | None, str]] = []
        self.rows = 0
        self._open: tuple[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows += 1
        if tag in ("th", "td", "caption"):
            self._open, self._text = (tag, dict(attrs).get("scope")), []

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            self.cells.append((*self._open, "".join(self._text).strip()))
            self._open = None

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def test_html_has_a_real_table_with_a_caption_and_header_cells(tmp_path: Path) -> None:
    draft, _ = _draft(priced=True)
    page = article(draft, ENGLISH, tmp_path, CATALOGS)
    table = page[
        page.index('<table class="draft-table">') : page.index(
            "</table>", page.index('<table class="draft-table">')
        )
    ]
    cells = _Cells()
    cells.feed(table)
    assert cells.cells[0] == ("caption", None, "The support I want")
    headings = [text for tag, scope, text in cells.cells if scope == "col"]
    assert headings == [
        "Arrangement",
        "What for",
        "Times a week",
        "Hours a week",
        "Estimate a month",
    ]
    row_heads = [text for tag, scope, text in cells.cells if scope == "row"]
    assert row_heads[0] == "Personal assistant, I am the employer"
    assert len(row_heads) == len(ITEMS) and cells.rows == len(ITEMS) + 1
    said = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    assert "Estimate a month in all: €2,372.02" in said
    assert "The welfare region decides the budget." in said


def test_docx_has_a_table_with_a_header_row() -> None:
    _, source = _draft(priced=True)
    document = python_docx.Document(io.BytesIO(formats.FORMATS["docx"].render(source, ENGLISH)))
    tables = [t for t in document.tables if len(t.columns) == 5]
    assert len(tables) == 1
    table = tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells][:2] == ["Arrangement", "What for"]
    assert header._tr.trPr is not None and "tblHeader" in header._tr.trPr.xml
    assert [c.text for c in table.rows[1].cells][3:] == [_number(HOURS[0]), "€1,477.67"]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["The support I want"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Estimate a year: €28,464.24" in text


def test_text_reads_line_by_line() -> None:
    _, source = _draft(priced=True)
    lines = formats.FORMATS["txt"].render(source, ENGLISH).decode("utf-8").split("\r\n")
    assert (
        "- Arrangement: Personal assistant, I am the employer, What for: Home and housework, "
        "Times a week: 5, Hours a week: 13.8, Estimate a month: €1,477.67"
    ) in lines
    assert "Hours a week in all: " + _number(sum(h for h in HOURS if h is not None)) in lines
    assert not any(set(line) & set("|+") for line in lines if "Arrangement" in line)


def test_json_and_fhir_carry_numbers_as_numbers() -> None:
    _, source = _draft(priced=True)
    data = json.loads(formats.FORMATS["json"].render(source, ENGLISH))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    sketch = data["sketch"]
    assert [row["cells"][4]["value"] for row in sketch["rows"]] == [
        1477.67,
        882,
        None,
        12.35,
        None,
    ]
    totals = {total["id"]: total["value"] for total in sketch["totals"]}
    assert totals["estimate-month-total"] == 2372.02
    assert {m["reason"] for m in sketch["missing"]} == {"amount", "price"}
    assert sketch["price_sources"] == [{"source": "Example price list", "set_on": "2026-01-01"}]
    response = json.loads(formats.FORMATS["fhir.json"].render(source, ENGLISH))
    QuestionnaireResponse.model_validate(response)
    top = {i["linkId"]: i["answer"][0] for i in response["item"] if "answer" in i}
    assert top["calculated.total-hours"] == {"valueDecimal": float(_tenth(sum(HOURS[:2]) + 2))}
    assert top["calculated.estimate-month-total"]["valueQuantity"] == {
        "value": 2372.02,
        "unit": "EUR",
        "system": "urn:iso:std:iso:4217",
        "code": "EUR",
    }
    first = next(i for i in response["item"] if i["linkId"] == "supports")
    inner = {i["linkId"]: i["answer"][0] for i in first["item"]}
    assert inner["calculated.hours-a-week"] == {"valueDecimal": 13.8}
    assert inner["calculated.estimate-month"]["valueQuantity"]["value"] == 1477.67


def test_the_sketch_is_in_the_draft_s_language() -> None:
    draft, _ = _draft(priced=True, t=CATALOGS.translator("fi"))
    assert draft.sketch is not None
    assert draft.sketch.title == "Tukisuunnitelman luonnos"
    assert draft.sketch.totals[1].text == "2\xa0372,02\xa0€"


def test_a_wishes_and_needs_draft_has_no_sketch() -> None:
    path = ROOT / "dialogues" / "wishes-and-needs.yaml"
    dialogue = load(path)
    result = run(dialogue, load_plan(plan_path(path)))
    views = Views(Engine(dialogue), read_prices(PRICES))
    draft = build(dialogue, views, result.state, ENGLISH, WHEN, WHEN)
    assert draft.sketch is None
    source = formats.Source(draft, dialogue, views, result.state)
    assert "sketch" not in json.loads(formats.FORMATS["json"].render(source, ENGLISH))
