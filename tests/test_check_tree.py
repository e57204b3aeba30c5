"""The branch-and-bound tree witness of a limited-message upper bound
(docs/explanation/certificates.md).

The producer (:func:`persuasion.witnesses.bounds.tree_witness`) builds a tree of exact leaf duals;
the kernel (:func:`persuasion.checker.bounds.upper_bound`) re-derives every leaf's bound from the
multipliers alone.  Compared with brute force: the best obedience LP over every set of at most
``m`` vectors (the relaxation the set witness proves), and the limited supremum of
:func:`persuasion.limited.by_subsets` (sets with room), which no valid bound may undercut.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
from fractions import Fraction as F

import pytest
from hypothesis import given, settings, strategies as st

from persuasion.cells import certified_responses
from persuasion.witnesses import bounds as producer
from persuasion.checker import Invalid
from persuasion.checker.bounds import Problem, upper_bound
from persuasion.limited import by_subsets
from persuasion.lp import solve
from persuasion.model import silent_profile
from persuasion.obedience import best_response_program
from persuasion.problem import deviation_problem
from persuasion.testing import instances


def kernel_problem(problem) -> Problem:
    """The kernel's view of a solver problem (same situation numbering: the kernel's own is
    compared with the solver's in tests/test_forgery.py)."""
    return Problem(
        [[list(row) for row in t] for t in problem.alice_values],
        [[list(row) for row in t] for t in problem.sender_values],
        problem.messages,
        [problem.rank(a) for a in range(problem.num_actions)],
    )


def witness(problem, value):
    """A tree witness for ``problem`` (the producer's), round-tripped through JSON, and its stated
    bound."""
    pruned: list = []
    vectors = certified_responses(problem, pruned)
    tree, bound = producer.tree_witness(problem, vectors, problem.messages, value)
    w = {
        "vectors": [list(r) for r in vectors],
        "pruned": [producer.motzkin(problem, a) for a in pruned],
        "tree": tree,
    }
    return json.loads(json.dumps(w)), bound, vectors


def relaxation(problem, vectors) -> F:
    """Brute force: the best obedience LP (ties to the sender) over every set of at most ``m``
    vectors."""
    best = None
    for size in range(1, problem.messages + 1):
        for chosen in itertools.combinations(vectors, size):
            result = solve(best_response_program(problem, list(chosen)).lp)
            if result.status == "optimal":
                best = result.value if best is None else max(best, result.value)
    return best


def nodes(tree) -> int:
    stack, count = [tree], 0
    while stack:
        node = stack.pop()
        count += 1
        if "branch" in node:
            stack += [node["in"], node["out"]]
    return count


@st.composite
def limited_problems(draw):
    """A first sender's deviation problem with fewer messages than sender features (about one in
    ten needs branching: measured while writing this test)."""
    inst = draw(instances(max_states=4, max_actions=3, max_senders=2, max_alice_features=2))
    problem = deviation_problem(inst, silent_profile(inst), 0)
    return dataclasses.replace(problem, messages=draw(st.integers(1, problem.num_features - 1)))


@settings(max_examples=60, deadline=None)
@given(limited_problems(), st.data())
def test_the_tree_bound_is_the_best_set_relaxation(problem, data):
    """Closed or not, a full tree proves exactly the best LP over sets of at most ``m`` vectors
    (what the set witness proves), never less than the limited supremum; the kernel derives the
    producer's bound. With a target below the truth nothing closes early and the whole tree is
    walked."""
    found = by_subsets(problem, certified_responses(problem))
    supremum = found[0] if found else None
    brute = relaxation(problem, certified_responses(problem))
    value = supremum if supremum is not None else brute
    value = data.draw(
        st.sampled_from([value, value - 1, brute])
    )  # a value below forces the tree open
    w, bound, vectors = witness(problem, value)
    assert upper_bound(w, "w", kernel_problem(problem)) == bound
    assert bound == max(brute, value) if value <= brute else bound <= value
    if supremum is not None:
        assert bound >= supremum


