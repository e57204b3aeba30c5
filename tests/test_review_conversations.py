"""Regressions of the review of conversations, agreement and Theorem 5 (each failed before its
fix): the units and sources of ``theorem-5``'s lambda and K, the literal simultaneous order of
Definition 10, unsettled runs, rules built in memory, ambiguous history keys, limit errors that
name their file, integer fields written as decimals, and what ``check`` does not check.
"""

from __future__ import annotations

import dataclasses
import json
import re
from fractions import Fraction as F
from pathlib import Path

import pytest

import persuasion as ps
from persuasion.catalog import instance_file, load as load_slug
from persuasion.checker.core import PROSE_NOTE
from persuasion.conversation.histories import parse_key
from persuasion.conversation.rules import HistoryTable
from persuasion.errors import InputError
from test_agreement import FOUR, _wide

QUESTIONS = "collina-et-al-2025-two-round-questions"
HUGE = "1" + "0" * 5000


def _file(tmp_path: Path, name: str, data: dict) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, default=str))
    return str(path)


def _catalog(slug: str, **protocol) -> dict:
    data = json.loads(Path(instance_file(slug)).read_text())
    data.setdefault("protocol", {}).update(protocol)
    return data


def _one_line_error(run, *words: str) -> str:
    assert (run.returncode, run.stdout) == (2, ""), run
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
    for word in words:
        assert word in run.stderr, run.stderr
    return run.stderr


@pytest.fixture
def quantal_judge(tmp_path) -> str:
    """Judge-prosecutor (utilities in [0, 2]) with a quantal Alice, lambda 2 on those."""
    decision = {"rule": "quantal", "lambda": "2"}
    return _file(tmp_path, "jpq.json", _catalog("judge-prosecutor", decision=decision))


def test_theorem_5_takes_the_instances_lambda_in_its_units(console, quantal_judge):
    """lambda 2 on utilities of width 2 is lambda 4 on [0, 1] (it was taken as 2)."""
    run = console("certify", quantal_judge, "--claim", "theorem-5", "--json")
    assert run.returncode == 0, run.stderr
    [row] = json.loads(run.stdout)["claims"]
    assert row["conclusion"]["lambda"] == "4" and row["conclusion"]["scale"]["width"] == "2"
    assert "lambda 2 on the instance's utilities times 2" in row["statement"]
    same = console("certify", quantal_judge, "--claim", "theorem-5", "--lambda", "2", "--json")
    assert json.loads(same.stdout)["claims"][0]["conclusion"] == row["conclusion"]


