"""Certificates of conversations (issue 11, point 3: "certify accepts them").

``definition-1`` does not depend on the protocol; ``theorem-1`` in a conversation is
proved with the gains of the deviations to ``C*`` (no bound on best deviations), the
kernel replaying Alice's best-response conversations itself
(:mod:`persuasion.checker.conversation`).  Certificates made by the installed program
must check VALID; forged ones INVALID; the kernel's Alice must agree with the engine's
(:mod:`persuasion.conversation.alice`); one-round certificates are unchanged.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import random
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import persuasion as ps
from conftest import ROOT
from persuasion.catalog import instance_file
from persuasion.checker import Invalid, check
from persuasion.checker.conversation import alice, read_profile
from persuasion.checker.game import read_game
from persuasion.checker.game import utilities as kernel_utilities
from persuasion.conversation import is_conversation
from persuasion.conversation.alice import best_conversation_rule
from persuasion.conversation.tree import compile_game
from persuasion.profile import dump_conversation_profile, parse_conversation_profile
from persuasion.testing import conversation_profiles, instances
from persuasion.witnesses.claims import instance_text

QUESTIONS = "collina-et-al-2025-two-round-questions"
SMALL = settings(max_examples=15, deadline=None)

OBLIVIOUS = {  # Appendix I: the prosecutor silent, the defense revealing guilt half the time
    "prosecutor": {"guilty": {"0": 1}, "innocent": {"0": 1}},
    "defense": {"guilty": {"0": "1/2", "1": "1/2"}, "innocent": {"0": 1}},
}
ASKED = {  # the defense reveals the state only when Alice says "1" (rules keyed by history)
    "prosecutor": {"guilty": {"0": 1}, "innocent": {"0": 1}},
    "defense": {
        "guilty": {"0": {"0": 1}, "1": {"1": 1}},
        "innocent": {"0": {"0": 1}, "1": {"0": 1}},
    },
}


def judge(tmp_path, rounds=1, alice_messages=2, messages=(2, 2)):
    """The judge-prosecutor game of Appendix I played as a conversation; its file."""
    data = json.loads((ROOT / "instances" / "judge-prosecutor.json").read_text())
    data["protocol"].update(rounds=rounds, alice_messages=alice_messages)
    for sender, count in zip(data["senders"], messages, strict=True):
        sender["messages"] = count
    path = tmp_path / f"judge-{rounds}-{alice_messages}-{'-'.join(map(str, messages))}.json"
    path.write_text(json.dumps(data))
    return path


def profile_file(tmp_path, name, rules):
    path = tmp_path / f"{name}.profile.json"
    path.write_text(json.dumps({"format": "persuasion-profile/1", "rules": rules}))
    return path


def questions_profile(tmp_path, name):
    rules = ps.catalog.entry(QUESTIONS).rules(name)
    return profile_file(tmp_path, name, rules)


def certified(console, tmp_path, instance, profile, *claims) -> dict:
    """The certificates ``persuasion certify`` writes, by claim (theorem-1 unless told)."""
    out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
    asked = [a for c in (claims or ("theorem-1",)) for a in ("--claim", c)]
    run = console("certify", str(instance), *([str(profile)] if profile else []), *asked,
                  "--out", str(out))  # fmt: skip
    assert run.returncode == 0, run.stderr
    return {p.stem: json.loads(p.read_text()) for p in out.iterdir()}


def checked(console, cert: dict, tmp_path) -> str:
    """What ``persuasion check`` prints about ``cert`` (its first line), via the program."""
    path = tmp_path / "cert.json"
    path.write_text(json.dumps(cert))
    run = console("check", str(path))
    return run.stdout.splitlines()[0] if run.stdout else run.stderr


# ---------------------------------------------------------------- valid, via the program


@pytest.mark.parametrize(
    ("name", "alice_utility"),
    [("truthful", "1"), ("first-answer-only", "1/2"), ("first-bit", "1/2")],
)
def test_two_round_questions_theorem_1(console, tmp_path, name, alice_utility):
    """The hand-solved two-question game: eps = 1/2 with weight 0 (the oracle's utility says
    nothing about Alice's), so the bound is U_A(C*) - 2 eps = 1 - 1 = 0; C* answers the two bits
    over the two rounds (two messages cannot name four states at once) and reaches OPT = 1."""
    cert = certified(console, tmp_path, QUESTIONS, questions_profile(tmp_path, name))["theorem-1"]
    assert checked(console, cert, tmp_path).startswith("VALID: theorem-1 holds: ")
    assert cert["conclusion"] == {
        "alice_utility": alice_utility,
        "aligned_value": "1",
        "epsilon": "1/2",
        "weights": ["0"],
        "gains": ["0"],
        "bound": "0",
        "identical_induced_distributions": True,
    }
    entry = ps.catalog.entry(QUESTIONS)
    assert F(alice_utility) == entry.answer("conversation_alice_utility", name)
    aligned = cert["witnesses"]["aligned"]["rule"]
    assert aligned["01"]["0"] == {"0": "1"} and aligned["01"]["1 > 0 > 0"] == {"1": "1"}
    game = ps.catalog.load(QUESTIONS)
    assert parse_conversation_profile(cert["profile"], game) == entry.conversation(name)


def test_definition_1_on_a_conversation(console, tmp_path):
    """Definition 1 (both variants) checks on a conversation; theorem-7 (one round) is left
    out, theorem-1 is not (certified at the profile solve reaches)."""
    made = certified(console, tmp_path, QUESTIONS, None, "definition-1", "definition-1-nonnegative")
    assert set(made) == {"definition-1", "definition-1-nonnegative"}
    assert check(made["definition-1"])["conclusion"]["epsilon"] == "1"
    assert check(made["definition-1-nonnegative"])["conclusion"]["epsilon"] == "1/2"
    run = console("certify", QUESTIONS, "--json")
    names = [c["name"] for c in json.loads(run.stdout)["claims"]]
    assert "definition-1" in names and "theorem-1" in names and "theorem-7" not in names


def test_theorem_1_without_a_profile_at_the_profile_solve_reaches(console, tmp_path):
    """Without PROFILE, theorem-1 is certified at the profile ``persuasion solve`` reaches with
    the same defaults (best-response dynamics over conversation rules from ``auto``): on the
    two-question game the oracle, who gains whenever Alice names 00, best-responds to her by
    telling her nothing, and she names 00 by her tie-break: an exact equilibrium (the oracle
    gets its most, 1) where Alice gets 1/4, above the bound 0."""
    cert = certified(console, tmp_path, QUESTIONS, None)["theorem-1"]
    assert checked(console, cert, tmp_path).startswith("VALID: theorem-1 holds: ")
    solved = console("solve", QUESTIONS, "--json")
    assert solved.returncode == 0, solved.stderr
    eq = json.loads(solved.stdout)["equilibrium"]
    assert (eq["status"], eq["nash_gap"], eq["start"]) == ("converged", "0", "revealing")
    assert cert["conclusion"]["alice_utility"] == eq["alice_utility"] == "1/4"
    assert cert["conclusion"]["bound"] == "0"
    game = ps.catalog.load(QUESTIONS)
    reached = parse_conversation_profile(eq["profile"], game)
    assert parse_conversation_profile(cert["profile"], game) == reached


def test_judge_with_alice_speaking(console, tmp_path):
    """Alice has two messages, one round: the oblivious profile gives her 5/3 as in one round;
    the prosecutor deviating to C* (revealing) would get 2 * 2/3 = 4/3 instead of 2/3 (gain 2/3),
    the defense 2/3 either way; weights 1, 1 and eps = 0, so the bound is 2 - 2/3 = 4/3."""
    cert = certified(console, tmp_path, judge(tmp_path), profile_file(tmp_path, "o", OBLIVIOUS))
    cert = cert["theorem-1"]
    assert checked(console, cert, tmp_path).startswith("VALID: theorem-1 holds: ")
    c = cert["conclusion"]
    assert (c["alice_utility"], c["gains"], c["bound"]) == ("5/3", ["2/3", "0"], "4/3")
    assert c["weights"] == ["1", "1"] and c["epsilon"] == "0"


def test_judge_two_rounds_by_history(console, tmp_path):
    """Two rounds, rules keyed by history: the defense reveals when asked with "1", so Alice
    asks and gets 2 (gains 0); the oblivious defense answers twice afresh, so Alice convicts
    after any "1" (guilty, probability 2/3 * 3/4 = 1/2) and acquits otherwise: 11/6; the
    prosecutor's gain of revealing is 4/3 - 1 = 1/3."""
    two = judge(tmp_path, rounds=2)
    second = ["0 > 0 > 0", "0 > 0 > 1", "1 > 1 > 0", "1 > 1 > 1"]
    guilty = {**ASKED["defense"]["guilty"], **{h: {h[-1]: 1} for h in second}}
    keys = ["0", "1", "0 > 0 > 0", "0 > 0 > 1", "1 > 0 > 0", "1 > 0 > 1"]
    rules = {**ASKED, "defense": {"guilty": guilty, "innocent": {h: {"0": 1} for h in keys}}}
    asked = certified(console, tmp_path, two, profile_file(tmp_path, "asked", rules))["theorem-1"]
    assert checked(console, asked, tmp_path).startswith("VALID: theorem-1 holds: ")
    assert (asked["conclusion"]["alice_utility"], asked["conclusion"]["gains"]) == ("2", ["0", "0"])
    assert "0 > 0 > 1" in asked["profile"]["rules"]["defense"]["guilty"]
    oblivious = certified(console, tmp_path, two, profile_file(tmp_path, "o", OBLIVIOUS))
    c = oblivious["theorem-1"]["conclusion"]
    assert (c["alice_utility"], c["gains"], c["bound"]) == ("11/6", ["1/3", "0"], "5/3")


def test_a_sender_too_short_for_c_star(console, tmp_path):
    """A weighted sender with one message cannot play C* (two messages): no gain for him,
    Definition 9 is not established, ``holds`` is false, and the certificate is still VALID."""
    short = judge(tmp_path, messages=(1, 2))
    rules = {
        "prosecutor": {"guilty": {"0": 1}, "innocent": {"0": 1}},
        "defense": OBLIVIOUS["defense"],
    }
    cert = certified(console, tmp_path, short, profile_file(tmp_path, "s", rules))["theorem-1"]
    assert checked(console, cert, tmp_path).startswith("VALID: theorem-1 does not hold: ")
    assert cert["conclusion"]["gains"] == [None, "0"] and cert["conclusion"]["bound"] is None
    assert cert["holds"] is False


def test_the_python_front_door(tmp_path):
    """``ps.certify`` takes a conversation's rules; ``ps.check`` re-derives them."""
    game = ps.catalog.load(QUESTIONS)
    rules = ps.catalog.entry(QUESTIONS).conversation("first-bit")
    made = ps.certify(game, rules, claims=["theorem-1"], source=QUESTIONS)
    (claim,) = made.claims
    result = ps.check(claim, QUESTIONS)
    assert result.valid and result.holds and dict(result.conclusion)["alice_utility"] == "1/2"
    assert "no Nash gap is certified" in claim.hypotheses


# ---------------------------------------------------------------- refused in one line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((QUESTIONS, "--claim", "theorem-7"), "theorem-7 is certified in one round"),
        ((QUESTIONS, "--claim", "theorem-6"), "theorem-6 is about the other game"),
    ],
)
def test_claims_refused_in_one_line(console, args, says):
    run = console("certify", *args)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and says in run.stderr, run.stderr


