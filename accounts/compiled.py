"""Queries the hot paths run thousands of times, compiled to SQL once.

Django builds and compiles a queryset anew on every call: for the small reads
of a rebuild (a plant's seasons, milestones, plan rows…) that is ~0.45 ms of
CPU each, four times what fetching the rows costs. A `CompiledQuery` keeps the
SQL that Django's compiler wrote for one queryset shape and runs it again with
each call's values, so the queryset (and the rule it states: which rows, in
which order) still has one home, the function that builds it.

How the values find their places: the queryset is built and compiled once
with a base set of values, then once per argument with only that argument
changed. The parameters that move are that argument's; each is the argument
itself or the argument plus a fixed offset (`end + 1 year`), as the database
receives it (an ISO string for a date on SQLite). A last compile with every
argument changed must come out exactly as the binding predicts. A shape that
fails any of these checks (its SQL changes with the values, an argument no
parameter carries, a parameter that is neither, two arguments in one
parameter) is run through the ORM on every call instead: slower, not wrong.
So `build` must use its arguments as filter values only, never to choose
how the query is built (a branch on a date would escape the checks).

Shapes served: a model queryset (model instances with their select_related
objects, annotations and deferred fields, built as Django's ModelIterable
builds them) and values_list() (tuples), select_for_update() too (refused
outside a transaction, as Django does); not prefetch_related. The rows go
through the same converters as the ORM's.
"""

import datetime
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import (
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

logger = logging.getLogger(__name__)

# Base and changed values per argument type: far from real data, so that an
# argument's parameter cannot be mistaken for a constant of the query.
_PROBES: dict[type, tuple] = {
    int: (7_654_321, 8_765_432, 9_876_543),
    datetime.date: (
        datetime.date(1901, 3, 7),
        datetime.date(1917, 8, 21),
        datetime.date(1933, 5, 13),
    ),
}


@dataclass(frozen=True)
class _Slot:
    position: int  # in the parameter list
    name: str  # the argument
    offset: int | datetime.timedelta
    as_text: bool  # a date sent as its ISO string (SQLite)


@dataclass(frozen=True)
class _Plan:
    sql: str
    constants: tuple
    slots: tuple[_Slot, ...]
    compiler: SQLCompiler  # the first compile's: its converters
    converters: dict
    columns: int | None  # rows cut to this many (columns added for ordering)
    for_update: bool  # SELECT … FOR UPDATE: only inside a transaction
    shape: Callable[[list], list]  # rows → what iterating the queryset gives

    def params(self, values: dict) -> list:
        params = list(self.constants)
        for slot in self.slots:
            value = values[slot.name] + slot.offset
            params[slot.position] = value.isoformat() if slot.as_text else value
        return params


class CompiledQuery:
    """`build(**values)` returns a queryset of one shape; `run(**values)`
    returns its rows as a list, compiling the SQL once per database alias.

    `types` names each argument's type (int or datetime.date)."""

    def __init__(self, build: Callable[..., QuerySet], **types: type) -> None:
        unknown = {n: t for n, t in types.items() if t not in _PROBES}
        if unknown:
            raise TypeError(f"CompiledQuery: unsupported argument types {unknown}")
        self.build = build
        self.types = types
        self._db: str | None = None  # the alias the querysets read from
        self._plans: dict[str, _Plan | None] = {}
        self._lock = threading.Lock()

    def run(self, **values) -> list:
        if self._db is None:
            self._db = self.build(**self._probe(0)).db
        alias = self._db
        plan = self._plans.get(alias, False)
        if plan is False:
            with self._lock:
                plan = self._plans.get(alias, False)
                if plan is False:
                    plan = self._plans[alias] = self._plan(alias)
        if plan is None:  # a shape this cannot serve: the ORM's way
            return list(self.build(**values))
        connection = connections[alias]
        if plan.for_update and connection.get_autocommit():
            # What Django's compiler says (it would not get to run the SQL).
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, plan.params(values))
            rows = cursor.fetchall()
        if plan.columns is not None:
            rows = [row[: plan.columns] for row in rows]
        if plan.converters:
            rows = plan.compiler.apply_converters(rows, plan.converters)
        return plan.shape(rows)

    def _probe(self, which: int, name: str | None = None) -> dict:
        """Every argument at its base probe; `name` (or all, with no name) at
        probe `which`."""
        return {
            n: _PROBES[t][which if name in (None, n) else 0]
            for n, t in self.types.items()
        }

    def _compile(self, values: dict, alias: str):
        compiler = self.build(**values).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        return compiler, sql, tuple(params)

    def _plan(self, alias: str) -> _Plan | None:
        try:
            return self._bind(alias)
        except Exception as exc:  # noqa: BLE001 - any failure: the ORM's way
            return self._refuse(f"{type(exc).__name__}: {exc}")

    def _bind(self, alias: str) -> _Plan | None:
        base = self._probe(0)
        compiler, sql, params = self._compile(base, alias)
        shape = _shape(self.build(**base), compiler, alias)
        if shape is None:
            return self._refuse("its rows are neither models nor values_list tuples")
        slots: list[_Slot] = []
        taken: set[int] = set()
        for name in self.types:
            _, moved_sql, moved = self._compile(self._probe(1, name), alias)
            if moved_sql != sql or len(moved) != len(params):
                return self._refuse(f"its SQL changes with {name}")
            for i, (a, b) in enumerate(zip(params, moved, strict=True)):
                if a == b:
                    continue
                slot = _slot(i, name, base[name], a, self._probe(1)[name], b)
                if slot is None or i in taken:
                    return self._refuse(f"parameter {i} is not {name} plus an offset")
                taken.add(i)
                slots.append(slot)
            if not any(slot.name == name for slot in slots):
                # Then it shapes the query some other way than by a value.
                return self._refuse(f"no parameter carries {name}")
        plan = _Plan(
            sql=sql,
            constants=params,
            slots=tuple(slots),
            compiler=compiler,
            converters=compiler.get_converters(
                [col for col, _, _ in compiler.select[: compiler.col_count]]
            ),
            columns=compiler.col_count if compiler.has_extra_select else None,
            for_update=bool(compiler.query.select_for_update)
            and connections[alias].features.has_select_for_update,
            shape=shape,
        )
        check = self._probe(2)
        _, check_sql, check_params = self._compile(check, alias)
        if check_sql != sql or list(check_params) != plan.params(check):
            return self._refuse("a compile with other values does not match")
        return plan

    def _refuse(self, why: str) -> None:
        logger.warning("CompiledQuery %s runs through the ORM: %s", self.build, why)
        return None


