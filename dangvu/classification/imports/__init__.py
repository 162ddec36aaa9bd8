"""A cell's proposals and past years' final ratings from Excel, through the one import mechanism
(core.imports): every problem by row and column, nothing written unless the whole file is right,
the writes made by the services (member_propose; campaign_open and ratings_import)."""

from .common import PAST_ACTIONS
from .past import PastPlan, past_template, run_past
from .proposals import ProposalPlan, proposals_template, run_proposals

__all__ = [
    "PAST_ACTIONS",
    "PastPlan",
    "ProposalPlan",
    "past_template",
    "proposals_template",
    "run_past",
    "run_proposals",
]
