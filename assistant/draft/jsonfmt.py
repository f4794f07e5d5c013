"""The draft as JSON with a versioned schema (docs/draft-schema.json)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assistant.draft.model import SCHEMA, SCHEMA_VERSION, Answer, Draft, Item, Member
from assistant.draft.sketch import Sketch


def _by(said: Answer | Member) -> dict[str, str]:
    return {"role": said.role, "who": said.who, "text": said.by}


def _answer(answer: Answer) -> dict[str, Any]:
    return {"text": answer.text, "status": answer.status, "value": answer.value, "by": _by(answer)}


def _item(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": item.key,
        "kind": item.kind,
        "question": item.question,
        "answers": [_answer(a) for a in item.answers],
    }
    if item.item_id:
        data["item_id"] = item.item_id
    if item.for_meeting:
        data["for_meeting"] = True
    if item.members:
        data["items"] = [
            {"id": p.id, "title": p.title, "by": _by(p), "details": [_item(d) for d in p.details]}
            for p in item.members
        ]
    return data


def number(value: Decimal) -> int | float:
    """A JSON number: whole numbers exact, others (a tenth, a cent) as the nearest double,
    which prints as the same digits."""
    return int(value) if value == value.to_integral_value() else float(value)


def _value(value: Decimal | str | list[str] | None) -> Any:
    return number(value) if isinstance(value, Decimal) else value


def sketch(found: Sketch) -> dict[str, Any]:
    return {
        "title": found.title,
        "caption": found.caption,
        "list": found.list_id,
        "columns": [
            {"id": c.id, "title": c.title, "calculated": c.calculated, "unit": c.unit}
            for c in found.columns
        ],
        "rows": [
            {
                "item_id": row.item_id,
                "title": row.title,
                "cells": [{"text": c.text, "value": _value(c.value)} for c in row.cells],
            }
            for row in found.rows
        ],
        "totals": [
            {
                "id": total.id,
                "title": total.title,
                "text": total.text,
                "value": None if total.value is None else number(total.value),
                "unit": total.unit,
            }
            for total in found.totals
        ],
        "missing": [
            {"item_id": g.item_id, "title": g.title, "reason": g.reason} for g in found.gaps
        ],
        "missing_text": list(found.missing),
        "notice": found.notice,
        "price_sources": [
            {"source": source, "set_on": day.isoformat()} for source, day in found.price_sources
        ],
    }


def render(draft: Draft) -> dict[str, Any]:
    data: dict[str, Any] = {
        "$schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "dialogue": draft.dialogue_id,
        "title": draft.title,
        "language": draft.locale,
        "created": draft.created.isoformat(),
        "updated": draft.updated.isoformat(),
        "meeting_date": draft.meeting_date.isoformat() if draft.meeting_date else None,
        "status": "completed" if draft.completed else "in-progress",
        "not_reached": list(draft.not_reached),
        "note": draft.note,
        "for_meeting": [_item(i) for i in draft.agenda],
        "code_system": draft.code_system,
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "code": s.code,
                "items": [_item(i) for i in s.items],
                "not_answered": list(s.not_answered),
            }
            for s in draft.sections
        ],
    }
    if draft.sketch is not None:
        data["sketch"] = sketch(draft.sketch)
    return data
