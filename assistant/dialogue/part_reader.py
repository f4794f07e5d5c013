"""The parts of a dialogue file around its steps: sections, a step's marks, and offers."""

from __future__ import annotations

from assistant.dialogue import rules
from assistant.dialogue.model import MARK_KINDS, MARKS, OFFERS, Kind, Section
from assistant.dialogue.reader import Reader, did_you_mean
from assistant.dialogue.yamlnodes import Node

SECTION_KEYS = ("id", "title", "code")


class PartReader(Reader):
    name = ""  # the dialogue's id: the first part of every message context

    def sections(self, node: Node | None) -> list[Section]:
        if node is None:
            return []
        if not node.is_list or not node.value:
            self.at(
                node,
                rules.WRONG_TYPE,
                "sections must be a list",
                "Write each section as '- id: ... title: ...'.",
            )
            return []
        sections: list[Section] = []
        for item in node.value:
            values = self.mapping(item, SECTION_KEYS, "a section")
            if values is None:
                continue
            section_id = self.ident(self.require(values, "id", item, "a section"), "the section id")
            title = self.string(
                self.require(values, "title", item, "a section"), "the section title"
            )
            code = self.ident(values.get("code"), "the section code") if "code" in values else None
            if section_id and any(s.id == section_id for s in sections):
                self.at(
                    values["id"],
                    rules.DUPLICATE_ID,
                    f"the section id '{section_id}' is used twice",
                    "Give each section its own id.",
                )
            elif section_id and title:
                context = f"{self.name}:section:{section_id}"
                sections.append(Section(section_id, title, item.line, code, context))
        return sections

    def marks(self, node: Node | None, kind: Kind) -> tuple[str, ...]:
        """What a step says it means (`marks: meeting-date`): one mark or a list of them."""
        if node is None:
            return ()
        items = node.value if node.is_list else [node]
        marks = []
        for item in items:
            mark = self.string(item, "a mark")
            if mark is None:
                continue
            if mark not in MARKS:
                self.at(
                    item,
                    rules.BAD_MARK,
                    f"'{mark}' is not a mark",
                    f"{did_you_mean(mark, MARKS)}Marks: {', '.join(MARKS)}.",
                )
            elif MARK_KINDS.get(mark, kind.value) != kind.value:
                self.at(
                    item,
                    rules.BAD_MARK,
                    f"the mark '{mark}' is for a {MARK_KINDS[mark]} step, not {kind.value}",
                    f"Put 'marks: {mark}' on the {MARK_KINDS[mark]} step it means.",
                )
            else:
                marks.append(mark)
        return tuple(marks)

    def offer(self, node: Node | None, default: tuple[str, ...]) -> tuple[str, ...]:
        if node is None:
            return default
        if not node.is_list:
            self.at(
                node,
                rules.WRONG_TYPE,
                "offer must be a list",
                "Write offer: [dont-know, talk-in-meeting].",
            )
            return default
        offers: list[str] = []
        for item in node.value:
            if item.value not in OFFERS:
                self.at(
                    item,
                    rules.UNKNOWN_OFFER,
                    f"'{item.value}' is not something a question can offer",
                    f"{did_you_mean(str(item.value), OFFERS)}You can offer: {', '.join(OFFERS)}.",
                )
            else:
                offers.append(item.value)
        return tuple(offers)