# found by a hypothesis search: the root relaxation spreads three vectors over two messages
BRANCHING = {
    "format": "persuasion-instance/1",
    "name": "branching",
    "states": ["y0", "y1", "y2"],
    "actions": ["a0", "a1"],
    "features": {"alice": ["xa0", "xa1", "xa2"], "senders": ["xb0", "xb1", "xb2"]},
    "prior": [
        {"alice": f"xa{a}", "senders": f"xb{b}", "state": f"y{y}", "p": f"{n}/59"}
        for a, rows in enumerate(
            [
                [[3, 3, 3], [4, 1, 0], [3, 3, 2]],
                [[2, 3, 4], [1, 4, 2], [2, 4, 4]],
                [[2, 4, 0], [0, 0, 2], [1, 0, 2]],
            ]
        )
        for b, row in enumerate(rows)
        for y, n in enumerate(row)
        if n
    ],
    "alice": {"utility": [["1/3", "3/4", "0"], ["1", "1/4", "1/4"]]},
    "senders": [{"name": "bob", "utility": [["0", "1", "2/3"], ["0", "0", "1"]], "messages": 2}],
    "protocol": {"tie_break": ["a1", "a0"]},
}


def branching_problem():
    from persuasion.instance import parse_instance
    from persuasion.problem import oblivious_problem

    return oblivious_problem(parse_instance(copy.deepcopy(BRANCHING), "branching"), 0)


def test_a_tree_branches_and_closes_at_the_supremum():
    """Pinned: 4 inducible vectors, 2 messages; the root relaxation (three vectors used
    fractionally) is above the supremum 29/59, which the best pair of vectors reaches; branching on
    the heaviest vector closes the tree in 5 nodes, and the kernel derives 29/59."""
    problem = branching_problem()
    vectors = certified_responses(problem)
    assert len(vectors) == 4 and by_subsets(problem, vectors)[0] == F(29, 59) == relaxation(
        problem, vectors
    )
    _, _, _, root = producer.leaf_dual(problem, vectors, 2, set(), set())
    assert root > F(29, 59)
    w, bound, _ = witness(problem, F(29, 59))
    assert bound == F(29, 59) and upper_bound(w, "w", kernel_problem(problem)) == F(29, 59)
    assert nodes(w["tree"]) == 5


def test_the_aligned_tree_closes_at_its_root(catalog):
    """Three equally likely states, Alice matches the state, two messages: ``U_A(C*) = 2/3``, proved
    by the root relaxation alone (``rho = 1/3``: each vector is worth 1/3 and only two can be
    used)."""
    from persuasion.problem import aligned_problem

    problem = aligned_problem(catalog("aligned-3-states-2-messages"))
    w, bound, _ = witness(problem, F(2, 3))
    assert bound == F(2, 3) and upper_bound(w, "w", kernel_problem(problem)) == F(2, 3)
    assert w["tree"] == {"mu": ["0", "0", "0"], "lambda": [], "rho": "1/3"}


# --------------------------------------------------------------------------- forgeries


@pytest.fixture(scope="module")
def pinned():
    """The pinned branching tree (root on vector 1; "in" branches on 0; "out" is a leaf) and its
    problem."""
    problem = branching_problem()
    w, _, _ = witness(problem, F(29, 59))
    assert w["tree"]["branch"] == 1 and w["tree"]["in"]["branch"] == 0 and "mu" in w["tree"]["out"]
    return w, kernel_problem(problem)


def at(tree, path):
    for key in path:
        tree = tree[key]
    return tree


def forged(w, change):
    bad = copy.deepcopy(w)
    change(bad["tree"])
    return bad


