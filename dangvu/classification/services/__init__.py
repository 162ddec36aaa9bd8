"""Writes of the review, each in a transaction and audited with its actor, in the order of
rules.md §1.6 and §1.5: a member's self-assessment, the cell's proposal, the committee's decision;
then the cell's self-rating and the committee's decision on the cell, after all its members.

A check that fails (score band, triggers, the cap, the cell's leadership) blocks a decision unless
the deciding user gives a written reason, kept on the rating and in its history (rules.md
"Product defaults": override with a written reason). Two people deciding at once cannot exceed the
cap: a decision locks its campaign's row first, so decisions of one campaign are counted one after
the other.
"""

from .campaigns import Settings, campaign_open, campaign_update
from .cells import cell_decide, cell_problems, cell_reopen, cell_self_assess
from .checks import BlockedByRules, Outcome
from .members import (
    Decision,
    Proposal,
    member_decide,
    member_propose,
    member_reopen,
    member_self_assess,
    member_triggers_set,
)
from .past import Imported, ratings_import

__all__ = [
    "BlockedByRules",
    "Decision",
    "Imported",
    "Outcome",
    "Proposal",
    "Settings",
    "campaign_open",
    "campaign_update",
    "cell_decide",
    "cell_problems",
    "cell_reopen",
    "cell_self_assess",
    "member_decide",
    "member_propose",
    "member_reopen",
    "member_self_assess",
    "member_triggers_set",
    "ratings_import",
]
