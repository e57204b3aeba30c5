"""Theorem 1 in a conversation (Algorithm 1): the kernel's own Alice and the chain of the claim.

In a conversation (``rounds > 1`` or ``alice_messages > 1``) a sender's rule
answers on their private history ``h_i`` (Definition 3).  The kernel reads the
rules of the embedded profile and of the aligned rule ``C*`` (rows by ``x_B``,
or by ``x_B`` then history key, docs/reference/file-formats.md "Rules keyed by
history"; a quantal Alice's messages are her belief vectors, keyed ``"[p, q]"``, which
``theorem-2`` reads here too), and computes Alice's best-response conversation rule
(Definition 6) itself, by backward induction over her information sets ``(x_A, h_1, ..., h_k)``:

1. forward, round by round: every information set holds, per chance cell
   ``(x_B, y)`` of ``x_A``, the probability ``P(x_A, x_B, y) prod pi_i(b | x_B, h_i)``
   of the answers so far; Alice's message vectors are ``M_A^k`` in lexicographic order
   (sender 1's message most significant);
2. backward: where she acts, her tie-broken best action (Definition 4); where she talks,
   the vector whose answers' values sum highest, ties to the earliest vector;
3. forward again along her choices: the joint distribution of action and state
   (Definition 5), hence everyone's utility.

The chain of ``theorem-1`` then needs no bound on best deviations: the proof of
Theorem 1 uses, for each weighted sender, only the deviation to ``C*``, whose gain
``g_i = max(0, U_i(dev_i) - U_i(profile))`` the kernel derives itself.  ``U_A(C*)`` is
proven optimal by equalling the first-best ``OPT`` (Definition 2), which bounds every
protocol.  ``theorem-6`` (the best-AI selection game, Definition 16) replays the chain of
:func:`persuasion.checker.claims.theorem_6` on each sender's conversation alone with Alice and
C*'s (:func:`selection`).  Standard library only; independent of :mod:`persuasion.conversation`.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from persuasion import limits
from persuasion.checker.core import Invalid, fields, number, require
from persuasion.checker.game import (
    ZERO,
    Game,
    Matrix,
    _probability,
    best_action,
    first_best,
    utilities,
)
from persuasion.checker.game import messages_used as scheme_messages_used

SEPARATOR = " > "
"""Between two messages of a history key."""

Rule = list[Any]
"""Per ``x_B``: a row (a list of probabilities) or a dict ``{history: row}``."""


# --------------------------------------------------------------------------- reading rules


def read_rule(value: Any, where: str, game: Game, messages: tuple[str, ...]) -> Rule:
    """A conversation rule ``{x_B: row}`` or ``{x_B: {history key: row}}``, every row a
    distribution over ``messages``."""
    rows = fields(value, where, game.sender_features)
    at = {m: k for k, m in enumerate(messages)}
    alice = None if game.lam is not None else {str(a): a for a in range(game.alice_messages)}
    names = (alice, at)  # a quantal Alice's messages are belief vectors (Definition 10)
    rule: Rule = []
    for xb in game.sender_features:
        entry = _object(rows[xb], f"{where}.{xb}")
        nested = [isinstance(v, dict) for v in entry.values()]
        if not any(nested):
            rule.append(_row(entry, f"{where}.{xb}", at))
            continue
        require(all(nested), f"{where}.{xb}: rows by message and by history mixed")
        require(
            not any(
                SEPARATOR in m or m.startswith(SEPARATOR[1:]) or m.endswith(SEPARATOR[:-1])
                for m in messages
            ),
            f"{where}.{xb}: the messages cannot be keyed by history (one holds {SEPARATOR!r})",
        )
        table: dict = {}
        for key, row in entry.items():
            history = _history(key, f"{where}.{xb}", game.rounds, names, len(game.actions))
            require(history not in table, f"{where}.{xb}: {_short(key)} names a history twice")
            table[history] = _row(_object(row, f"{where}.{xb}.{key}"), f"{where}.{xb}.{key}", at)
        rule.append(table)
    return rule


def _object(value: Any, where: str) -> dict:
    """A JSON object, with no key twice."""
    return fields(value, where, (), tuple(value) if isinstance(value, dict) else ())


def _row(value: dict, where: str, at: dict[str, int]) -> list[Fraction]:
    """A distribution ``{message: p}`` over the messages indexed by ``at``."""
    probs = [ZERO] * len(at)
    for m, p in value.items():
        require(m in at, f"{where}: unknown key {_short(m)}")
        probs[at[m]] = _probability(p, f"{where}.{m}")
    require(sum(probs) == 1, f"{where}: probabilities do not sum to 1")
    return probs


def _history(
    key: str, where: str, rounds: int, names: tuple[dict | None, dict], actions: int
) -> tuple:
    """The history a key names: Alice's message, then answer and Alice's message per later
    round, joined by :data:`SEPARATOR` (at most ``2 rounds - 1`` messages); Alice's names None:
    her messages are belief vectors ``"[p, q]"``, one exact number per action."""
    parts = key.split(SEPARATOR, 2 * rounds - 1)
    require(
        len(parts) % 2 == 1 and len(parts) <= 2 * rounds - 1 and SEPARATOR not in parts[-1],
        f"{where}: {_short(key)} is not a history of {rounds} round(s)",
    )
    history: list = []
    for t, part in enumerate(parts):
        if t % 2 == 0 and names[0] is None:
            body = part.strip()
            items = body[1:-1].split(",")
            require(
                body[:1] == "[" and body[-1:] == "]" and len(items) == actions,
                f"{where}: {_short(key)}: {_short(part)} is not a belief vector of {actions}",
            )
            history.append(tuple(number(v.strip(), f"{where}.{key}", decimals=True) for v in items))
            continue
        require(part in names[t % 2], f"{where}: {_short(key)} names an unknown message")
        history.append(names[t % 2][part])
    return tuple(history)


def _short(key: str) -> str:
    return repr(key) if len(key) <= 40 else repr(key[:37] + "...")


def read_profile(value: Any, game: Game) -> list[Rule]:
    """A ``persuasion-profile/1`` object: one conversation rule per sender of the instance."""
    p = fields(value, "profile", ("format", "rules"))
    require(
        p["format"] == "persuasion-profile/1", "profile.format: expected 'persuasion-profile/1'"
    )
    rules = fields(p["rules"], "profile.rules", game.names)
    return [
        read_rule(rules[name], f"profile.rules.{name}", game, game.messages[i])
        for i, name in enumerate(game.names)
    ]


def answer(rule: Rule, xb: int, history: tuple, where: str) -> list[Fraction]:
    """``pi(. | x_B, h)``; :class:`Invalid` when a table has no row for a history reached."""
    entry = rule[xb]
    if isinstance(entry, dict):
        row = entry.get(history)
        require(row is not None, f"{where}: no row for the reached history {list(history)}")
        return row
    return entry


# --------------------------------------------------------------------------- Alice


def check_size(game: Game, counts: list[int]) -> None:
    """Refuse, before any work, a conversation whose walk passes ``MAX_CONVERSATION_NODES``:
    ``cells * (sum_{r<R} T_r + T_R (1 + |A|))`` with ``T_r = (n^k prod |M_i|)^r`` transcripts
    after ``r`` rounds (never more than the engine's count of the tree's nodes)."""
    cells = sum(1 for table in game.prior for row in table for p in row if p)
    grow = game.alice_messages ** len(counts)
    for c in counts:
        grow *= c
    work, transcripts = 0, 1
    for _ in range(game.rounds):  # each round adds at least one step per cell
        work += cells * transcripts
        transcripts *= grow
        if work > limits.MAX_CONVERSATION_NODES:
            break
    work += cells * transcripts * (1 + len(game.actions))
    require(
        work <= limits.MAX_CONVERSATION_NODES,
        f"instance: the conversation takes more than MAX_CONVERSATION_NODES = "
        f"{limits.MAX_CONVERSATION_NODES} steps ({game.rounds} round(s), message counts "
        f"{', '.join(map(str, counts[:8]))})",
    )


def alice(game: Game, heard: list[tuple[Rule, int, str]]) -> Matrix:
    """The joint distribution of action and state (Definition 5) when Alice best-responds
    (Definition 6) to the rules ``heard``: ``(rule, message count, where)`` per sender."""
    check_size(game, [count for _, count, _ in heard])
    dist = [[ZERO] * len(game.states) for _ in game.actions]
    vectors = list(itertools.product(range(game.alice_messages), repeat=len(heard)))
    answers = list(itertools.product(*(range(count) for _, count, _ in heard)))
    for table in game.prior:
        cells = [(xb, y, p) for xb, row in enumerate(table) for y, p in enumerate(row) if p]
        if cells:
            levels = _forward(game, heard, cells, vectors, answers)
            choices = _backward(game, levels, cells, len(vectors), len(answers))
            _collect(dist, levels, choices, cells, len(vectors), len(answers))
    return dist


def _forward(game: Game, heard, cells, vectors, answers) -> list[list]:
    """Per round, Alice's information sets ``(histories, weights per cell)`` (None: no mass), the
    children of set ``s`` and vector ``v`` at ``(s * |vectors| + v) * |answers| + b``."""
    levels = [[(((),) * len(heard), [p for *_, p in cells])]]
    for _ in range(game.rounds):
        level = []
        for histories, weights in levels[-1]:
            for vector in vectors:
                if weights is None:
                    level += [(None, None)] * len(answers)
                    continue
                asked = [h + (m,) for h, m in zip(histories, vector, strict=True)]
                present = {xb for (xb, _, _), w in zip(cells, weights, strict=True) if w}
                rows = [
                    {xb: answer(rule, xb, h, where) for xb in present}
                    for (rule, _, where), h in zip(heard, asked, strict=True)
                ]
                for said in answers:
                    factor = {xb: _product(rows, said, xb) for xb in present}
                    new = [
                        w * factor[xb] if w else ZERO
                        for (xb, _, _), w in zip(cells, weights, strict=True)
                    ]
                    level.append(
                        (
                            tuple(h + (b,) for h, b in zip(asked, said, strict=True)),
                            new if any(new) else None,
                        )
                    )
        levels.append(level)
    return levels


def _product(rows: list[dict], said: tuple[int, ...], xb: int) -> Fraction:
    p = Fraction(1)
    for row, b in zip(rows, said, strict=True):
        p *= row[xb][b]
        if not p:
            break
    return p


def _backward(game: Game, levels: list[list], cells, nv: int, na: int) -> list[list[int]]:
    """Alice's move at every information set: her action at the last level, her vector before."""
    values, choices = [], []
    for _, weights in levels[-1]:
        if weights is None:
            values.append(ZERO)
            choices.append(game.tie_break[0])
            continue
        posterior = [ZERO] * len(game.states)
        for (_, y, _), w in zip(cells, weights, strict=True):
            posterior[y] += w
        a = best_action(game, posterior)
        choices.append(a)
        values.append(sum((w * u for w, u in zip(posterior, game.alice[a], strict=True)), ZERO))
    moves = [choices]
    for level in reversed(levels[:-1]):
        chosen, worth = [], []
        for s in range(len(level)):
            sums = [sum(values[(s * nv + v) * na : (s * nv + v + 1) * na], ZERO) for v in range(nv)]
            top = max(sums)
            chosen.append(sums.index(top))
            worth.append(top)
        values = worth
        moves.append(chosen)
    return moves[::-1]