FORGERIES = {
    "not an object": (
        lambda t: t.update({"in": [1, 2]}),
        r"tree\.in: expected an object, got a list",
    ),
    "a null child": (lambda t: t.update({"out": None}), r"tree\.out: expected an object, got null"),
    "both shapes": (lambda t: t.update({"mu": ["0"]}), r"tree: unknown key 'mu'"),
    "neither shape": (lambda t: (t.clear(), t.update({"leaf": 1})), r"tree: unknown key 'leaf'"),
    "a missing child": (lambda t: t.pop("out"), r"tree: missing 'out'"),
    "branch out of range": (
        lambda t: t.update({"branch": 4}),
        r"tree\.branch: index 4 out of range",
    ),
    "branch as a bool": (
        lambda t: t.update({"branch": True}),
        r"tree\.branch: expected an index, got true",
    ),
    "branch twice on one vector": (
        lambda t: t["in"].update({"branch": 1}),
        r"tree\.in\.branch: vector 1 is already fixed on this path",
    ),
    "negative rho": (lambda t: t["out"].update({"rho": "-1"}), r"tree\.out\.rho: negative"),
    "rho as a float": (
        lambda t: t["out"].update({"rho": 0.5}),
        r"tree\.out\.rho: expected an exact number",
    ),
    "short mu": (lambda t: t["out"]["mu"].pop(), r"tree\.out\.mu: expected 3 entries, got 2"),
    "negative lambda": (
        lambda t: t["out"]["lambda"].append([0, 0, 0, "-1"]),
        r"tree\.out\.lambda\[2\]: not a non-negative multiplier",
    ),
    "lambda on the vector's own action": (
        lambda t: t["out"]["lambda"].append([0, 0, 1, "1"]),
        r"tree\.out\.lambda\[2\]: not a non-negative multiplier",
    ),
    "lambda on an excluded vector": (
        lambda t: t["out"]["lambda"].append([1, 0, 0, "0"]),
        r"tree\.out\.lambda\[2\]: vector 1 is fixed out on this path",
    ),
    "lambda moved to an excluded vector": (
        lambda t: t["out"]["lambda"][0].__setitem__(0, 1),
        r"tree\.out\.lambda\[0\]: vector 1 is fixed out on this path",
    ),
    "a leaf without rho": (lambda t: t["in"]["in"].pop("rho"), r"tree\.in\.in: missing 'rho'"),
    "a leaf with an unknown key": (
        lambda t: t["in"]["out"].update({"bound": "0"}),
        r"tree\.in\.out: unknown key 'bound'",
    ),
}


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_every_forgery_is_invalid(pinned, name):
    w, problem = pinned
    assert upper_bound(w, "w", problem) == F(29, 59)
    change, message = FORGERIES[name]
    with pytest.raises(Invalid, match=message):
        upper_bound(forged(w, change), "w", problem)


def test_sets_and_tree_together_or_neither_are_invalid(pinned):
    w, problem = pinned
    with pytest.raises(Invalid, match="exactly one of 'sets' and 'tree'"):
        upper_bound(dict(w, sets=[]), "w", problem)
    with pytest.raises(Invalid, match="exactly one of 'sets' and 'tree'"):
        upper_bound({k: v for k, v in w.items() if k != "tree"}, "w", problem)


def test_swapping_in_and_out_proves_nothing_false(pinned):
    """The leaves' multipliers belong to their boxes: exchanged, they prove a bound that is either
    refused or still at least the supremum (here the lambda of a now excluded vector is refused)."""
    w, problem = pinned

    def swap(t):
        t["in"], t["out"] = t["out"], t["in"]

    try:
        assert upper_bound(forged(w, swap), "w", problem) >= F(2, 3)
    except Invalid:
        pass


def test_a_hostile_deep_tree_is_walked_without_recursion(pinned):
    """A chain 100,000 branches deep (only in memory: a file cannot nest past MAX_NESTING): the walk
    is iterative, and a path can fix each vector once, so the chain is refused at its fifth
    branch."""
    w, problem = pinned
    node = w["tree"]["out"]
    for k in range(100_000):
        node = {"branch": k % 4, "in": node, "out": w["tree"]["out"]}
    with pytest.raises(
        Invalid, match=r"(\.in){4}\.branch: vector \d is already fixed on this path"
    ):
        upper_bound(dict(w, tree=node), "w", problem)


def test_a_huge_leaf_is_refused_by_the_budget_before_its_work(pinned):
    """The budget counts every leaf's ``s_k`` and ``lambda`` work per ``x_B`` before doing it:
    400,000 harmless zero multipliers (6 MB, under MAX_FILE_BYTES) cost 1.2 million steps, and are
    refused; 100,000 of them are walked and change nothing."""
    w, problem = pinned
    many = forged(w, lambda t: t["out"]["lambda"].extend([[0, 0, 0, "0"]] * 400_000))
    with pytest.raises(Invalid, match="tree walk exceeds MAX_OUTCOME_TERMS = 1000000 steps"):
        upper_bound(many, "w", problem)
    fewer = forged(w, lambda t: t["out"]["lambda"].extend([[0, 0, 0, "0"]] * 100_000))
    assert upper_bound(fewer, "w", problem) == F(29, 59)


