"""The independent checker: valid certificates pass, tampered ones fail."""

import ast
import copy
import json
import random
from fractions import Fraction as F
from pathlib import Path

import pytest

import persuasion.lp.checker as checker_module
from persuasion.lp import CertificateError, LinearProgram, check_certificate, solve
from lp_testing import random_lp


def _textbook():
    lp = LinearProgram(sense="max")
    x, y, z = lp.add_variable(3), lp.add_variable(2), lp.add_variable(F(-1, 2), free=True)
    lp.add_constraint({x: 1, y: 1}, "<=", 4)
    lp.add_constraint({x: 1, y: 3, z: 1}, "<=", 6)
    lp.add_constraint({x: 1}, "<=", 3)
    lp.add_constraint({z: 1}, ">=", F(-1, 3))
    lp.add_constraint({z: 2, y: 1}, "==", 1)
    return lp


def _rejects(cert):
    with pytest.raises(CertificateError):
        check_certificate(cert)


def _bumped(text: str) -> str:
    return str(F(text) + F(1, 7))


def test_checker_uses_only_the_standard_library():
    tree = ast.parse(Path(checker_module.__file__).read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported <= {"re", "fractions", "json"}


def test_certificate_is_json_and_self_contained():
    res = solve(_textbook())
    text = json.dumps(res.certificate)
    check_certificate(json.loads(text))
    cert = res.certificate
    assert cert["status"] == "optimal" and F(cert["value"]) == res.value
    assert cert["lp"]["free"] == [False, False, True]
    assert [r["sense"] for r in cert["lp"]["rows"]] == ["<=", "<=", "<=", ">=", "=="]


def test_optimal_tampering_is_rejected():
    res = solve(_textbook())
    cert = res.certificate
    check_certificate(cert)
    lp = cert["lp"]
    targets = [("value",)]
    targets += [
        ("x", j) for j, c in enumerate(lp["objective"]) if F(c) != 0 and F(cert["x"][j]) != 0
    ]
    targets += [("x", j) for j, c in enumerate(lp["objective"]) if F(c) != 0]
    targets += [("y", i) for i, row in enumerate(lp["rows"]) if F(row["rhs"]) != 0]
    targets += [("lp", "objective", j) for j, v in enumerate(cert["x"]) if F(v) != 0]
    targets += [("lp", "rows", i, "rhs") for i, v in enumerate(cert["y"]) if F(v) != 0]
    assert len(targets) >= 8
    for path in targets:
        bad = copy.deepcopy(cert)
        node = bad
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = _bumped(node[path[-1]])
        _rejects(bad)


def test_coefficient_tampering_in_a_tight_row_is_rejected():
    cert = solve(_textbook()).certificate
    for i, row in enumerate(cert["lp"]["rows"]):
        for e, (j, a) in enumerate(row["coefficients"]):
            if F(cert["x"][j]) != 0 and F(cert["y"][i]) != 0:
                bad = copy.deepcopy(cert)
                bad["lp"]["rows"][i]["coefficients"][e][1] = _bumped(a)
                _rejects(bad)


def test_structural_tampering_is_rejected():
    cert = solve(_textbook()).certificate
    edits = [
        lambda c: (
            c.__setitem__("status", "infeasible") or c["lp"]["rows"][0].__setitem__("rhs", "-1")
        ),
        lambda c: c.__setitem__("status", "unbounded"),
        lambda c: c.__setitem__("status", "maybe"),
        lambda c: c["x"].pop(),
        lambda c: c["y"].append("0"),
        lambda c: c["x"].__setitem__(0, 3.0),
        lambda c: c["x"].__setitem__(0, "3.0"),
        lambda c: c.__setitem__("value", "1/0"),
        lambda c: c["lp"].__setitem__("sense", "min"),
        lambda c: c["lp"]["free"].pop(),
        lambda c: c["lp"]["free"].__setitem__(2, 1),
        lambda c: c["lp"]["rows"][4].__setitem__("sense", "<="),
        lambda c: c["lp"]["rows"][0]["coefficients"].append([0, "1"]),
        lambda c: c["lp"]["rows"][0]["coefficients"].append([7, "1"]),
        lambda c: c["lp"].pop("rows"),
    ]
    for edit in edits:
        bad = copy.deepcopy(cert)
        edit(bad)
        _rejects(bad)
    _rejects("not a certificate")


def test_infeasible_tampering_is_rejected():
    lp = LinearProgram(sense="min")
    x = lp.add_variable(1)
    lp.add_constraint({x: 1}, ">=", 2)
    lp.add_constraint({x: 1}, "<=", 1)
    cert = solve(lp).certificate
    check_certificate(cert)
    for i in range(2):
        bad = copy.deepcopy(cert)
        bad["y"][i] = "0"
        _rejects(bad)
    bad = copy.deepcopy(cert)
    bad["lp"]["rows"][0]["rhs"] = "1"
    _rejects(bad)
    bad = copy.deepcopy(cert)
    bad["y"] = [str(-F(v)) for v in bad["y"]]
    _rejects(bad)


def test_unbounded_tampering_is_rejected():
    lp = LinearProgram(sense="max")
    x, y = lp.add_variable(1), lp.add_variable(-1, free=True)
    lp.add_constraint({x: 1, y: -1}, ">=", 2)
    cert = solve(lp).certificate
    check_certificate(cert)
    bad = copy.deepcopy(cert)
    bad["ray"] = ["0", "0"]
    _rejects(bad)
    bad = copy.deepcopy(cert)
    bad["x"] = ["0", "0"]
    _rejects(bad)
    bad = copy.deepcopy(cert)
    bad["lp"]["sense"] = "min"
    _rejects(bad)


def test_random_single_number_tampering_of_the_value_or_duality():
    """A random nonzero change of the value, or of a y entry with b_i != 0, always breaks the
    certificate."""
    rng = random.Random(1)
    checked = 0
    while checked < 30:
        res = solve(random_lp(rng, n=rng.randint(1, 4), m=rng.randint(1, 4)))
        if res.status != "optimal":
            continue
        cert = res.certificate
        shift = str(F(rng.choice((-1, 1)) * rng.randint(1, 9), rng.randint(1, 9)))
        bad = copy.deepcopy(cert)
        bad["value"] = str(F(bad["value"]) + F(shift))
        _rejects(bad)
        rows = [i for i, r in enumerate(cert["lp"]["rows"]) if F(r["rhs"]) != 0]
        if rows:
            i = rng.choice(rows)
            bad = copy.deepcopy(cert)
            bad["y"][i] = str(F(bad["y"][i]) + F(shift))
            _rejects(bad)
        checked += 1
