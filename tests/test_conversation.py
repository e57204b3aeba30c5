"""Conversations (issue 11, points 1, 2 and 7): the compiled game, history-keyed profiles and
Alice's best-response conversation rule (Algorithm 1, Definitions 3-6)."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from collections import defaultdict
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import persuasion as ps
from conftest import ROOT
from persuasion.conversation.alice import best_conversation_rule
from persuasion.conversation.histories import answer_histories, history_key, parse_key
from persuasion.conversation.rules import ConversationProfile, HistoryTable
from persuasion.conversation.sizes import conversation_sizes
from persuasion.conversation.tree import ALICE, TERMINAL, compile_game
from persuasion.decision import decision_rule
from persuasion.errors import InputError
from persuasion.limits import MAX_CONVERSATION_NODES
from persuasion.model import Protocol, Sender, revealing_profile
from persuasion.profile import (
    dump_conversation_profile,
    dump_profile,
    parse_conversation_profile,
    parse_profile,
)
from persuasion.receiver import action_values, outcome
from persuasion.selection import alice_values, selection_outcome
from persuasion.testing import conversation_profiles, instances, profiles

F = Fraction
QUESTIONS = "collina-et-al-2025-two-round-questions"
SMALL = settings(max_examples=25, deadline=None)


def talking(instance, rounds: int, alice_messages: int):
    """``instance`` with the conversation protocol of ``rounds`` and ``alice_messages``."""
    protocol = dataclasses.replace(instance.protocol, rounds=rounds, alice_messages=alice_messages)
    return dataclasses.replace(instance, protocol=protocol)


def restricted(rules: ConversationProfile, rounds: int, alice_messages: int):
    """The same rules with the rows of the histories of a shorter or narrower conversation."""

    def fits(history) -> bool:
        return len(history) <= 2 * rounds - 1 and all(a < alice_messages for a in history[::2])

    return ConversationProfile(
        tuple(
            tuple(
                HistoryTable(tuple((h, row) for h, row in entry.rows if fits(h)))
                if isinstance(entry, HistoryTable)
                else entry
                for entry in rule
            )
            for rule in rules.rules
        )
    )


# ---------------------------------------------------------------- one round: today's engine


@SMALL
@given(st.data())
def test_one_round_agrees_with_the_one_round_engine(data):
    instance = data.draw(instances(max_alice_features=2, max_sender_features=2))
    profile = data.draw(profiles(instance))
    result = ps.converse(instance, profile)
    expected = outcome(instance, profile)
    assert result.alice_utility == expected.alice_utility
    assert result.sender_utilities == expected.sender_utilities
    assert result.joint == expected.joint
    rule = decision_rule(instance, profile)
    assert [(d.alice_feature, d.probability, d.posterior, d.action) for d in result.decisions] == [
        (s.alice_feature, s.probability, s.posterior, s.action) for s in rule.situations
    ]


def test_one_round_history_keys_read_as_the_scheme(catalog):
    judge = catalog("judge-prosecutor")
    plain = {"prosecutor": {"guilty": {"0": 1}, "innocent": {"1": 1}},
             "defense": {"guilty": {"0": "1/2", "1": "1/2"}, "innocent": {"1": 1}}}  # fmt: skip
    keyed = {name: {xb: {"0": row} for xb, row in rule.items()} for name, rule in plain.items()}
    read = [
        parse_profile({"format": "persuasion-profile/1", "rules": r}, judge) for r in (plain, keyed)
    ]
    assert read[0] == read[1]


# ---------------------------------------------------------------- hand-solved


def noisy_witness(rounds: int):
    """State guilty or innocent, 1/2 each; Alice wins 1 for the right verdict; one witness says
    the true state with probability 3/4 every round, afresh (a rule that ignores the history),
    and gains 1 whenever Alice convicts."""
    return ps.Instance(
        name="noisy-witness",
        states=("guilty", "innocent"),
        actions=("acquit", "convict"),
        alice_features=("none",),
        sender_features=("guilty", "innocent"),
        prior=(((F(1, 2), F(0)), (F(0), F(1, 2))),),
        alice_utility=((F(0), F(1)), (F(1), F(0))),
        senders=(Sender("witness", ((F(0), F(0)), (F(1), F(1))), ("guilty", "innocent")),),
        protocol=Protocol(tie_break=(0, 1), rounds=rounds),
        state_only=True,
    )


@pytest.mark.parametrize(
    "rounds, alice, witness",
    [
        # one report, right with probability 3/4: Alice follows it and is right with 3/4;
        # she convicts when it says guilty, probability 1/2
        (1, F(3, 4), F(1, 2)),
        # two reports: they agree with probability 9/16 + 1/16 = 10/16 and are then right with
        # (9/16) / (10/16) = 9/10; they disagree with 6/16, leaving 1/2 each, and the tie goes
        # to acquit, right with 1/2: 10/16 * 9/10 + 6/16 * 1/2 = 3/4, no better than one report.
        # She convicts only on two "guilty": 1/2 * 9/16 + 1/2 * 1/16 = 5/16
        (2, F(3, 4), F(5, 16)),
        # three reports: the majority is right with (3/4)^3 + 3 (3/4)^2 (1/4) = 27/32; she
        # follows it and convicts on a guilty majority: 1/2 * 27/32 + 1/2 * 5/32 = 1/2
        (3, F(27, 32), F(1, 2)),
    ],
)
def test_a_noisy_witness_heard_over_rounds(rounds, alice, witness):
    rules = {"witness": {"guilty": {"guilty": "3/4", "innocent": "1/4"},
                         "innocent": {"guilty": "1/4", "innocent": "3/4"}}}  # fmt: skip
    game = noisy_witness(rounds)
    profile = parse_conversation_profile({"format": "persuasion-profile/1", "rules": rules}, game)
    result = ps.converse(game, profile)
    assert (result.alice_utility, result.sender_utilities) == (alice, (witness,))
    assert sum(d.probability for d in result.decisions) == 1


def test_two_questions_are_asked_about_both_bits():
    """The catalog's two-round game: Alice asks about the first bit (both questions are worth 1
    in round 1, ties to the earliest), then about the second, whatever the first answer."""
    entry = ps.catalog.entry(QUESTIONS)
    result = ps.converse(entry.load(), entry.conversation("truthful"))
    assert [(t.round, t.histories, t.probability, t.send) for t in result.talks] == [
        (1, ("",), F(1), ("0",)),
        (2, ("0 > no",), F(1, 2), ("1",)),
        (2, ("0 > yes",), F(1, 2), ("1",)),
    ]
    assert [(d.histories, d.action) for d in result.decisions] == [
        (("0 > no > 1 > no",), "guess-00"),
        (("0 > no > 1 > yes",), "guess-01"),
        (("0 > yes > 1 > no",), "guess-10"),
        (("0 > yes > 1 > yes",), "guess-11"),
    ]
    assert (result.alice_utility, result.sender_utilities) == (1, (F(1, 4),))


# ---------------------------------------------------------------- more talk never hurts Alice


@SMALL
@given(st.data())
def test_more_rounds_never_hurt_alice_against_truthful_senders(data):
    instance = data.draw(instances(max_senders=2, max_alice_features=2, max_sender_features=2))
    truthful = revealing_profile(instance)
    values = [ps.converse(talking(instance, r, 1), truthful).alice_utility for r in (1, 2, 3)]
    assert values == sorted(values)


@SMALL
@given(st.data())
def test_more_rounds_and_messages_never_hurt_alice(data):
    """Against the same rules (each restricted to the shorter or narrower conversation) Alice
    can always ignore the extra round or message, so her value never falls."""
    base = data.draw(instances(max_senders=2, max_alice_features=2, max_sender_features=2,
                               max_messages=2, max_states=2))  # fmt: skip
    rules = data.draw(conversation_profiles(talking(base, 2, 2)))

    def value(rounds, said):
        return ps.converse(talking(base, rounds, said), restricted(rules, rounds, said))

    assert value(1, 1).alice_utility <= value(1, 2).alice_utility <= value(2, 2).alice_utility
    assert value(1, 1).alice_utility <= value(2, 1).alice_utility <= value(2, 2).alice_utility


# ---------------------------------------------------------------- brute force


def strategy_value(instance, rules, strategy) -> Fraction:
    """Alice's utility with the pure conversation rule ``strategy[(x_A, transcript)] -> vector``
    and her best action at the end, by running Algorithm 1 on every draw (independent of the
    compiled tree)."""
    p, k = instance.protocol, instance.num_senders
    final: dict = defaultdict(lambda: [F(0)] * instance.num_states)
    for xa, table in enumerate(instance.prior):
        for xb, row in enumerate(table):
            for y, prob in enumerate(row):
                if not prob:
                    continue
                runs = [((), ((),) * k, prob)]
                for _ in range(p.rounds):
                    runs = [
                        step
                        for transcript, hs, weight in runs
                        for step in _one_round(
                            rules, xb, strategy[(xa, transcript)], transcript, hs, weight
                        )
                    ]
                for transcript, _, weight in runs:
                    final[(xa, transcript)][y] += weight
    return sum((max(action_values(instance.alice_utility, w)) for w in final.values()), F(0))


def _one_round(rules, xb, vector, transcript, hs, weight):
    said = tuple(h + (m,) for h, m in zip(hs, vector, strict=True))
    rows = [rules.answer(i, xb, h) for i, h in enumerate(said)]
    for answers in itertools.product(*(range(len(r)) for r in rows)):
        w = weight
        for r, b in zip(rows, answers, strict=True):
            w *= r[b]
        if w:
            heard = tuple(h + (b,) for h, b in zip(said, answers, strict=True))
            yield transcript + ((vector, answers),), heard, w


def every_strategy(instance):
    """Every pure conversation rule of Alice: a message vector at each (x_A, transcript so far)."""
    p, k = instance.protocol, instance.num_senders
    vectors = list(itertools.product(range(p.alice_messages), repeat=k))
    answers = list(itertools.product(*(range(len(s.messages)) for s in instance.senders)))
    points, level = [], [()]
    for _ in range(p.rounds):
        points += level
        level = [t + ((v, b),) for t in level for v in vectors for b in answers]
    keys = [(xa, t) for xa in range(len(instance.alice_features)) for t in points]
    for choice in itertools.product(vectors, repeat=len(keys)):
        yield dict(zip(keys, choice, strict=True))


@pytest.mark.parametrize("senders, rounds", [(1, 2), (2, 1)])
@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_backward_induction_is_the_best_pure_conversation_rule(senders, rounds, data):
    base = data.draw(instances(max_senders=senders, max_messages=2, max_states=2,
                               max_sender_features=2, max_alice_features=2))  # fmt: skip
    instance = talking(base, rounds, 2)
    rules = data.draw(conversation_profiles(instance))
    result = ps.converse(instance, rules)
    best = max(strategy_value(instance, rules, s) for s in every_strategy(instance))
    assert result.alice_utility == best
    # the rule reported, run by Algorithm 1, earns what backward induction says
    game = compile_game(instance)
    response = best_conversation_rule(game, rules)
    assert strategy_value(instance, rules, _played(game, response)) == best


def _played(game, response) -> dict:
    """Alice's rule from backward induction as ``{(x_A, transcript): vector}``."""
    played = defaultdict(lambda: game.vectors[0])
    for info, at in enumerate(game.infosets):
        if at.player == ALICE and not at.acting:
            rounds = len(at.histories[0]) // 2
            transcript = tuple(
                (tuple(h[2 * r] for h in at.histories), tuple(h[2 * r + 1] for h in at.histories))
                for r in range(rounds)
            )
            played[(at.feature, transcript)] = game.vectors[response.choice[info]]
    return played