@pytest.mark.parametrize(
    ("protocol", "claim", "says"),
    [
        ({"decision": {"rule": "quantal", "lambda": 2}}, "theorem-1", "best-responding Alice"),
        (
            {"game": "best-ai-selection", "decision": {"rule": "quantal", "lambda": 2}},
            "theorem-6",
            "theorem-6 in a conversation needs a best-responding Alice",
        ),
        ({"rounds": 10**9}, "theorem-1", "more than 1000000 nodes"),
    ],
)
def test_other_conversations_refused(console, tmp_path, protocol, claim, says):
    """A quantal Alice (in either game), or a game too big, in a conversation: refused when
    asked, while Definition 1 is still certified."""
    path = judge(tmp_path)
    data = json.loads(path.read_text())
    data["protocol"].update(protocol)
    path.write_text(json.dumps(data))
    profile = profile_file(tmp_path, "o", OBLIVIOUS)
    run = console("certify", str(path), str(profile), "--claim", claim)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and says in run.stderr
    run = console("certify", str(path), str(profile), "--json")
    names = [c["name"] for c in json.loads(run.stdout)["claims"]]
    assert "definition-1" in names and claim not in names


def test_no_rule_can_reveal(console, tmp_path):
    """With one message each nothing can tell Alice the state: theorem-1 is refused when asked
    (U_A(C*) cannot be proven), left out otherwise."""
    mute = judge(tmp_path, messages=(1, 1))
    rules = {n: {"guilty": {"0": 1}, "innocent": {"0": 1}} for n in ("prosecutor", "defense")}
    silent = profile_file(tmp_path, "silent", rules)
    run = console("certify", str(mute), str(silent), "--claim", "theorem-1")
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "2 classes need 2 answer sequences, and 1 message(s)" in run.stderr, run.stderr
    run = console("certify", str(mute), str(silent), "--json")
    assert "theorem-1" not in [c["name"] for c in json.loads(run.stdout)["claims"]]


