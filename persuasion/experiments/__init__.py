"""Sweeps of generated instances: ``persuasion simulate`` (see :mod:`.sweep`)."""
