"""Agreement (Section D.3): the straightforward conversation (Definition 10) simulated exactly.

:func:`~persuasion.agreement.conversation.converse` plays it on a finite common prior; the
information substitutes condition (Definition 14) is decided by
:func:`persuasion.checker.substitutes.substitutes` (in the kernel, which the ``theorem-5``
certificate's check shares).  The front door is :func:`persuasion.agree`.
"""

from persuasion.agreement.conversation import Conversation, Pair, converse

__all__ = ["Conversation", "Pair", "converse"]