def test_an_empty_box_may_carry_any_multipliers(pinned):
    """A leaf fixing more vectors in than the sender's two messages holds no scheme: the formula
    (``- rho`` for each vector in beyond ``m``) lets it bound its box by anything, here -1000."""
    w, problem = pinned
    sender = branching_problem()
    vectors = certified_responses(sender)

    def leaf(fixed_in, fixed_out):
        mu, lambdas, rho, bound = producer.leaf_dual(
            sender, vectors, 2, fixed_in, fixed_out, ceiling=F(1, 7)
        )
        return {"mu": mu, "lambda": lambdas, "rho": rho}, bound

    empty = {"mu": ["0", "0", "0"], "lambda": [], "rho": "1000"}
    (a, ba), (b, bb), (c, bc) = leaf({0, 1}, {2}), leaf({0}, {1}), leaf(set(), {0})
    assert (
        ba is None
    )  # no scheme uses exactly vectors 0 and 1: multipliers down the dual's ray, to 1/7
    assert producer.leaf_dual(sender, vectors, 2, {0, 1}, {2}) is None
    tree = {
        "branch": 0,
        "in": {"branch": 1, "in": {"branch": 2, "in": empty, "out": a}, "out": b},
        "out": c,
    }
    assert upper_bound(dict(w, tree=tree), "w", problem) == max(bb, bc) == F(29, 59)
    for moved in ({**tree, "out": a}, {**tree, "in": {**tree["in"], "out": a}}):  # out of their box
        with pytest.raises(Invalid, match="is fixed out on this path"):
            upper_bound(dict(w, tree=moved), "w", problem)


def test_the_documented_tree_checks(pinned):
    """docs/explanation/certificates.md shows the pinned tree: the kernel accepts it as printed
    there."""
    from pathlib import Path

    page = (
        Path(__file__).resolve().parent.parent / "docs" / "explanation" / "certificates.md"
    ).read_text()
    block = next(b for b in page.split("```json\n")[1:] if b.startswith('{"branch": 1,')).split(
        "```"
    )[0]
    w, problem = pinned
    assert upper_bound(dict(w, tree=json.loads(block)), "w", problem) == F(29, 59)


# found by a search over aligned-looking games with Alice types: a MILP decides it, a tree proves it
MILP_TREE = {
    "format": "persuasion-instance/1",
    "name": "milp-tree",
    "states": ["y0", "y1", "y2", "y3"],
    "actions": ["a0", "a1", "a2", "a3"],
    "features": {"alice": ["t0", "t1", "t2", "t3"], "senders": ["y0", "y1", "y2", "y3"]},
    "prior": [
        {"alice": f"t{t}", "senders": f"y{y}", "state": f"y{y}", "p": f"{n}/35"}
        for t, row in enumerate([[2, 4, 3, 1], [3, 2, 3, 3], [2, 3, 1, 1], [2, 2, 1, 2]])
        for y, n in enumerate(row)
    ],
    "alice": {
        "utility": [
            ["1", "1/4", "0", "1/4"],
            ["0", "1", "0", "0"],
            ["0", "1/4", "1", "1/4"],
            ["1/4", "1/4", "0", "1"],
        ]
    },
    "senders": [
        {
            "name": "bob",
            "utility": [
                ["1", "0", "1/2", "1/4"],
                ["0", "1", "1/2", "1/2"],
                ["0", "0", "1", "0"],
                ["0", "1/4", "1/4", "1"],
            ],
            "messages": 3,
        }
    ],
    "protocol": {"tie_break": ["a3", "a1", "a2", "a0"]},
}


