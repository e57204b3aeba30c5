"""Conversations: the paper's R-round protocol compiled and played exactly (Algorithm 1).

- :mod:`~persuasion.conversation.histories`: private histories and their keys in files;
- :mod:`~persuasion.conversation.rules`: the senders' rules, by history or not;
- :mod:`~persuasion.conversation.sizes`: the game's size, counted before it is built;
- :mod:`~persuasion.conversation.tree`: the explicit extensive-form game;
- :mod:`~persuasion.conversation.alice`: Alice's best-response conversation rule (Definition 6);
- :mod:`~persuasion.conversation.sequences`: one sender's rules as sequence-form plans;
- :mod:`~persuasion.conversation.programs`: the LPs and the MILP over Alice's plans;
- :mod:`~persuasion.conversation.search`: which plan of Alice's a best response makes her follow;
- :mod:`~persuasion.conversation.sender`: a sender's exact best response;
- :mod:`~persuasion.conversation.selection`: the same in the best-AI selection game (Section E);
- :mod:`~persuasion.conversation.play`: the senders' game over conversation rules (deviations,
  the Nash gap, best-response dynamics).

The front door is :func:`persuasion.converse` (``persuasion converse``).  Nothing is imported
here: each module is loaded when used.
"""


def is_conversation(instance) -> bool:
    """Is ``instance``'s protocol a conversation: more than one round, or Alice speaking
    (Algorithm 1; one round with Alice silent is the one-round game)?"""
    return instance.protocol.rounds != 1 or instance.protocol.alice_messages != 1
