"""English UI keeps the Vietnamese dd/mm/yyyy dates: the data is Vietnamese."""

from dangvu.formats.vi.formats import *  # noqa: F403
