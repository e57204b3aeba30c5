"""Theorem certificates: pinned answers, VALID on generated instances, every tampering rejected."""

from __future__ import annotations

import copy
import json
from fractions import Fraction as F
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, strategies as st

from persuasion.certify import CLAIMS, certify
from persuasion.certify.claims import definition_1, theorem_1, theorem_7
from persuasion.check import StepFailure, check
from persuasion.cli import main
from persuasion.equilibrium import best_response_dynamics
from persuasion.model import revealing_profile, silent_profile
from persuasion.receiver import outcome
from persuasion.testing import convex_combination_instances, instances

ETA = F(1, 1000)
SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "persuasion/schema/certificate.schema.json").read_text())


def roundtrip(cert):
    """What a reader of the file gets back."""
    return json.loads(json.dumps(cert))


def valid(cert) -> bool:
    jsonschema.validate(cert, SCHEMA)
    check(roundtrip(cert))
    return True


def test_judge_prosecutor_theorem_7_pinned(catalog):
    """Appendix I: alignment holds exactly (w = (1, 1)), yet oblivious senders leave Alice at 5/3 < 2."""
    cert = theorem_7(catalog("judge-prosecutor"))
    assert cert["holds"] is True
    assert cert["conclusion"] == {"alice_utility": "5/3", "first_best": "2", "epsilon": "0"}
    rules = cert["profile"]["rules"]
    assert rules["prosecutor"] == {"guilty": {"0": "1"}, "innocent": {"0": "1"}}   # says nothing
    (acquit_message, p), = rules["defense"]["innocent"].items()                    # innocent: always "acquit"
    assert p == "1"
    assert rules["defense"]["guilty"][acquit_message] == "1/2"                       # guilty: half the time
    assert sorted(rules["defense"]["guilty"].values()) == ["1/2", "1/2"]
    assert valid(cert)


def test_judge_prosecutor_theorem_1_at_full_revelation(catalog):
    inst = catalog("judge-prosecutor")
    cert = theorem_1(inst, revealing_profile(inst))
    assert cert["holds"] is True
    c = cert["conclusion"]
    assert (c["alice_utility"], c["aligned_value"], c["epsilon"], c["nash_gap"], c["bound"]) == ("2", "2", "0", "0", "2")
    assert valid(cert)


def test_theorem_1_with_gains_away_from_equilibrium(catalog):
    """At the silent profile the defense gains 1: the certified bound weakens to 2 - 0 - 1*1 = 1 <= 5/3."""
    inst = catalog("judge-prosecutor")
    cert = theorem_1(inst, silent_profile(inst))
    c = cert["conclusion"]
    assert (c["gains"], c["nash_gap"], c["bound"], c["alice_utility"]) == (["0", "1"], "1", "1", "5/3")
    assert cert["holds"] is True and valid(cert)


def test_definition_1_pinned(catalog):
    inst = catalog("judge-prosecutor")
    simplex, nonneg = definition_1(inst), definition_1(inst, simplex=False)
    assert simplex["conclusion"] == {"epsilon": "1/4", "weights": ["1/2", "1/2"], "offset": "3/4"}
    assert nonneg["conclusion"] == {"epsilon": "0", "weights": ["1", "1"], "offset": "0"}
    assert valid(simplex) and valid(nonneg)


def test_limited_messages_bound_uses_every_set(catalog):
    """U_A(C*) = 2/3 with two messages for three states is proved by one dual per pair of vectors."""
    inst = catalog("aligned-3-states-2-messages")
    cert = theorem_1(inst, revealing_profile(inst))
    bound = next(s for s in cert["steps"] if s["id"] == "aligned-bound:aligned")
    assert bound["bound"] == "2/3" and len(bound["sets"]) == 3
    assert cert["conclusion"]["aligned_value"] == "2/3" and valid(cert)


@pytest.mark.parametrize("slug", ["judge-prosecutor", "kg-prosecutor", "medical", "aligned-3-states-2-messages"])
def test_every_claim_on_every_instance_is_valid(catalog, slug):
    inst = catalog(slug)
    for cert in certify(inst, list(CLAIMS), profile=revealing_profile(inst), eta=ETA):
        assert valid(cert), cert["claim"]