# ---------------------------------------------------------------- the tree and its sizes


@SMALL
@given(st.data())
def test_sizes_are_what_is_built(data):
    base = data.draw(instances(max_senders=2, max_messages=2, max_alice_features=2,
                               max_sender_features=2))  # fmt: skip
    game = compile_game(talking(base, data.draw(st.integers(1, 2)), data.draw(st.integers(1, 2))))
    sizes = game.sizes
    assert len(game.player) == sizes.nodes
    assert game.player.count(TERMINAL) == sizes.leaves
    infosets = [at.player for at in game.infosets]
    assert infosets.count(ALICE) == sizes.alice_information_sets
    k = game.instance.num_senders
    assert tuple(infosets.count(i) for i in range(k)) == sizes.sender_information_sets
    assert (
        sum(at.acting for at in game.infosets) // max(1, _alice_features(game)) == sizes.transcripts
    )
    assert all(game.parent[n] < n for n in range(1, len(game.parent)))


def _alice_features(game) -> int:
    return len({xa for xa, *_ in game.outcomes})


def test_sizes_stop_counting_past_the_cap(catalog):
    huge = talking(catalog("judge-prosecutor"), 10**9, 2)
    assert conversation_sizes(huge, cap=MAX_CONVERSATION_NODES) is None
    with pytest.raises(InputError, match=f"more than {MAX_CONVERSATION_NODES} nodes"):
        ps.converse(huge, revealing_profile(huge), source="huge.json")


