"""Reading `calculations:` into Calculation trees and checking their types and units at
file:line, before anyone is shown a sum of hours and minutes. Never evaluated as code."""

from __future__ import annotations

from fractions import Fraction

from assistant.dialogue import rules
from assistant.dialogue.calc import (
    HOURS_PER_MONTH,
    MONEY_PER_MONTH,
    TIMES_PER_MONTH,
    Answer,
    Calculation,
    Constant,
    Convert,
    Estimate,
    Expr,
    First,
    Plus,
    Sum,
    Times,
    Value,
)
from assistant.dialogue.condition_reader import ConditionReader
from assistant.dialogue.conditions import leaves
from assistant.dialogue.kind_fields import KindFields
from assistant.dialogue.model import Kind, Step
from assistant.dialogue.reader import did_you_mean
from assistant.dialogue.units import NUMBER, Unit, UnitSyntax
from assistant.dialogue.yamlnodes import Node

CALCULATION_KEYS = ("id", "unit", "value", "for-each", "says", "title")
FORMS = ("times", "plus", "first", "convert", "sum", "estimate", "number")
UNITS_HINT = (
    "Write a unit like hour, hour/week, time/month, euro/month: one of minute, hour, day, "
    "time, week, month, year, euro, or two joined by '/'."
)


class _Scope:
    """What an expression may use: number questions and the calculations before it."""

    def __init__(self, steps: dict[str, Step], calcs: dict[str, Calculation], list_key: str | None):
        self.steps, self.calcs, self.list_key = steps, calcs, list_key


