"""Pools of models and the convex-hull audit of the paper's Section F (issue 12)."""
