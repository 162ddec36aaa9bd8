"""Writes of the year's work programme, one module per part: the inspection and supervision items
(items), the action plans with their tasks and the cells' notes (plans), the regulation reviews
(regulations). Every write is one transaction, audited."""

from .items import Action, action_done, item_add, item_conclude, item_move, item_update, programme_open
from .plans import note_add, note_answer, plan_create, task_add, task_done, task_drop, task_update
from .regulations import regulation_review_delete, regulation_review_record

__all__ = [
    "Action",
    "action_done",
    "item_add",
    "item_conclude",
    "item_move",
    "item_update",
    "note_add",
    "note_answer",
    "plan_create",
    "programme_open",
    "regulation_review_delete",
    "regulation_review_record",
    "task_add",
    "task_done",
    "task_drop",
    "task_update",
]