class CalcReader(ConditionReader, KindFields):
    name = ""  # the dialogue's id: the first part of every message context

    def calculations(self, node: Node | None, steps: list[Step]) -> tuple[Calculation, ...]:
        if node is None:
            return ()
        if not node.is_list:
            self.at(node, rules.WRONG_TYPE, "calculations must be a list", "Write '- id: ...'.")
            return ()
        by_key = {s.key: s for top in steps for s in (top, *top.steps)}
        calcs: dict[str, Calculation] = {}
        for item in node.value:
            calc = self._calculation(item, by_key, calcs)
            if calc is not None:
                calcs[calc.id] = calc
        return tuple(calcs.values())

    def calculated_parts(self, steps: list[Step], calcs: tuple[Calculation, ...]) -> None:
        """An information step's `show:` names calculations with one value (not one for each
        item); a list's `table:` names its own questions."""
        top = [c.id for c in calcs if not c.for_each]
        for key, what, node in self.named:
            for name in node.value:
                if what == "show":
                    known = top
                else:
                    step = next(s for s in steps if s.key == key)
                    known = [s.id for s in step.steps]
                if name.value not in known:
                    self.at(
                        name,
                        rules.CALCULATION_UNKNOWN,
                        f"{what} names '{name.value}', which is not "
                        + (
                            "a calculation with one value"
                            if what == "show"
                            else "a question of this list"
                        ),
                        f"{did_you_mean(name.value, known)}It can name: {', '.join(known) or 'nothing yet'}.",
                    )

    def _calculation(
        self, node: Node, steps: dict[str, Step], calcs: dict[str, Calculation]
    ) -> Calculation | None:
        values = self.mapping(node, CALCULATION_KEYS, "a calculation")
        if values is None:
            return None
        calc_id = self.ident(
            self.require(values, "id", node, "a calculation"), "the calculation id"
        )
        unit_node = self.require(values, "unit", node, "a calculation")
        value_node = self.require(values, "value", node, "a calculation")
        if calc_id is None or unit_node is None or value_node is None:
            return None
        if calc_id in calcs or calc_id in steps:
            self.at(
                values["id"],
                rules.DUPLICATE_ID,
                f"the id '{calc_id}' is used twice",
                "Give each calculation an id no step or other calculation has.",
            )
            return None
        list_key = self.string(values.get("for-each"), "for-each")
        if list_key is not None and (list_key not in steps or steps[list_key].kind != Kind.LIST):
            lists = [k for k, s in steps.items() if s.kind is Kind.LIST]
            self.at(
                values["for-each"],
                rules.CALCULATION_UNKNOWN,
                f"for-each names no list: '{list_key}'",
                f"{did_you_mean(list_key, lists)}Lists: {', '.join(lists) or 'none'}.",
            )
            return None
        unit = self.unit(unit_node)
        scope = _Scope(steps, calcs, list_key)
        expr = self.expr(value_node, scope)
        if unit is None or expr is None:
            return None
        found = self.unit_of(expr, value_node, scope)
        if found is not None and not found.converts_to(unit):
            self.at(
                value_node,
                rules.CALCULATION_TYPE_MISMATCH,
                f"the value is in {found}, but the calculation's unit is {unit}",
                f"Change 'unit:' to {found}, or the value, so the two measure the same thing.",
            )
            return None
        says, says_plural = (
            self.says(values["says"], unit.is_money) if "says" in values else (None, None)
        )
        title = self.string(values.get("title"), "title")
        return Calculation(
            calc_id,
            expr,
            unit,
            node.line,
            node.column,
            list_key,
            says,
            title,
            f"{self.name}:calc:{calc_id}",
            says_plural,
        )

    def unit(self, node: Node) -> Unit | None:
        try:
            return Unit.parse(str(node.value))
        except UnitSyntax as error:
            self.at(node, rules.CALCULATION_SYNTAX, f"'{error}' is not a unit", UNITS_HINT)
            return None

    # -- expressions: read the shape -------------------------------------------------------

    def expr(self, node: Node, scope: _Scope) -> Expr | None:
        value = node.value
        if isinstance(value, bool):
            return self._syntax(node, "true or false is not a value")
        if isinstance(value, int | float):
            return Constant(Fraction(str(value)), NUMBER)
        if isinstance(value, str):
            return self._reference(node, value, scope)
        if not node.is_mapping or not value:
            return self._syntax(node, "a value must be a number, a name or one of the forms")
        form = next(iter(value))
        if form not in FORMS:
            line, column = node.key_positions[form]
            self.error(
                line,
                column,
                rules.CALCULATION_SYNTAX,
                f"'{form}' is not a form of calculation",
                f"{did_you_mean(form, FORMS)}Forms: {', '.join(FORMS)}.",
            )
            return None
        return self._form(form, node, scope)

    def _form(self, form: str, node: Node, scope: _Scope) -> Expr | None:
        shapes = {
            "times": ("times",),
            "plus": ("plus",),
            "first": ("first",),
            "convert": ("convert", "to"),
            "sum": ("sum", "where"),
            "estimate": ("estimate",),
            "number": ("number", "unit"),
        }
        values = self.mapping(node, shapes[form], f"a '{form}'")
        if values is None:
            return None
        argument = values[form]
        if form in ("times", "plus", "first"):
            if not argument.is_list or len(argument.value) < 2:
                return self._syntax(argument, f"{form} needs a list of two or more values")
            parts = [self.expr(p, scope) for p in argument.value]
            if any(p is None for p in parts):
                return None
            given = tuple(p for p in parts if p is not None)
            return (
                Times(given) if form == "times" else Plus(given) if form == "plus" else First(given)
            )
        if form == "convert":
            inner = self.expr(argument, scope)
            to = self.require(values, "to", node, "a convert")
            unit = self.unit(to) if to is not None else None
            return Convert(inner, unit) if inner is not None and unit is not None else None
        if form == "number":
            amount = self.decimal(argument, "number")
            unit_node = values.get("unit")
            unit = self.unit(unit_node) if unit_node is not None else NUMBER
            return Constant(Fraction(amount), unit) if amount is not None and unit else None
        if form == "sum":
            return self._sum(argument, values.get("where"), scope)
        return self._estimate(argument, scope)

    def _sum(self, node: Node, where_node: Node | None, scope: _Scope) -> Expr | None:
        name = self.string(node, "sum")
        calc = scope.calcs.get(name or "")
        if name is None or calc is None or calc.for_each is None:
            each = [c.id for c in scope.calcs.values() if c.for_each]
            return self._unknown(
                node,
                f"sum names no calculation made for each item of a list: '{name}'",
                f"{did_you_mean(name or '', each)}Sum one with 'for-each:' written before it: "
                f"{', '.join(each) or 'none yet'}.",
            )
        where = None
        if where_node is not None:
            where = self.condition(where_node, f"calc:{calc.id}")
            if where is None:
                return None
            for leaf in leaves(where):
                target = scope.steps.get(leaf.step)
                if target is None or not (target.parent == calc.for_each or not target.parent):
                    return self._unknown(
                        where_node,
                        f"where names no question of the list '{calc.for_each}': '{leaf.step}'",
                        f"Name the list's questions as {calc.for_each}.STEP.",
                    )
        return Sum(calc.id, where)

    def _estimate(self, node: Node, scope: _Scope) -> Expr | None:
        values = self.mapping(node, ("arrangement", "hours", "times"), "an estimate")
        if values is None:
            return None
        arrangement_node = self.require(values, "arrangement", node, "an estimate")
        hours_node = self.require(values, "hours", node, "an estimate")
        times_node = self.require(values, "times", node, "an estimate")
        if arrangement_node is None or hours_node is None or times_node is None:
            return None
        key = self.string(arrangement_node, "arrangement") or ""
        step = self._visible(key, scope)
        if step is None or step.kind is not Kind.SINGLE_CHOICE:
            return self._unknown(
                arrangement_node,
                f"arrangement must name a single-choice question: '{key}'",
                "Name the question whose choices are the price list's arrangements.",
            )
        hours = self.expr(hours_node, scope)
        times = self.expr(times_node, scope)
        if hours is None or times is None:
            return None
        for expr, where, wanted in (
            (hours, hours_node, HOURS_PER_MONTH),
            (times, times_node, TIMES_PER_MONTH),
        ):
            found = self.unit_of(expr, where, scope)
            if found is not None and not found.converts_to(wanted):
                self.at(
                    where,
                    rules.CALCULATION_TYPE_MISMATCH,
                    f"the estimate needs {wanted} here (or per week or year), not {found}",
                    "Give hours a week or a month to 'hours:' and times a week or a month to 'times:'.",
                )
                return None
        return Estimate(key, hours, times)

    def _reference(self, node: Node, name: str, scope: _Scope) -> Expr | None:
        if name in scope.calcs:
            calc = scope.calcs[name]
            if calc.for_each and calc.for_each != scope.list_key:
                return self._unknown(
                    node,
                    f"'{name}' has a value for each item of '{calc.for_each}'",
                    f"Add them up with {{sum: {name}}}.",
                )
            return Value(name)
        step = self._visible(name, scope)
        if step is None:
            known = [k for k in scope.steps if k.count(".") == 0 or scope.list_key] + list(
                scope.calcs
            )
            return self._unknown(
                node,
                f"'{name}' names no earlier calculation and no question this one can use",
                f"{did_you_mean(name, known)}Write a question's id (inside a list, LIST.STEP) "
                "or the id of a calculation written above.",
            )
        if step.kind is not Kind.NUMBER:
            self.at(
                node,
                rules.CALCULATION_TYPE_MISMATCH,
                f"'{name}' is a {step.kind.value} question: only number answers can be counted",
                "Use a number question here; choices are for `where:` and `arrangement:`.",
            )
            return None
        return Answer(name)

    def _visible(self, key: str, scope: _Scope) -> Step | None:
        step = scope.steps.get(key)
        if step is None or (step.parent and step.parent != scope.list_key):
            return None
        return step

    # -- types ---------------------------------------------------------------------------------

    def unit_of(self, expr: Expr, node: Node, scope: _Scope) -> Unit | None:
        """The expression's unit, or None after reporting where its units do not agree."""
        match expr:
            case Constant() | Convert() | Estimate():
                if isinstance(expr, Convert):
                    inner = self.unit_of(expr.value, node, scope)
                    if inner is not None and not inner.converts_to(expr.unit):
                        self.at(
                            node,
                            rules.CALCULATION_TYPE_MISMATCH,
                            f"{inner} cannot be converted to {expr.unit}",
                            "Convert between units of one kind: minute and hour; week, month and year.",
                        )
                        return None
                return expr.unit if not isinstance(expr, Estimate) else MONEY_PER_MONTH
            case Answer():
                return scope.steps[expr.key].measure or NUMBER
            case Value() | Sum():
                return scope.calcs[expr.id if isinstance(expr, Value) else expr.of].unit
            case Times():
                product = NUMBER
                for part in expr.parts:
                    unit = self.unit_of(part, node, scope)
                    if unit is None:
                        return None
                    product = product * unit
                return product
            case Plus() | First():
                units = [self.unit_of(p, node, scope) for p in expr.parts]
                if any(u is None for u in units):
                    return None
                if len({str(u) for u in units}) > 1:
                    said = " and ".join(str(u) for u in units)
                    self.at(
                        node,
                        rules.CALCULATION_TYPE_MISMATCH,
                        f"adds {said}: values of different units",
                        "Convert first, e.g. {convert: minutes-each, to: hour}.",
                    )
                    return None
                return units[0]
        raise AssertionError(expr)

    def _syntax(self, node: Node, message: str) -> Expr | None:
        """Reports the problem; returns None, the expression there is none of."""
        self.at(
            node,
            rules.CALCULATION_SYNTAX,
            message,
            "Write e.g. value: {times: [supports.hours-each, supports.times-a-week]}.",
        )
        return None

    def _unknown(self, node: Node, message: str, hint: str) -> Expr | None:
        self.at(node, rules.CALCULATION_UNKNOWN, message, hint)
        return None