# ---------------------------------------------------------------- history-keyed profiles


def test_history_keys_read_back():
    alice, sender = ("0", "1"), ("no", "yes")
    for history in answer_histories(2, 3, lambda h: range(2)):
        key = history_key(history, alice, sender)
        assert parse_key(key, alice, sender, 3) == history
    assert history_key((0, 1, 1), alice, sender) == "0 > yes > 1"


@SMALL
@given(st.data())
def test_conversation_profiles_round_trip(data):
    base = data.draw(instances(max_senders=2, max_messages=2, max_sender_features=2))
    instance = talking(base, data.draw(st.integers(1, 2)), data.draw(st.integers(1, 2)))
    rules = data.draw(conversation_profiles(instance))
    written = json.loads(json.dumps(dump_conversation_profile(rules, instance)))
    assert parse_conversation_profile(written, instance) == rules


def test_every_catalog_profile_reads_as_before():
    for entry in ps.catalog.entries():
        game = entry.load()
        for name in entry.profile_rules:
            rules = entry.conversation(name)
            if rules.history_free:
                profile = entry.profile(name)
                assert parse_profile(dump_profile(profile, game), game) == profile
                assert ConversationProfile.from_profile(profile) == rules


TRUTHFUL_00 = {"0": {"no": 1}, "1": {"no": 1}, "0 > no > 0": {"no": 1}, "0 > no > 1": {"no": 1},
               "1 > no > 0": {"no": 1}, "1 > no > 1": {"no": 1}}  # fmt: skip