def _collect(dist: Matrix, levels, choices, cells, nv: int, na: int) -> None:
    """Add to ``dist`` the mass Alice's rule leads to each action and state."""
    followed = [0]
    for r in range(len(levels) - 1):
        followed = [(s * nv + choices[r][s]) * na + b for s in followed for b in range(na)]
    for s in followed:
        weights = levels[-1][s][1]
        if weights is not None:
            a = choices[-1][s]
            for (_, y, _), w in zip(cells, weights, strict=True):
                dist[a][y] += w


# --------------------------------------------------------------------------- theorem 1


def messages_used(rule: Rule) -> int:
    """One more than the last message the rule ever sends, at any history."""
    return scheme_messages_used(
        [r for entry in rule for r in (entry.values() if isinstance(entry, dict) else [entry])]
    )


def as_sender(rule: Rule, count: int) -> Rule:
    """``rule`` played by a sender with ``count`` messages (message k for k)."""

    def fit(row: list[Fraction]) -> list[Fraction]:
        return row[:count] + [ZERO] * (count - len(row))

    return [
        {h: fit(row) for h, row in entry.items()} if isinstance(entry, dict) else fit(entry)
        for entry in rule
    ]


def _aligned(game: Game, witness: Any) -> tuple[Rule, Matrix, Fraction]:
    """Definition 8 in a conversation: ``C*`` (the senders' largest alphabet, ``"0"``, ...),
    the distribution it induces heard alone, and ``U_A(C*)``, proven optimal by equalling the
    first-best ``OPT`` (Definition 2), which no protocol exceeds."""
    m = max(len(ms) for ms in game.messages)
    aligned = fields(witness, "witnesses.aligned", ("rule",))
    c_star = read_rule(
        aligned["rule"], "witnesses.aligned.rule", game, tuple(str(k) for k in range(m))
    )
    alone = alice(game, [(c_star, m, "witnesses.aligned.rule")])
    value, opt = utilities(game, alone)[0], first_best(game)
    require(
        value == opt,
        f"witnesses.aligned: C* gives Alice {value}, the first-best OPT is {opt}: "
        "U_A(C*) is not proven optimal",
    )
    return c_star, alone, value