@given(convex_combination_instances(max_states=2, max_actions=2, max_senders=2))
def test_theorem_1_certificates_on_in_hull_equilibria(inst):
    """Generated in-hull instances: the certificate at the profile BRD reaches is VALID and its bound holds."""
    dyn = best_response_dynamics(inst, revealing_profile(inst), max_rounds=4)
    cert = theorem_1(inst, dyn.profile)
    assert valid(cert)
    assert cert["conclusion"]["epsilon"] == "0"
    if cert["conclusion"]["identical_induced_distributions"]:
        assert F(cert["conclusion"]["bound"]) <= outcome(inst, dyn.profile).alice_utility
        assert cert["holds"] is True


@given(instances(max_states=2, max_actions=2, max_senders=2), st.sampled_from(["silent", "revealing"]))
def test_certified_bound_never_exceeds_alice(inst, start):
    """Near-hull and unrelated utilities: the certified bound is never above Alice's utility."""
    profile = silent_profile(inst) if start == "silent" else revealing_profile(inst)
    cert = theorem_1(inst, profile)
    assert valid(cert)
    if cert["conclusion"]["identical_induced_distributions"]:
        assert F(cert["conclusion"]["bound"]) <= outcome(inst, profile).alice_utility


# --- tampering -----------------------------------------------------------------

def numbers_in(node, path=()):
    """Every (path, value) of an exact-number string inside ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from numbers_in(value, path + (key,))
    elif isinstance(node, list):
        for k, value in enumerate(node):
            yield from numbers_in(value, path + (k,))
    elif isinstance(node, str) and node.lstrip("-").replace("/", "").isdigit():
        yield path, node


def setting(cert, path, value):
    bad = copy.deepcopy(cert)
    node = bad
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return bad


def rejected(cert) -> bool:
    try:
        check(roundtrip(cert))
    except StepFailure:
        return True
    return False


@pytest.fixture(scope="module")
def real_certificates():
    from persuasion.instance import load_instance

    root = Path(__file__).resolve().parent.parent / "instances"
    judge = load_instance(root / "judge-prosecutor.json")
    kg = load_instance(root / "kg-prosecutor.json")
    return [theorem_1(judge, revealing_profile(judge)), theorem_1(judge, silent_profile(judge)),
            theorem_7(judge), definition_1(judge), definition_1(kg, simplex=False)]


def test_changing_a_stated_number_is_rejected(real_certificates):
    """Every number that a step states as a fact (values, bounds, epsilons, weights, gains) is re-derived."""
    stated = ("value", "alice_value", "bound", "epsilon", "offset", "weights", "gains", "nash_gap",
              "alice_utility", "sender_utilities", "kappa", "first_best", "aligned_value")
    tried = 0
    for cert in real_certificates:
        for path, text in numbers_in(cert):
            if path[0] in ("steps", "conclusion") and any(key in stated for key in path if isinstance(key, str)):
                tried += 1
                assert rejected(setting(cert, path, str(F(text) + F(1, 7)))), path
    assert tried > 50


def test_changing_the_game_is_rejected(real_certificates):
    """Change a utility, a prior probability or a profile probability: the certificate no longer fits."""
    for cert in real_certificates[:3]:
        assert rejected(setting(cert, ("instance", "alice", "utility", 0, 0), "7"))
        assert rejected(setting(cert, ("instance", "senders", 0, "utility", 1, 0), "5"))
    for cert in real_certificates[:2]:
        other = {"guilty": {"0": "1/2", "1": "1/2"}, "innocent": {"0": "1"}}
        assert cert["profile"]["rules"]["defense"] != other
        assert rejected(setting(cert, ("profile", "rules", "defense"), other))


def test_dropping_a_constraint_is_rejected(real_certificates):
    """Drop a pruned assignment, a listed response vector or a situation from a bound."""
    cert = real_certificates[1]
    for k, step in enumerate(cert["steps"]):
        if step["kind"] != "upper-bound":
            continue
        for key in ("pruned", "vectors", "situations"):
            if step[key]:
                assert rejected(setting(cert, ("steps", k, key), step[key][1:])), (step["id"], key)


def test_swapping_a_sign_is_rejected(real_certificates):
    """Negate a non-zero multiplier or fit number anywhere in the steps."""
    tried = 0
    for cert in real_certificates:
        for path, text in numbers_in(cert["steps"], ("steps",)):
            if F(text) != 0 and isinstance(path[-1], (int, str)) and path[2] in ("mu", "zeta", "weights", "offset", "lambda", "z", "multipliers", "sets"):
                tried += 1
                assert rejected(setting(cert, path, str(-F(text)))), path
    assert tried > 10


def test_flipping_holds_is_rejected(real_certificates):
    for cert in real_certificates:
        assert rejected(setting(cert, ("holds",), not cert["holds"]))


def test_check_command(tmp_path, capsys, catalog):
    assert main(["certify", "instances/judge-prosecutor.json", "--claim", "theorem-7", "--out", str(tmp_path)]) == 0
    path = tmp_path / "theorem-7.json"
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("VALID")
    cert = json.loads(path.read_text())
    cert["conclusion"]["alice_utility"] = "2"
    path.write_text(json.dumps(cert))
    assert main(["check", str(path)]) == 1
    assert "INVALID: step theorem-7" in capsys.readouterr().out
    path.write_text("{not json")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err


def test_forgeries_found_in_review_are_rejected(real_certificates):
    """Tamperings that keep every number consistent but break the proof's links."""
    thm1_rev, _, thm7 = real_certificates[:3]
    # Theorem 7: a profile that is not made of the oblivious schemes proved optimal.
    other = {"guilty": {"0": "1"}, "innocent": {"1": "1"}}
    assert rejected(setting(thm7, ("profile", "rules", "defense"), other))
    # Nash gap: one sender's gain read off another sender's bound.
    k = next(k for k, s in enumerate(thm1_rev["steps"]) if s["kind"] == "nash-gap")
    uses = dict(thm1_rev["steps"][k]["uses"], **{"bound:prosecutor": "bound:defense"})
    assert rejected(setting(thm1_rev, ("steps", k, "uses"), uses))
    # A looser (still true) fit than the optimum certified next to it.
    assert rejected(setting(thm1_rev, ("steps", 0, "epsilon"), "1/2"))
    # The embedded instance no longer matches its hash.
    assert rejected(setting(thm1_rev, ("instance", "description"), "edited"))


