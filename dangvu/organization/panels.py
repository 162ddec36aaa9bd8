"""Sections that other apps add to an organisation's page (reports owed, later meetings, targets...).

A panel is a function (request, organisation, nodes of its subtree) -> Panel | None; it reads
through core.access like any view, and must cost a bounded number of queries whatever the
subtree's size."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelSource = Callable[..., Panel | None]
_sources: list[PanelSource] = []


def register(source: PanelSource) -> None:
    if source not in _sources:
        _sources.append(source)


def for_page(request, organization, nodes) -> list[Panel]:
    return [p for source in _sources if (p := source(request, organization, nodes)) is not None]
