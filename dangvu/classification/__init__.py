"""Annual review and quality classification of members and cells (rules.md §1, issue 6)."""