def as_selection(inst):
    import dataclasses

    return dataclasses.replace(inst, protocol=dataclasses.replace(inst.protocol, game="best-ai-selection"))


def test_theorem_6_at_the_two_prosecutors_stall(catalog):
    """Hull fails (non-negative eps = 1/2): the bound 1 - 2*(1/2) = 0 holds but says nothing about the stall."""
    from persuasion.certify.claims import theorem_6
    from persuasion.equilibrium import oblivious_profile

    inst = catalog("two-prosecutors-selection")
    cert = theorem_6(inst, oblivious_profile(inst, ETA))
    c = cert["conclusion"]
    assert (c["aligned_value"], c["epsilon"], c["bound"], c["gains"]) == ("1", "1/2", "0", ["0", "0"])
    assert F(7, 10) <= F(c["alice_utility"]) < F(71, 100)
    assert cert["holds"] is True and valid(cert)
    assert rejected(setting(cert, ("steps", len(cert["steps"]) - 1, "gains"), ["1", "0"]))


@given(convex_combination_instances(max_states=2, max_actions=2, max_senders=2), st.sampled_from(["silent", "revealing"]))
def test_theorem_6_certificates_in_the_hull(inst, start):
    """In-hull selection games: at any profile the certificate is VALID and its bound holds."""
    from persuasion.certify.claims import theorem_6
    from persuasion.selection import selection_outcome

    inst = as_selection(inst)
    profile = silent_profile(inst) if start == "silent" else revealing_profile(inst)
    cert = theorem_6(inst, profile)
    assert valid(cert) and cert["holds"] is True
    assert F(cert["conclusion"]["bound"]) <= selection_outcome(inst, profile).alice_utility


def test_certify_on_a_quantal_instance_skips_the_theorems(tmp_path, capsys):
    """The analytic claims use the instance's lambda; Theorems 1/6/7 need best response and are left out,
    and asking for one explicitly is a one-line error."""
    path = tmp_path / "quantal.json"
    path.write_text(json.dumps({
        "format": "persuasion-instance/1", "states": ["a", "b"], "actions": ["x", "y"],
        "prior": {"a": "1/2", "b": "1/2"}, "alice": {"utility": [[1, 0], [0, 1]]},
        "senders": [{"name": "s", "utility": [[0, 1], [1, 0]]}],
        "protocol": {"decision": {"rule": "quantal", "lambda": 5}},
    }))
    assert main(["certify", str(path), "--json"]) == 0
    claims = [c["name"] for c in json.loads(capsys.readouterr().out)["claims"]]
    assert claims == ["definition-1", "definition-1-nonnegative", "lemma-1", "lemma-2", "proposition-2", "proposition-3"]
    assert main(["certify", str(path), "--claim", "theorem-1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "quantal" in err
