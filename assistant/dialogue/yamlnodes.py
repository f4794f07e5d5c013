"""Read YAML into plain values that remember their line and column, for writer-friendly errors.

PyYAML's node tree carries marks; we keep them and refuse duplicate keys (which PyYAML would
silently let the last one win).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml


@dataclass
class Node:
    value: Any  # str | int | float | bool | None | list[Node] | dict[str, Node]
    line: int  # 1-based
    column: int  # 1-based
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The value without positions."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class YamlProblem(Exception):
    def __init__(self, message: str, line: int, column: int, duplicate: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.duplicate = duplicate


def read(text: str) -> Node | None:
    """Parse one YAML document; None for an empty file. Raises YamlProblem."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return None if root is None else _convert(root, loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(str(error.problem or error), line, column) from None
    except yaml.YAMLError as error:
        raise YamlProblem(str(error), 1, 1) from None
    finally:
        loader.dispose()


def _convert(node: yaml.Node, loader: yaml.SafeLoader) -> Node:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        values: dict[str, Node] = {}
        positions: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node))
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in values:
                raise YamlProblem(f"the key '{key}' appears twice", *where, duplicate=True)
            values[key] = _convert(value_node, loader)
            positions[key] = where
        return Node(values, line, column, positions)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, loader) for item in node.value], line, column)
    return Node(loader.construct_object(node), line, column)