def _deviations(game: Game, heard: list, c_star: Rule) -> list[Matrix | None]:
    """Per sender, the distribution when they alone switch to ``C*`` (None: too few
    messages to play it)."""
    dists: list[Matrix | None] = []
    for i, count in enumerate(len(ms) for ms in game.messages):
        if messages_used(c_star) > count:
            dists.append(None)
            continue
        played = (as_sender(c_star, count), count, "witnesses.aligned.rule")
        dists.append(alice(game, heard[:i] + [played] + heard[i + 1 :]))
    return dists


def playable(game: Game, wanted: str, name: str) -> None:
    """The claim ``name`` is about the ``wanted`` game and a best-responding Alice."""
    require(
        game.game == wanted,
        f"instance: the claim is about the {wanted} game, the instance plays {game.game}",
    )
    require(game.lam is None, f"instance: {name} needs a best-responding Alice")


def selection(
    cert: dict, game: Game, wit: dict, w: list[Fraction]
) -> tuple[list[Matrix], Matrix, Fraction, bool]:
    """Definition 16 in a conversation, for Theorem 6: per sender, the distribution of their
    conversation alone with Alice (her best response, :func:`alice` hearing them only -- the
    instance with the others removed); C*'s alone and ``U_A(C*)`` (proven optimal,
    :func:`_aligned`); whether every weighted sender has the messages C* uses."""
    profile = read_profile(cert["profile"], game)
    c_star, c_star_alone, value = _aligned(game, wit["aligned"])
    alone = [
        alice(game, [(rule, len(game.messages[i]), f"profile.rules.{name}")])
        for i, (rule, name) in enumerate(zip(profile, game.names, strict=True))
    ]
    used = messages_used(c_star)
    able = all(used <= len(game.messages[i]) for i, wi in enumerate(w) if wi)
    return alone, c_star_alone, value, able