@pytest.mark.parametrize(
    "row, path, problem",
    [
        ({"2": {"no": 1}}, '["00"]["2"]', "unknown history \"2\": '2' is not one of Alice's"),
        ({**TRUTHFUL_00, "0 > maybe > 0": {"no": 1}}, '["0 > maybe > 0"]', "'maybe' is not one"),
        ({**TRUTHFUL_00, "0 > no > 0 > no > 1": {"no": 1}}, "", "3 messages at most in 2 round"),
        ({"0": {"no": 1}}, '.oracle["00"]', 'no row for history "1"'),
        ({k: v for k, v in TRUTHFUL_00.items() if k != "1 > no > 1"}, "", '"1 > no > 1"'),
        ({**TRUTHFUL_00, "0": {"no": "1/2"}}, '["00"]["0"]', "sum to 1/2, not 1"),
        ({**TRUTHFUL_00, "0": {"no": 2, "yes": -1}}, ".yes", "probability is negative"),
        ({**TRUTHFUL_00, "no": 1}, '.oracle["00"]', "not a mix of both"),
        ({**TRUTHFUL_00, "0": {"no": {"x": 1}}}, ".no", "expected an exact number"),
    ],
)
def test_hostile_history_keyed_rows_are_one_line(row, path, problem):
    game = ps.catalog.load(QUESTIONS)
    rules = {"oracle": {"00": row, "01": {"no": 1}, "10": {"yes": 1}, "11": {"yes": 1}}}
    with pytest.raises(InputError) as err:
        parse_conversation_profile(
            {"format": "persuasion-profile/1", "rules": rules}, game, "p.json"
        )
    line = str(err.value)
    assert line.startswith("p.json: $.rules.oracle") and path in line and problem in line
    assert "\n" not in line