def test_certify_then_check_a_tree_certificate(console, tmp_path):
    """The installed program, as a user runs it: Theorem 7 on an instance whose oblivious sender has
    28 inducible vectors and 3 messages (3,276 sets, beyond SUBSET_LIMIT). The best response's value
    31/35 was the MILP solver's word when this was written; the best response's branch and bound now
    proves it with a 3-node tree, and the certificate carries that tree (the producer's own search
    made 7 nodes), where the one-set bound over all vectors proves only 1. ``persuasion check`` says
    VALID; the kernel derives 31/35."""
    import math

    from persuasion.checker.game import read_game
    from persuasion.checker.bounds import problem as kernel_sender
    from persuasion.instance import load_instance
    from persuasion.problem import oblivious_problem
    from persuasion.sender import best_response

    path = tmp_path / "milp-tree.json"
    path.write_text(json.dumps(MILP_TREE))
    sender = oblivious_problem(load_instance(path), 0)
    vectors = certified_responses(sender)
    assert (len(vectors), sender.messages) == (28, 3) and math.comb(28, 3) > producer.SUBSET_LIMIT
    best = best_response(sender, F(1, 1000))
    assert (best.value, best.method, best.optimality) == (F(31, 35), "branch-and-bound", "exact")
    assert producer.dual_bound(sender, vectors)[2] == 1
    made = console("certify", str(path), "--claim", "theorem-7", "--out", str(tmp_path / "certs"))
    assert made.returncode == 0, made.stderr
    checked = console("check", str(tmp_path / "certs" / "theorem-7.json"))
    assert (checked.returncode, checked.stderr) == (0, "") and checked.stdout.startswith(
        "VALID: theorem-7 "
    ), checked
    cert = json.loads((tmp_path / "certs" / "theorem-7.json").read_text())
    bound = cert["witnesses"]["oblivious"]["bob"]["bound"]
    assert bound["tree"] == best.tree.to_witness(vectors) and nodes(bound["tree"]) == 3
    assert nodes(producer.tree_witness(sender, vectors, 3, F(31, 35))[0]) == 7
    game = read_game(cert["instance_text"].encode())
    assert upper_bound(bound, "bound", kernel_sender(game, game.utilities[0], 3)) == F(31, 35)


@pytest.mark.parametrize("budget", [40, 80, 160, 1_000_000])
def test_the_producer_keeps_within_the_kernels_budget(monkeypatch, budget):
    """With a smaller MAX_OUTCOME_TERMS the producer stops branching earlier (a weaker, still valid
    bound) and the kernel, under the same limit, accepts the tree and derives the producer's
    bound."""
    from persuasion import limits

    monkeypatch.setattr(limits, "MAX_OUTCOME_TERMS", budget)
    problem = branching_problem()
    w, bound, _ = witness(problem, F(29, 59))
    assert upper_bound(w, "w", kernel_problem(problem)) == bound >= F(29, 59)
    assert (nodes(w["tree"]), bound) == {
        40: (1, F(148, 295)),
        80: (3, bound),
        160: (5, F(29, 59)),
        1_000_000: (5, F(29, 59)),
    }[budget]


@st.composite
def any_tree(draw, vectors, problem, depth=0, fixed=()):
    """A tree of arbitrary shape over ``vectors`` with arbitrary sign-correct multipliers (not a
    solver's)."""
    free = [k for k in range(len(vectors)) if k not in dict(fixed)]
    if free and depth < 3 and draw(st.booleans()):
        k = draw(st.sampled_from(free))
        return {
            "branch": k,
            "in": draw(any_tree(vectors, problem, depth + 1, fixed + ((k, True),))),
            "out": draw(any_tree(vectors, problem, depth + 1, fixed + ((k, False),))),
        }
    small = st.fractions(min_value=-2, max_value=2, max_denominator=4)
    rows = [
        (k, t, b)
        for k, r in enumerate(vectors)
        if dict(fixed).get(k) is not False
        for t in range(len(r))
        for b in range(problem.num_actions)
        if b != r[t]
    ]
    lambdas = (
        draw(
            st.lists(
                st.tuples(st.sampled_from(rows), st.fractions(0, 3, max_denominator=4)), max_size=6
            )
        )
        if rows
        else []
    )
    return {
        "mu": [str(draw(small)) for _ in range(problem.num_features)],
        "lambda": [[k, t, b, str(y)] for (k, t, b), y in lambdas],
        "rho": str(draw(st.fractions(0, 2, max_denominator=4))),
    }


