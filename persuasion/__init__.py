"""persuasion: exact solver for finite multi-sender persuasion games.

The model is that of "Emergent Alignment via Competition" (Roth, Ryu, Shi,
Collina, Goel): Alice acts on a state she cannot see, several senders ("Bobs")
commit to signalling schemes, Alice best-responds.  Every number this package
reports is an exact rational (:class:`fractions.Fraction`).
"""

__version__ = "0.1.0"
