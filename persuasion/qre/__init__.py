"""Alice's lambda-quantal response in the one-round game (Section D): the outcome of a profile
(:mod:`~persuasion.qre.outcome`, Definitions 11-12) and each sender's best deviation bounded from
both sides (:mod:`~persuasion.qre.deviation`, the QRE check of Definition 12).  Every number
involving ``exp`` is a certified rational enclosure, computed with the kernel's ball arithmetic
(:mod:`persuasion.checker.quantal`); Definition 13's ``delta`` and Theorem 2's bound are the
kernel's claim ``theorem-2`` (:mod:`persuasion.witnesses.quantal`)."""