def test_rules_by_history_of_a_huge_conversation_are_refused_before_the_walk():
    game = talking(ps.catalog.load(QUESTIONS), 10**9, 2)
    rules = {"oracle": {"00": TRUTHFUL_00, "01": {"no": 1}, "10": {"yes": 1}, "11": {"yes": 1}}}
    with pytest.raises(InputError) as err:
        parse_conversation_profile(
            {"format": "persuasion-profile/1", "rules": rules}, game, "p.json"
        )
    assert str(err.value).startswith(
        f"p.json: $.rules.oracle[\"00\"]: sender 'oracle' answers on more than "
        f"{MAX_CONVERSATION_NODES} histories; the limit is {MAX_CONVERSATION_NODES}"
    )


def test_a_conversation_profile_is_no_one_round_profile():
    entry = ps.catalog.entry(QUESTIONS)
    with pytest.raises(InputError, match="only 'persuasion converse'"):
        entry.profile("truthful")


def test_rules_built_in_code_are_checked():
    entry = ps.catalog.entry(QUESTIONS)
    rules = entry.conversation("truthful")
    table = rules.rules[0][0]
    broken = ConversationProfile(((HistoryTable(table.rows[1:]),) + rules.rules[0][1:],))
    with pytest.raises(InputError, match="no row for history"):
        ps.converse(entry.load(), broken)
    with pytest.raises(TypeError, match="ConversationProfile"):
        ps.converse(entry.load(), {"oracle": {}})


# ---------------------------------------------------------------- what else refuses


def test_converse_refuses_a_quantal_alice_with_an_alphabet():
    """A quantal Alice reports her beliefs (Definition 10): her messages are not an alphabet
    (tests/test_quantal_conversation.py plays her conversations)."""
    game = ps.catalog.load(QUESTIONS)
    quantal = dataclasses.replace(game.protocol, decision="quantal", lam=F(1))
    rules = ps.catalog.entry(QUESTIONS).conversation("first-bit")
    with pytest.raises(InputError, match="alice_messages must be 1"):
        ps.converse(dataclasses.replace(game, protocol=quantal), rules)


# ---------------------------------------------------------------- the best-AI selection game


@SMALL
@given(st.data())
def test_one_round_selection_agrees_with_the_selection_game(data):
    instance = data.draw(instances(games=("best-ai-selection",), max_alice_features=2))
    profile = data.draw(profiles(instance))
    result = ps.converse(instance, profile)
    expected = selection_outcome(instance, profile)
    assert (result.alice_utility, result.sender_utilities) == (
        expected.alice_utility,
        expected.sender_utilities,
    )
    values = alice_values(instance, profile)
    assert result.selection.alice_values == tuple(values)
    assert result.heard == (result.selection.selected,)
    assert result.selection.selected == instance.senders[values.index(max(values))].name