def theorem_1(cert: dict, game: Game) -> tuple[bool, dict]:
    """Theorem 1 in a conversation, with the gains of the deviations to ``C*``:
    ``U_A(profile) >= U_A(C*) - 2 eps - sum_i w_i g_i``.

    Chain: fit + dual => eps exact; C* heard alone gives Alice the first-best OPT =>
    U_A(C*) exact (nothing does better, Definitions 2 and 8); the profile's outcome and
    each sender's deviation to C* (Alice's best-response conversation, the kernel's own);
    Definition 9 at the profile (the weighted senders' deviations induce one distribution);
    then every inequality of the proof.  ``holds`` is Definition 9 at this profile.
    """
    from persuasion.checker.claims import alignment, chain_of_theorem, witnesses

    playable(game, "simultaneous", "theorem-1")
    check_size(game, [len(ms) for ms in game.messages])
    wit = witnesses(cert, "fit", "lower_bound", "aligned")
    eps, w, c = alignment(game, wit, simplex=False)
    profile = read_profile(cert["profile"], game)
    c_star, alone, value = _aligned(game, wit["aligned"])
    heard = [
        (rule, len(game.messages[i]), f"profile.rules.{name}")
        for i, (rule, name) in enumerate(zip(profile, game.names, strict=True))
    ]
    now_alice, now = utilities(game, alice(game, heard))
    dists = _deviations(game, heard, c_star)
    gains = [
        None if d is None else max(ZERO, utilities(game, d)[1][i] - now[i])
        for i, d in enumerate(dists)
    ]
    weighted = [dists[i] for i, wi in enumerate(w) if wi]
    identical = None not in weighted and all(d == weighted[0] for d in weighted)
    bound = None
    if all(g is not None for g, wi in zip(gains, w, strict=True) if wi):
        bound = value - 2 * eps - sum((wi * g for wi, g in zip(w, gains, strict=True) if wi), ZERO)
    if identical:
        dev_alice, dev = utilities(game, weighted[0] if weighted else alone)
        chain_of_theorem(
            now_alice, now, dev_alice, dev, value, w, c, eps, [g or ZERO for g in gains]
        )
        require(now_alice >= bound, "proof: Alice's utility is below the bound")
    return identical, {
        "alice_utility": now_alice,
        "aligned_value": value,
        "epsilon": eps,
        "weights": w,
        "gains": gains,
        "bound": bound,
        "identical_induced_distributions": identical,
    }


__all__ = ["Invalid", "alice", "playable", "read_profile", "read_rule", "selection", "theorem_1"]