def _shape(queryset: QuerySet, compiler, alias: str):
    """What turns the rows into what iterating `queryset` gives: tuples for
    values_list(), model instances (with their select_related objects,
    annotations and deferred fields) as ModelIterable builds them; None for
    anything else."""
    query = queryset.query
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        return None
    if queryset._iterable_class is ValuesListIterable:
        if query.annotation_select or query.extra_select:
            return None  # Django reorders those columns
        return lambda rows: [tuple(row) for row in rows]
    if queryset._iterable_class is not ModelIterable:
        return None
    klass_info, select = compiler.klass_info, compiler.select
    model = klass_info["model"]
    start, stop = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    fields = [col.target.attname for col, _, _ in select[start:stop]]
    related = get_related_populators(klass_info, select, alias)
    annotations = tuple(compiler.annotation_col_map.items())

    def objects(rows: list) -> list:
        made = []
        for row in rows:
            obj = model.from_db(alias, fields, row[start:stop])
            for populator in related:
                populator.populate(row, obj)
            for name, at in annotations:
                setattr(obj, name, row[at])
            made.append(obj)
        return made

    return objects


def _slot(position: int, name: str, base, sent, moved, moved_sent) -> _Slot | None:
    """How argument `name` becomes parameter `position`: base → sent and
    moved → moved_sent must differ by the same offset."""
    as_text = isinstance(sent, str) and isinstance(base, datetime.date)
    if as_text:
        try:
            sent = datetime.date.fromisoformat(sent)
            moved_sent = datetime.date.fromisoformat(moved_sent)
        except (TypeError, ValueError):
            return None
    if type(sent) is not type(base) or type(moved_sent) is not type(moved):
        return None
    offset = sent - base
    if moved_sent - moved != offset:
        return None
    return _Slot(position=position, name=name, offset=offset, as_text=as_text)