def test_alice_selects_the_oracle_worth_two_bits():
    """Two oracles over two rounds: one answers the bit asked (worth 1 to Alice alone), the
    other tells the first bit whatever is asked (worth 1/2); she converses with the first and
    names the state, each oracle being paid 1/4 (the rival gains when she names 01)."""
    game = ps.catalog.load(QUESTIONS)
    ones, zeros = tuple([F(1)] * 4), tuple([F(0)] * 4)
    rival = Sender("rival", (zeros, ones, zeros, zeros), ("no", "yes"))
    two = dataclasses.replace(
        game,
        senders=(*game.senders, rival),
        protocol=dataclasses.replace(game.protocol, game="best-ai-selection"),
    )
    entry = ps.catalog.entry(QUESTIONS)
    rules = ConversationProfile(
        (entry.conversation("truthful").rules[0], entry.conversation("first-bit").rules[0])
    )
    result = ps.converse(two, rules)
    assert result.selection.alice_values == (1, F(1, 2))
    assert (result.selection.selected, result.heard) == ("oracle", ("oracle",))
    assert (result.alice_utility, result.sender_utilities) == (1, (F(1, 4), F(1, 4)))
    assert result.to_json()["selection"] == {"alice_values": ["1", "1/2"], "selected": "oracle"}


# ---------------------------------------------------------------- the installed program


def _truthful_file(tmp_path):
    path = tmp_path / "truthful.json"
    rules = ps.catalog.entry(QUESTIONS).rules("truthful")
    path.write_text(json.dumps({"format": "persuasion-profile/1", "rules": rules}))
    return str(path)


def test_converse_from_the_console(console, tmp_path):
    profile = _truthful_file(tmp_path)
    text = console("converse", QUESTIONS, profile)
    assert text.returncode == 0 and text.stderr == ""
    lines = text.stdout.splitlines()
    assert lines[0].startswith(f"persuasion converse: {QUESTIONS} (2 rounds")
    assert any("Alice's conversation rule (Definition 6)" in line for line in lines)
    shown = console("converse", QUESTIONS, profile, "--json")
    assert shown.returncode == 0 and shown.stderr == ""
    game = ps.catalog.load(QUESTIONS)
    rules = ps.load_conversation_profile(profile, game)
    assert rules == ps.catalog.entry(QUESTIONS).conversation("truthful")
    assert json.loads(shown.stdout) == ps.converse(game, rules).to_json()


def test_a_conversation_too_big_is_refused_by_the_console(console, tmp_path):
    data = json.loads(ps.catalog.entry(QUESTIONS).path.read_text())
    data["protocol"]["rounds"] = 10**9
    game = tmp_path / "huge.json"
    game.write_text(json.dumps(data))
    run = console("converse", str(game), _truthful_file(tmp_path))
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert (
        f"huge.json: $.protocol: the conversation game has more than {MAX_CONVERSATION_NODES}"
        in run.stderr
    )
    assert f"the limit is {MAX_CONVERSATION_NODES}" in run.stderr


def test_the_documented_json_keys_are_in_the_output():
    """Every key of docs/reference/commands.md's `converse --json` table is in the report."""
    text = (ROOT / "docs" / "reference" / "commands.md").read_text(encoding="utf-8")
    section = text.split("### `converse --json` keys", 1)[1].split("\n#", 1)[0]
    keys = [
        k for row in re.findall(r"^\| `([^|]+)` \|", section, flags=re.M) for k in row.split("`, `")
    ]
    entry = ps.catalog.entry(QUESTIONS)
    report = ps.converse(entry.load(), entry.conversation("truthful")).to_json()
    two = dataclasses.replace(
        entry.load(), protocol=dataclasses.replace(entry.load().protocol, game="best-ai-selection")
    )
    chosen = ps.converse(two, entry.conversation("truthful")).to_json()
    assert len(keys) > 20
    for key in keys:
        data = chosen if key.startswith("selection.") else report
        for part in key.replace("[]", "").split("."):
            data = data[part] if isinstance(data, dict) else data[0][part]