def test_a_lambda_or_k_against_the_instances_is_refused(console, quantal_judge, tmp_path):
    run = console("certify", quantal_judge, "--claim", "lemma-1", "--lambda", "3")
    _one_line_error(run, "jpq.json", "$.protocol.decision.lambda", "conflicts")
    two = _file(tmp_path, "two.json", _catalog(QUESTIONS))
    run = console("certify", two, "--claim", "theorem-5", "--conversation-rounds", "5")
    _one_line_error(run, "two.json", "$.protocol.rounds", "conflicts")
    run = console("certify", two, "--claim", "theorem-5", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["claims"][0]["conclusion"]["rounds"] == "2"


def test_the_simultaneous_order_is_definition_10_read_literally(console):
    """Four-state example: Bob not yet hearing Alice's round-2 report, two pairs agree in round 3
    (Algorithm 1's alternating order: all in round 2)."""
    game = load_slug(FOUR)
    assert [p.exact_agreement_round for p in ps.agree(game).pairs] == [2, 2, 2]
    literal = ps.agree(game, order="simultaneous")
    assert [p.exact_agreement_round for p in literal.pairs] == [2, 3, 3]
    assert literal.pairs[1].reports[1] == ((F(0), F(1)), (F(1, 3), F(2, 3)))
    assert literal.agreement_by_round == (F(0), F(1, 4), F(1))
    run = console("agree", FOUR, "--order", "simultaneous", "--json")
    assert json.loads(run.stdout) == literal.to_json() and literal.to_json()["order"] == (
        "simultaneous"
    )
    with pytest.raises(ValueError, match="order"):
        ps.agree(game, order="both")


def test_an_unsettled_run_has_no_settled_round(console):
    run = console("agree", FOUR, "--rounds", "1", "--json")
    report = json.loads(run.stdout)
    assert report["settled"] is False
    assert [pair["settled_round"] for pair in report["pairs"]] == [None, None, None]
    assert [p.settled_round for p in ps.agree(load_slug(FOUR)).pairs] == [2, 2, 2]


@pytest.mark.parametrize(
    "row, problem",
    [((0.5, 0.5), "0.5 is not an exact rational probability"),
     ((F(3, 2), F(-1, 2)), "-1/2 is not a probability")],
)  # fmt: skip
def test_rules_built_in_memory_are_checked_as_a_file_is(row, problem):
    game = load_slug(QUESTIONS)
    for entry in (row, HistoryTable((((0,), row), ((1,), (F(1), F(0)))))):
        with pytest.raises(InputError, match=re.escape(problem)):
            ps.converse(game, ps.ConversationProfile(((entry,) * 4,)))


@pytest.mark.parametrize("name", ["yes >", "> yes", "a > b"])
def test_a_message_a_history_key_cannot_hold_is_refused(console, tmp_path, name):
    data = _catalog(QUESTIONS)
    data["senders"][0]["messages"] = ["no", name]
    instance = _file(tmp_path, "gt.json", data)
    rules = {f: {"no": 1} for f in ("00", "01", "10", "11")}
    silent = _file(tmp_path, "silent.json", {"format": "persuasion-profile/1",
                                             "rules": {"oracle": rules}})  # fmt: skip
    run = console("converse", instance, silent)
    _one_line_error(run, "gt.json", "$.senders[0].messages", "ambiguous")
    with pytest.raises(ValueError, match="ambiguous"):
        parse_key("0", ("0", "1"), ("no", name), 2)


def test_limit_errors_name_the_file(console, tmp_path):
    wide = _file(tmp_path, "wide.json", _wide(10, 10))
    _one_line_error(console("agree", wide), "wide.json", "MAX_SUBSTITUTE_CHECKS")
    run = console("certify", wide, "--claim", "theorem-5")
    _one_line_error(run, "wide.json", "MAX_SUBSTITUTE_CHECKS")
    run = console("certify", "xor-prior", "--claim", "theorem-5", "--lambda", "10000000")
    _one_line_error(run, "frongillo-et-al-2021-xor.json", "MAX_NUMBER_CHARS")


def test_a_huge_number_is_not_echoed_whole(console, tmp_path):
    data = _catalog(QUESTIONS)
    data["protocol"]["rounds"] = int(HUGE)
    huge = _file(tmp_path, "huge.json", data)
    rules = _file(tmp_path, "rules.json", {"format": "persuasion-profile/1", "rules": {}})
    error = _one_line_error(console("converse", huge, rules), "huge.json", "the limit is")
    assert "0" * 100 not in error


@pytest.mark.parametrize(
    "where, value",
    [(("protocol", "rounds"), "2.0"), (("protocol", "alice_messages"), "2.0"),
     (("senders", 0, "messages"), "2e0")],
)  # fmt: skip
def test_integer_fields_must_be_json_integers(console, tmp_path, where, value):
    data = _catalog(QUESTIONS)
    *parents, key = where
    holder = data
    for part in parents:
        holder = holder[part]
    holder[key] = "@"
    path = tmp_path / "decimal.json"
    path.write_text(json.dumps(data).replace('"@"', value))
    run = console("agree", str(path))
    _one_line_error(run, "decimal.json", "decimal number 2")


def test_check_says_the_prose_is_not_checked(console, tmp_path):
    out = tmp_path / "certs"
    made = console("certify", "xor-prior", "--claim", "theorem-5", "--out", str(out))
    assert made.returncode == 0, made.stderr
    cert = json.loads((out / "theorem-5.json").read_text())
    cert["statement"] = "the prior satisfies information substitutes; Alice gets at least 0.9"
    lie = _file(tmp_path, "lie.json", cert)
    run = console("check", lie)
    assert run.returncode == 0 and run.stdout.splitlines()[1] == PROSE_NOTE
    assert "statement" in PROSE_NOTE and "not checked" in PROSE_NOTE


def test_rules_are_not_written_with_ambiguous_keys():
    from persuasion.profile import dump_conversation_profile

    game = load_slug(QUESTIONS)
    sender = game.senders[0]
    odd = dataclasses.replace(game, senders=(dataclasses.replace(sender, messages=("no", "a >")),))
    table = HistoryTable((((0,), (F(1), F(0))), ((0, 0, 1), (F(1), F(0)))))
    with pytest.raises(ValueError, match="ambiguous"):
        dump_conversation_profile(ps.ConversationProfile(((table,) * 4,)), odd)