# ---------------------------------------------------------------- forgeries


@pytest.fixture(scope="module")
def genuine():
    """A genuine theorem-1 certificate of the judge game with Alice speaking (weights 1, 1)."""
    game = ps.load(ROOT / "instances" / "judge-prosecutor.json")
    game = dataclasses.replace(game, protocol=dataclasses.replace(game.protocol, alice_messages=2))
    rules = parse_conversation_profile({"format": "persuasion-profile/1", "rules": OBLIVIOUS}, game)
    (claim,) = ps.certify(game, rules, claims=["theorem-1"]).claims
    return claim.certificate


def _set(cert, path, value):
    *parents, last = path
    for key in parents:
        cert = cert[key]
    cert[last] = value


FORGERIES = {  # what is changed, to what, and the kernel's reason
    "a fit weight": (("witnesses", "fit", "weights", 0), "2", "epsilon is not proven minimal"),
    "the offset": (("witnesses", "fit", "offset"), "1", "epsilon is not proven minimal"),
    "a probability of C*": (
        ("witnesses", "aligned", "rule", "guilty", "1"),
        "1/2",
        "probabilities do not sum to 1",
    ),
    "C* does not reveal": (
        ("witnesses", "aligned", "rule", "innocent"),
        {"0": "1"},
        "C\\* gives Alice 5/3, the first-best OPT is 2",
    ),
    "C* misses a history": (
        ("witnesses", "aligned", "rule"),
        {"guilty": {"1": {"1": "1"}}, "innocent": {"0": {"0": "1"}, "1": {"0": "1"}}},
        "no row for the reached history",
    ),
    "a profile row": (
        ("profile", "rules", "defense", "guilty"),
        {"1": "1"},
        "conclusion.alice_utility: the certificate derives '2'",
    ),
    "a history too long": (
        ("profile", "rules", "defense", "guilty"),
        {"0 > 0 > 1": {"0": 1}},
        "not a history of 1 round",
    ),
    "a smaller gain": (("conclusion", "gains", 0), "1/3", "conclusion.gains"),
    "a higher bound": (("conclusion", "bound"), "5/3", "conclusion.bound"),
    "a Nash gap": (("conclusion", "nash_gap_bound"), "0", "unknown key 'nash_gap_bound'"),
    "holds flipped": (("holds",), False, "the claim holds"),
    "a deviation bound": (("witnesses", "deviations"), {}, "unknown key 'deviations'"),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_forgeries_are_invalid(genuine, forgery):
    path, value, reason = FORGERIES[forgery]
    assert check(genuine)["holds"] is True
    forged = copy.deepcopy(genuine)
    _set(forged, path, value)
    with pytest.raises(Invalid, match=reason):
        check(forged)


def test_a_forged_instance_is_invalid(genuine, console, tmp_path):
    """The embedded instance changed: without its hash, and with a matching hash (then the
    kernel derives other numbers than the stated ones); through the program too."""
    forged = copy.deepcopy(genuine)
    forged["instance_text"] = (
        forged["instance_text"].replace('"2/3"', '"1/2"', 1).replace('"1/3"', '"1/2"', 1)
    )
    assert forged["instance_text"] != genuine["instance_text"]
    with pytest.raises(Invalid, match="sha256"):
        check(forged)
    forged["instance_sha256"] = hashlib.sha256(forged["instance_text"].encode()).hexdigest()
    with pytest.raises(Invalid, match="conclusion"):
        check(forged)
    assert checked(console, forged, tmp_path).startswith("INVALID: conclusion.")


def test_a_huge_embedded_conversation_is_refused_before_any_work(genuine):
    """An embedded instance of 10^9 rounds (hash matching): INVALID at once, naming the limit."""
    forged = copy.deepcopy(genuine)
    text = forged["instance_text"].replace('"rounds": 1', f'"rounds": {10**9}')
    assert text != forged["instance_text"]
    forged["instance_text"] = text
    forged["instance_sha256"] = hashlib.sha256(text.encode()).hexdigest()
    with pytest.raises(Invalid, match="MAX_CONVERSATION_NODES"):
        check(forged)


# ---------------------------------------------------------------- the kernel's Alice


def _kernel_joint(instance, rules):
    game = read_game(instance_text(instance).encode("utf-8"))
    profile = read_profile(dump_conversation_profile(rules, instance), game)
    heard = [(rule, len(m), "profile") for rule, m in zip(profile, game.messages, strict=True)]
    return alice(game, heard)


CATALOG_CONVERSATIONS = [
    (entry.slug, name)
    for entry in ps.catalog.entries()
    if is_conversation(entry.load())
    for name in entry.profile_rules
]


def test_the_catalog_has_conversation_profiles():
    assert (QUESTIONS, "truthful") in CATALOG_CONVERSATIONS


@pytest.mark.parametrize(("slug", "name"), CATALOG_CONVERSATIONS)
def test_kernel_alice_agrees_on_the_catalog(slug, name):
    """Every named profile of every conversation of the catalog: the kernel's distribution of
    action and state is the engine's, and so are Alice's and the senders' utilities."""
    game = ps.catalog.load(slug)
    rules = ps.catalog.entry(slug).conversation(name)
    engine = best_conversation_rule(compile_game(game), rules).outcome
    joint = _kernel_joint(game, rules)
    assert [list(row) for row in engine.joint] == joint
    kernel = read_game(instance_text(game).encode("utf-8"))
    assert kernel_utilities(kernel, joint) == (engine.alice_utility, list(engine.sender_utilities))


@SMALL
@given(st.data())
def test_kernel_alice_agrees_with_the_engine(data):
    """Random small conversations (1-2 rounds, 1-2 Alice messages, rules by history or not):
    the kernel's own backward induction induces exactly the engine's distribution."""
    base = data.draw(instances(max_alice_features=2, max_sender_features=2, max_messages=2))
    protocol = dataclasses.replace(
        base.protocol,
        rounds=data.draw(st.integers(1, 2)),
        alice_messages=data.draw(st.integers(1, 2)),
    )
    instance = dataclasses.replace(base, protocol=protocol)
    rules = data.draw(conversation_profiles(instance))
    engine = best_conversation_rule(compile_game(instance), rules).outcome
    assert [list(row) for row in engine.joint] == _kernel_joint(instance, rules)


@SMALL
@given(st.data())
def test_every_conversation_certificate_checks(data):
    """Whatever the conversation and the rules, the certificate made checks VALID (holds or
    not), and its derived conclusion is the producer's."""
    base = data.draw(instances(max_alice_features=2, max_sender_features=2, max_messages=3))
    protocol = dataclasses.replace(
        base.protocol, rounds=data.draw(st.integers(1, 2)), alice_messages=2
    )
    instance = dataclasses.replace(base, protocol=protocol)
    rules = data.draw(conversation_profiles(instance))
    try:
        (claim,) = ps.certify(instance, rules, claims=["theorem-1"]).claims
    except ps.InputError as error:  # no rule of these alphabets reveals x_B
        assert "answer sequences" in str(error)
        return
    result = check(claim.certificate)
    assert result["conclusion"] == claim.certificate["conclusion"]


# ---------------------------------------------------------------- one round: unchanged

ONE_ROUND = {  # sha256 of the files written before conversations were certified (commit a9e010a)
    "definition-1": "4001c04ae82889897ddf341f8ad60b371078d00ccf4d17348d16449ecd23f057",
    "definition-1-nonnegative": "e2eba828f7b9b2ce7a7070d617768ddd10be6e9a34ef169419ef35e2521e1829",
    "theorem-1": "1c7e555143c5d61dd3f1a45eca86675089e034bdd6ff3151babcbc53e60f9630",
    "theorem-7": "a0c94bdb65e2ee75b6b6ea983e74d3d1c9c265bab162b493795776cee2253712",
}


def test_one_round_certificates_are_byte_identical(console, tmp_path):
    out = tmp_path / "out"
    claims = [a for c in ONE_ROUND for a in ("--claim", c)]
    run = console(
        "certify", "instances/judge-prosecutor.json", *claims, "--out", str(out), cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    digests = {p.stem: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    assert digests == ONE_ROUND
    profile = profile_file(tmp_path, "o", OBLIVIOUS)
    run = console("certify", "instances/judge-prosecutor.json", str(profile), "--claim",
                  "theorem-1", "--out", str(tmp_path / "o"), cwd=ROOT)  # fmt: skip
    digest = hashlib.sha256((tmp_path / "o" / "theorem-1.json").read_bytes()).hexdigest()
    assert digest == "5ce5e97057bedc4034fd1ca29bc1de4cd4ccc89ad0946f5f8fa85a6d66b92b6c"


# ---------------------------------------------------------------- every mutant


@pytest.fixture(scope="module")
def conversation_certificates(genuine):
    """The judge with Alice speaking (weights 1, 1), the two-question game at its truthful
    profile (rules and C* keyed by history), and the judge over two rounds."""
    questions = ps.catalog.load(QUESTIONS)
    truthful = ps.catalog.entry(QUESTIONS).conversation("truthful")
    game = ps.load(ROOT / "instances" / "judge-prosecutor.json")
    two = dataclasses.replace(game, protocol=dataclasses.replace(game.protocol, rounds=2))
    two = dataclasses.replace(two, protocol=dataclasses.replace(two.protocol, alice_messages=2))
    rules = parse_conversation_profile({"format": "persuasion-profile/1", "rules": OBLIVIOUS}, two)
    made = [
        ps.certify(questions, truthful, claims=["theorem-1"]).claims[0].certificate,
        ps.certify(two, rules, claims=["theorem-1"]).claims[0].certificate,
    ]
    return [genuine, *made]


def test_every_mutant_is_invalid_or_proves_the_same_true_claim(conversation_certificates):
    """test_forgery's generator (drop, change every number, permute, transplant between these
    certificates and one of one round, inflate, unknown keys) on conversation certificates:
    every mutant is INVALID or the kernel derives exactly what it derived for the original."""
    one_round = ps.certify(ps.load(ROOT / "instances" / "judge-prosecutor.json"),
                           claims=["theorem-1"]).claims[0].certificate  # fmt: skip
    assert mutants_agree(conversation_certificates, one_round, "conversation") > 300


def mutants_agree(certificates: list[dict], one_round: dict, seed: str) -> int:
    """Every mutant of each of ``certificates`` (test_forgery's generator, transplants from the
    others and ``one_round``) is INVALID or derives what the original derives; how many were
    tried."""
    from test_forgery import SAMPLE, mutants, optional, roundtrip, verdict

    tried = 0
    for n, cert in enumerate(certificates):
        truth = check(roundtrip(cert))
        others = [c for c in certificates if c is not cert] + [one_round]
        families: dict[str, list] = {}
        for family, where, bad in mutants(cert, others):
            families.setdefault(family, []).append((where, bad))
        for family, found in families.items():
            if SAMPLE and len(found) > SAMPLE:
                found = random.Random(f"{seed}{n}{family}").sample(found, SAMPLE)
            for where, bad in found:
                tried += 1
                result = verdict(bad)
                if result is None or optional(family, where):
                    continue
                assert family not in ("holds", "inflate", "unknown"), (family, where)
                assert result == truth, (family, where)
    print(f"{tried} mutants tried")
    return tried


def test_the_conversation_kernel_is_standard_library_only(genuine, tmp_path):
    """Checking a conversation's certificate, in a fresh interpreter without site hooks, loads
    nothing beyond the standard library and the kernel's stdlib-only modules."""
    path = tmp_path / "cert.json"
    path.write_text(json.dumps(genuine))
    code = (
        "import json, sys, persuasion.checker as kernel; "
        f"print(kernel.check(json.load(open({str(path)!r})))['holds']); "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    run = subprocess.run(
        [sys.executable, "-S", "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    holds, tops = run.stdout.splitlines()
    assert holds == "True"
    assert set(json.loads(tops)) <= set(sys.stdlib_module_names) | {"persuasion", "__main__"}


# ---------------------------------------------------------------- theorem-6: the selection game

SELECTION = "collina-et-al-2025-two-prosecutors-selection"
SILENT = {
    name: {"guilty": {"0": 1}, "innocent": {"0": 1}} for name in ("prosecutor-1", "prosecutor-2")
}


def selection_file(tmp_path, data: dict, rounds: int = 2):
    """``data`` (an instance) in the best-AI selection game over ``rounds`` rounds; its file."""
    data["protocol"].update(game="best-ai-selection", rounds=rounds)
    path = tmp_path / f"selection-{data['name']}-{rounds}.json"
    path.write_text(json.dumps(data))
    return path


def two_prosecutors(tmp_path):
    return selection_file(tmp_path, json.loads(Path(instance_file(SELECTION)).read_text()))


def test_theorem_6_in_a_two_round_selection_conversation(console, tmp_path):
    """The two prosecutors, two rounds, both silent: Alice convicts whatever she hears (her
    prior, guilty 7/10), so U_A = 7/10; C* reveals the state (OPT = 1), each prosecutor's gain
    of it is 3/10; eps = 1/2 at weights 0, 0, so the bound is 1 - 1 = 0."""
    path = two_prosecutors(tmp_path)
    cert = certified(console, tmp_path, path, profile_file(tmp_path, "s", SILENT), "theorem-6")
    cert = cert["theorem-6"]
    assert checked(console, cert, tmp_path).startswith("VALID: theorem-6 holds: ")
    assert cert["conclusion"] == {
        "alice_utility": "7/10",
        "aligned_value": "1",
        "epsilon": "1/2",
        "weights": ["0", "0"],
        "gains": ["3/10", "3/10"],
        "bound": "0",
        "senders_can_play_c_star": True,
    }
    run = console("certify", str(path), "--claim", "theorem-6", "--json")
    assert run.returncode == 0, run.stderr
    (made,) = json.loads(run.stdout)["claims"]
    assert made["name"] == "theorem-6" and made["holds"] is True
    run = console("certify", str(path), "--json")
    assert "theorem-6" in [c["name"] for c in json.loads(run.stdout)["claims"]]


@pytest.fixture(scope="module")
def selection_genuine(tmp_path_factory):
    """The judge game of Appendix I in the selection game over two rounds, the oblivious
    profile: Alice alone with the silent prosecutor gets 5/3, with the defense (answering twice
    afresh) 11/6, so she converses with the defense; the prosecutor gains 4/3 - 1 = 1/3 from
    C*; weights 1, 1 and eps = 0: the bound is 2 - 1/3 = 5/3."""
    path = selection_file(
        tmp_path_factory.mktemp("sel"),
        json.loads((ROOT / "instances" / "judge-prosecutor.json").read_text()),
    )
    game = ps.load(path)
    rules = parse_conversation_profile({"format": "persuasion-profile/1", "rules": OBLIVIOUS}, game)
    (claim,) = ps.certify(game, rules, claims=["theorem-6"]).claims
    return path, claim.certificate


def test_theorem_6_kernel_values_equal_the_engines(selection_genuine, console):
    """The kernel's conversation of each sender alone is worth to Alice what ``persuasion
    converse`` says (its selection values), and the certificate says what it derives."""
    path, cert = selection_genuine
    c = check(cert)["conclusion"]
    assert (c["alice_utility"], c["gains"], c["bound"]) == ("11/6", ["1/3", "0"], "5/3")
    game = read_game(cert["instance_text"].encode())
    rules = read_profile(cert["profile"], game)
    kernel = [
        kernel_utilities(game, alice(game, [(rule, len(game.messages[i]), "test")]))[0]
        for i, rule in enumerate(rules)
    ]
    profile = path.with_suffix(".profile.json")
    profile.write_text(json.dumps(cert["profile"]))
    run = console("converse", str(path), str(profile), "--json")
    assert run.returncode == 0, run.stderr
    selection = json.loads(run.stdout)["selection"]
    assert [str(v) for v in kernel] == selection["alice_values"] == ["5/3", "11/6"]
    assert selection["selected"] == "defense"


SELECTION_FORGERIES = {
    "a profile row": (
        ("profile", "rules", "defense", "guilty"),
        {"1": "1"},
        "conclusion.alice_utility: the certificate derives '2'",
    ),
    "C* does not reveal": (
        ("witnesses", "aligned", "rule", "innocent"),
        {"0": "1"},
        "C\\* gives Alice 5/3, the first-best OPT is 2",
    ),
    "a smaller gain": (("conclusion", "gains", 0), "0", "conclusion.gains"),
    "a higher bound": (("conclusion", "bound"), "2", "conclusion.bound"),
    "a deviation bound": (("witnesses", "deviations"), {}, "unknown key 'deviations'"),
}


@pytest.mark.parametrize("forgery", sorted(SELECTION_FORGERIES))
def test_theorem_6_forgeries_are_invalid(selection_genuine, forgery):
    path, value, reason = SELECTION_FORGERIES[forgery]
    genuine = selection_genuine[1]
    assert check(genuine)["holds"] is True
    forged = copy.deepcopy(genuine)
    _set(forged, path, value)
    with pytest.raises(Invalid, match=reason):
        check(forged)


def test_theorem_6_forged_instance_is_invalid(selection_genuine, console, tmp_path):
    """The embedded instance changed (the prior), its hash matching: the kernel derives other
    numbers; and played in the simultaneous game: refused."""
    genuine = selection_genuine[1]
    forged = copy.deepcopy(genuine)
    forged["instance_text"] = (
        forged["instance_text"].replace('"2/3"', '"1/2"', 1).replace('"1/3"', '"1/2"', 1)
    )
    assert forged["instance_text"] != genuine["instance_text"]
    forged["instance_sha256"] = hashlib.sha256(forged["instance_text"].encode()).hexdigest()
    assert checked(console, forged, tmp_path).startswith("INVALID: conclusion.")
    other = copy.deepcopy(genuine)
    other["instance_text"] = other["instance_text"].replace("best-ai-selection", "simultaneous")
    other["instance_sha256"] = hashlib.sha256(other["instance_text"].encode()).hexdigest()
    with pytest.raises(Invalid, match="the claim is about the best-ai-selection game"):
        check(other)


ONE_ROUND_THEOREM_6 = {  # sha256 of ps.certify's text before conversations were certified
    SELECTION: "2e03875a59e85932b4552425354db6a4a625a70d3de8ad7dabdbe919e1a49f89",
    "collina-et-al-2025-theorem-6-worst-4-7": (
        "f3a6403567dd33940a4364ef70ed852c559d4ff8f950a7375dd5f35cfe819ee7"
    ),
}


@pytest.mark.parametrize("slug", sorted(ONE_ROUND_THEOREM_6))
def test_one_round_theorem_6_certificates_are_byte_identical(slug):
    (claim,) = ps.certify(ps.catalog.load(slug), claims=["theorem-6"]).claims
    digest = hashlib.sha256(claim.certificate_text.encode()).hexdigest()
    assert digest == ONE_ROUND_THEOREM_6[slug]
    assert check(claim.certificate)["claim"] == "theorem-6"


def test_every_theorem_6_mutant_is_invalid_or_proves_the_same(selection_genuine):
    """The same mutants on the selection game's conversation certificate, transplanting from a
    one-round theorem-6 certificate."""
    (one_round,) = ps.certify(ps.catalog.load(SELECTION), claims=["theorem-6"]).claims
    assert mutants_agree([selection_genuine[1]], one_round.certificate, "selection") > 100
