"""Interaction rules (互动交流, appraisal 8.5): interact.column-missing, interact.unanswered,
interact.late-reply, interact.fields, interact.stale. The shared analysis is InteractionAnalysis
(checks/analyses/interaction.py)."""
