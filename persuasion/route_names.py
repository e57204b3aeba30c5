"""The names of the best-response routes, importable without loading any solver (``--route``'s choices).

:mod:`persuasion.routes` maps each name but ``auto`` to how it lists the
inducible response vectors; ``auto`` lets :func:`persuasion.routes.choose`
pick one per problem.
"""

ROUTES = ("auto", "enumeration", "cells")
"""``auto`` first (the default), then the reference route and its certified float peer."""
