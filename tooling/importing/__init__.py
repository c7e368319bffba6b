"""`kb import`: Notion/Obsidian exports and hand-written outlines into notes, losing no words."""

from .importer import ImportPlan, ImportResult, Proposal, plan_import, write_proposals

__all__ = ["ImportPlan", "ImportResult", "Proposal", "plan_import", "write_proposals"]
