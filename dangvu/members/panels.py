"""Sections that later apps add to a member's page (the year's self-assessment, past ratings...),
without this app importing them: an app registers a source in its ready(), the member view asks
for_member.

A source is a function (request, member) -> Panel | None; it reads through core.access like any
view and costs a bounded number of queries."""

from collections.abc import Callable

from dangvu.organization.panels import Panel

MemberPanelSource = Callable[..., Panel | None]
_sources: list[MemberPanelSource] = []


def register(source: MemberPanelSource) -> None:
    if source not in _sources:
        _sources.append(source)


def for_member(request, member) -> list[Panel]:
    return [p for source in _sources if (p := source(request, member)) is not None]