@settings(max_examples=60, deadline=None)
@given(limited_problems(), st.data())
def test_any_tree_the_kernel_accepts_bounds_every_set(problem, data):
    """Soundness without trusting the producer: whatever shape and multipliers a tree has (arbitrary
    ones, or the producer's moved off their optimum), the bound the kernel derives is at least the
    best obedience LP over every set of at most ``m`` vectors (brute force), hence the limited
    supremum."""
    pruned: list = []
    vectors = certified_responses(problem, pruned)
    tree = data.draw(any_tree(vectors, problem))
    w = {
        "vectors": [list(r) for r in vectors],
        "pruned": [producer.motzkin(problem, a) for a in pruned],
        "tree": tree,
    }
    brute = relaxation(problem, vectors)
    assert upper_bound(json.loads(json.dumps(w)), "w", kernel_problem(problem)) >= brute
    # near-optimal multipliers, moved: the producer's tree with rho and mu raised in every leaf
    made, _, _ = witness(problem, brute)
    stack, more_rho, more_mu = (
        [made["tree"]],
        data.draw(st.fractions(0, 5)),
        data.draw(st.fractions(-1, 1)),
    )
    while stack:
        node = stack.pop()
        if "branch" in node:
            stack += [node["in"], node["out"]]
        else:
            node["rho"] = str(F(node["rho"]) + more_rho)
            node["mu"][0] = str(F(node["mu"][0]) + more_mu)
    assert upper_bound(made, "w", kernel_problem(problem)) >= brute


@pytest.mark.parametrize(
    "name, limit, expected",
    [
        ("TREE_LP_LIMIT", 60, 1),
        ("TREE_NODE_LIMIT", 2, 1),
        ("TREE_DEPTH_LIMIT", 1, 3),
        ("TREE_LP_LIMIT", 10**6, 5),
    ],
)
def test_the_producers_budgets_leave_open_leaves_with_a_valid_bound(
    monkeypatch, name, limit, expected
):
    """Past a budget (LP columns, nodes, depth) the producer keeps open nodes as leaves: fewer
    nodes, a bound between the supremum and the root's, which the kernel derives."""
    monkeypatch.setattr(producer, name, limit)
    problem = branching_problem()
    w, bound, _ = witness(problem, F(29, 59))
    assert nodes(w["tree"]) == expected
    assert (
        F(29, 59) <= bound <= F(148, 295) and upper_bound(w, "w", kernel_problem(problem)) == bound
    )


@pytest.mark.parametrize(
    "seed, senders, messages",
    [
        (0, 3, 2),
        (1, 3, 1),
        (4, 3, 1),
        (8, 2, 1),
        (8, 2, 2),
        (10, 3, 2),
        (10, 2, 2),
        (10, 3, 1),
        (11, 2, 2),
        (11, 3, 1),
    ],
)
def test_the_best_responses_own_tree_is_written_renumbered_and_the_kernel_derives_its_value(
    seed, senders, messages
):
    """``certify`` writes the tree with which the best response's branch and bound proved its value
    (renumbered into the witness's list of vectors) instead of searching again; the kernel, reading
    the JSON, derives exactly that value -- with the list reversed too, so the renumbering is
    exercised. (Generated problems whose branch and bound closes its tree: found by trying seeds
    0-15.)"""
    from persuasion.experiments.families import Size, generate, random_profile
    from persuasion.sender import best_response

    inst = generate("random", seed, Size(senders, 3, 3))
    problem = dataclasses.replace(
        deviation_problem(inst, random_profile(inst, seed), 0), messages=messages
    )
    best = best_response(problem, F(1, 1000))
    assert best.method == "branch-and-bound" and best.tree.proven
    pruned: list = []
    vectors = certified_responses(problem, pruned)
    witness, bound = producer.upper_bound_witness(problem, best.value, best.tree)
    assert witness["tree"] == best.tree.to_witness(vectors) and bound == best.value
    assert upper_bound(json.loads(json.dumps(witness)), "w", kernel_problem(problem)) == best.value
    backwards = list(reversed(vectors))
    reversed_witness = {
        **witness,
        "vectors": [list(r) for r in backwards],
        "tree": best.tree.to_witness(backwards),
    }
    assert (
        upper_bound(json.loads(json.dumps(reversed_witness)), "w", kernel_problem(problem))
        == best.value
    )
    assert best.tree.to_witness(vectors[1:]) is None  # a vector the tree numbers is not listed
