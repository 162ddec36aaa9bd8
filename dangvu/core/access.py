"""The one access layer: what a user may see and change.

Every page, API endpoint, export, document and command asks this module. A queryset is restricted to
the user's scope *before* anything is fetched, and a row outside the scope is a 404, the same as a row
that does not exist (nothing tells a stranger that it exists).

A scope is a set of subtrees (materialised paths of the organisation tree) per action, plus the
person records that are the user's own. Apps contribute to it with `register_scope_source`: the
organisation app adds role grants and committee seats, later apps add their own.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .periods import today

VIEW = "view"
MANAGE = "manage"  # the office: create and change records, accounts and roles in the subtree
RECORDS = "records"  # a cell's secretary and chi ủy: keep the member records of their cell
INSPECT = "inspect"  # the inspection commission: carry out the inspection and supervision programme


@dataclass(frozen=True)
class Scope:
    """What one user may reach: subtree paths per action, and their own person records."""

    paths: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    person_ids: frozenset[int] = frozenset()
    is_system: bool = False

    def paths_for(self, action: str) -> frozenset[str]:
        """Paths held for `action`; whoever manages a subtree may do everything in it."""
        return self.paths.get(action, frozenset()) | self.paths.get(MANAGE, frozenset())

    def covers(self, path: str, action: str = VIEW) -> bool:
        """Whether the organisation at `path` lies in a subtree the user holds for `action`."""
        return self.is_system or any(path.startswith(p) for p in self.paths_for(action))

    @property
    def is_empty(self) -> bool:
        return not self.is_system and not self.person_ids and not any(self.paths.values())


SYSTEM_SCOPE = Scope(is_system=True)
EMPTY_SCOPE = Scope()

# A source adds (action, path) pairs and person ids for a user on a date.
ScopeSource = Callable[[Any, date], tuple[Iterable[tuple[str, str]], Iterable[int]]]
_sources: list[ScopeSource] = []


def register_scope_source(source: ScopeSource) -> None:
    if source not in _sources:
        _sources.append(source)


def scope_for(user, on: date | None = None) -> Scope:
    """The user's scope on a date (today by default). Anonymous and inactive users see nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    on = on or today()
    by_action: dict[str, set[str]] = {}
    person_ids: set[int] = set()
    for source in _sources:
        pairs, persons = source(user, on)
        for action, path in pairs:
            by_action.setdefault(action, set()).add(path)
        person_ids.update(persons)
    # Whoever may act on a subtree also sees it.
    for action, paths in list(by_action.items()):
        if action != VIEW:
            by_action.setdefault(VIEW, set()).update(paths)
    return Scope(
        paths=MappingProxyType({a: frozenset(_minimal(p)) for a, p in by_action.items()}),
        person_ids=frozenset(person_ids),
    )


def _minimal(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another path of the set: fewer OR terms in every query."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def restrict(queryset: QuerySet, scope: Scope, action: str = VIEW) -> QuerySet:
    """The rows of `queryset` the scope allows for `action`, decided in the database.

    The model names where its organisation path is (`scope_path_lookup`) and, optionally, where its
    person is (`scope_person_lookup`) so that a member sees their own record.
    """
    if scope.is_system:
        return queryset
    model = queryset.model
    path_lookup: str | None = getattr(model, "scope_path_lookup", None)
    person_lookup: str | None = getattr(model, "scope_person_lookup", None)
    condition = Q(pk__in=[])
    if path_lookup:
        for path in scope.paths_for(action):
            condition |= Q(**{f"{path_lookup}__startswith": path})
    if person_lookup and action == VIEW and scope.person_ids:
        condition |= Q(**{f"{person_lookup}__in": scope.person_ids})
    return queryset.filter(condition)


def get_for_user_or_404(queryset: QuerySet, scope: Scope, action: str = VIEW, **lookup) -> Model:
    """One row inside the scope, or 404 — the same answer whether it is missing or forbidden."""
    try:
        return restrict(queryset, scope, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require(scope: Scope, path: str, action: str) -> None:
    """Raise 404 unless the organisation at `path` is in the scope for `action`."""
    if not scope.covers(path, action):
        raise Http404
