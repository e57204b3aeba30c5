"""The names of the best-response routes and set searches, importable without loading any solver
(``--route``'s and ``--set-search``'s choices).

:mod:`persuasion.routes` maps each name but ``auto`` to how it lists the
inducible response vectors; ``auto`` lets :func:`persuasion.routes.choose`
pick one per problem.
"""

ROUTES = ("auto", "enumeration", "cells")
"""``auto`` first (the default), then the reference route and its certified float peer."""

SET_SEARCHES = ("auto", "enumeration", "branch-and-bound", "milp")
"""How a sender with fewer messages than the optimum needs chooses the set of response vectors
(:mod:`persuasion.limited`): ``auto`` first (the default: picked per problem), then every set
(the reference), the exact branch and bound, and a MILP (its optimality the solver's claim)."""
