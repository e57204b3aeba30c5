"""The ``persuasion`` command line: options, exit codes, one-line errors, JSON keys.

Most tests call :func:`persuasion.cli.main` in-process; a few run the installed
``persuasion`` script in a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import console_script
from persuasion.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "instances"
JUDGE = str(INSTANCES / "judge-prosecutor.json")
EXACT = re.compile(r"^-?\d+(/\d+)?$")

SOLVE_OPTIONS = [
    "--json",
    "--order",
    "--seed",
    "--start",
    "--max-rounds",
    "--tolerance",
    "--eta",
    "--delta",
    "--time-limit",
    "--patience",
    "--progress",
    "--no-progress",
    "--route",
    "--set-search",
    "--equilibrium",
    "--random-starts",
    "--max-starts",
    "--restricted",
    "--out",
    "--force",
]
VERIFY_OPTIONS = ["--json", "--eta", "--route", "--set-search"]

# The Appendix I "oblivious" profile: the prosecutor is silent, the defense sends
# "0" or "1" with probability 1/2 each when guilty and "1" when innocent.
OBLIVIOUS = {
    "format": "persuasion-profile/1",
    "rules": {
        "prosecutor": {"guilty": {"0": 1}, "innocent": {"0": 1}},
        "defense": {"guilty": {"0": "1/2", "1": "1/2"}, "innocent": {"1": 1}},
    },
}


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, out, err, *names):
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("persuasion: error: "), err
    for name in names:
        assert name in lines[0], (name, err)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def exact_numbers(node, where="$"):
    """Yield (json path, value) for every value that must be an exact number."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from exact_numbers(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from exact_numbers(value, f"{where}[{i}]")
    else:
        yield where, node


# ---------------------------------------------------------------- help and usage


@pytest.mark.parametrize(
    "command, options",
    [("solve", SOLVE_OPTIONS), ("verify", VERIFY_OPTIONS)],
    ids=["solve", "verify"],
)
def test_help_mentions_every_option(command, options, capsys):
    code, out, err = run([command, "--help"], capsys)
    assert code == 0
    assert err == ""
    for option in options + ["INSTANCE"]:
        assert option in out
    parser_options = {
        opt
        for action in build_parser()._subparsers._group_actions[0].choices[command]._actions
        for opt in action.option_strings
    }
    assert parser_options == set(options) | {"-h", "--help"}


def test_solve_help_explains_choices_and_defaults(capsys):
    _, out, _ = run(["solve", "--help"], capsys)
    flat = " ".join(out.split())
    for text in [
        "round-robin",
        "random",
        "auto",
        "silent",
        "revealing",
        "PROFILE_PATH",
        "default 50",
        "default 0",
        "default 1/1000",
        "supremum",
    ]:
        assert text in flat, text


def test_top_level_help_lists_commands(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    assert "solve" in out and "verify" in out


def test_version(capsys):
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert out.startswith("persuasion ")


@pytest.mark.parametrize(
    "argv, names",
    [
        ([], ["required"]),
        (["frobnicate"], ["frobnicate"]),
        (["solve"], ["INSTANCE"]),
        (["verify", JUDGE], ["PROFILE"]),
        (["solve", JUDGE, "--order", "sideways"], ["--order", "sideways"]),
        (["solve", JUDGE, "--tolerance", "abc"], ["--tolerance", "abc"]),
        (["solve", JUDGE, "--tolerance", "-1/2"], ["--tolerance"]),
        (["solve", JUDGE, "--tolerance", "1/0"], ["--tolerance"]),
        (["solve", JUDGE, "--eta", "0"], ["--eta"]),
        (["solve", JUDGE, "--eta", "nan"], ["--eta"]),
        (["verify", JUDGE, JUDGE, "--eta", "-1"], ["--eta"]),
        (["solve", JUDGE, "--max-rounds", "0"], ["--max-rounds"]),
        (["solve", JUDGE, "--max-rounds", "many"], ["--max-rounds"]),
        (["solve", JUDGE, "--seed", "x"], ["--seed"]),
        (["solve", JUDGE, "--seed", "-3"], ["--seed"]),
        (["solve", JUDGE, "--no-such-option"], ["--no-such-option"]),
    ],
)
def test_usage_errors_are_one_line_exit_2(argv, names, capsys):
    code, out, err = run(argv, capsys)
    assert_one_line_error(code, out, err, *names)


# ---------------------------------------------------------------- bad input files

TRUNCATED = '{"format": "persuasion-instance/1", "states": ['

BAD_INSTANCES = {
    "invalid-json": "{not json",
    "truncated": TRUNCATED,
    "empty": "",
    "not-an-object": "[1, 2, 3]",
    "wrong-format": '{"format": "persuasion-profile/1", "rules": {}}',
    "bad-number": (INSTANCES / "judge-prosecutor.json")
    .read_text()
    .replace('"2/3"', '"two thirds"'),
    "prior-not-summing-to-one": (INSTANCES / "judge-prosecutor.json")
    .read_text()
    .replace('"2/3"', '"1/2"'),
}


@pytest.mark.parametrize("command", ["solve", "verify"])
def test_missing_instance_file(command, tmp_path, capsys):
    missing = str(tmp_path / "no-such-instance.json")
    argv = [command, missing] + ([missing] if command == "verify" else [])
    assert_one_line_error(*run(argv, capsys), "no-such-instance.json")


@pytest.mark.parametrize("kind", sorted(BAD_INSTANCES))
@pytest.mark.parametrize("command", ["solve", "verify"])
def test_bad_instance_file(command, kind, tmp_path, capsys):
    path = write(tmp_path, f"bad-{kind}.json", BAD_INSTANCES[kind])
    profile = write(tmp_path, "profile.json", json.dumps(OBLIVIOUS))
    argv = [command, path] + ([profile] if command == "verify" else [])
    assert_one_line_error(*run(argv, capsys), f"bad-{kind}.json")


def test_directory_instead_of_instance(tmp_path, capsys):
    assert_one_line_error(*run(["solve", str(tmp_path)], capsys), str(tmp_path))


@pytest.mark.parametrize(
    "kind, text",
    [
        ("missing", None),
        ("invalid-json", "{"),
        ("truncated", '{"format": "persuasion-profile/1", "rules": {'),
        (
            "unknown-sender",
            json.dumps(
                {"format": "persuasion-profile/1", "rules": {"judge": {"guilty": {"0": 1}}}}
            ),
        ),
        (
            "not-a-distribution",
            json.dumps(
                {
                    "format": "persuasion-profile/1",
                    "rules": {
                        "prosecutor": {"guilty": {"0": "1/2"}, "innocent": {"0": 1}},
                        "defense": {"guilty": {"0": 1}, "innocent": {"0": 1}},
                    },
                }
            ),
        ),
    ],
)
def test_bad_profile_file(kind, text, tmp_path, capsys):
    name = f"profile-{kind}.json"
    path = str(tmp_path / name) if text is None else write(tmp_path, name, text)
    assert_one_line_error(*run(["verify", JUDGE, path], capsys), name)
    # the same file as the start of the dynamics
    assert_one_line_error(*run(["solve", JUDGE, "--start", path], capsys), name)


# ---------------------------------------------------------------- the installed script


def _script() -> list[str]:
    return [str(console_script())]


def test_installed_script_bad_input(tmp_path):
    path = write(tmp_path, "truncated.json", TRUNCATED)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        _script() + ["solve", path], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1
    assert proc.stderr.startswith("persuasion: error: ") and "truncated.json" in proc.stderr


def test_installed_script_help(tmp_path):
    proc = subprocess.run(
        _script() + ["solve", "--help"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0
    for option in SOLVE_OPTIONS:
        assert option in proc.stdout


# ---------------------------------------------------------------- reports (need persuasion.reports)

SOLVE_KEYS = [
    "instance",
    "first_best",
    "aligned_value",
    "aligned.value",
    "aligned.messages",
    "aligned.attained",
    "alignment.epsilon",
    "alignment.weights",
    "alignment.offset",
    "alignment.nonnegative.epsilon",
    "alignment.nonnegative.weights",
    "alignment.nonnegative.offset",
    "equilibrium.profile",
    "equilibrium.alice_utility",
    "equilibrium.sender_utilities",
    "equilibrium.nash_gap",
    "equilibrium.converged",
    "equilibrium.stop_reason",
    "equilibrium.rounds",
    "equilibrium.deviations",
    "bound.value",
    "bound.epsilon",
    "bound.holds",
]
VERIFY_KEYS = [
    "instance",
    "alice_utility",
    "sender_utilities",
    "deviations",
    "nash_gap",
    "is_equilibrium",
    "outcome.actions",
    "outcome.states",
    "outcome.joint",
]
SOLVE_NUMBERS = [
    "first_best",
    "aligned_value",
    "aligned.value",
    "alignment.epsilon",
    "alignment.weights",
    "alignment.offset",
    "alignment.nonnegative.epsilon",
    "alignment.nonnegative.weights",
    "alignment.nonnegative.offset",
    "equilibrium.alice_utility",
    "equilibrium.sender_utilities",
    "equilibrium.nash_gap",
    "bound.value",
    "bound.epsilon",
]
VERIFY_NUMBERS = ["alice_utility", "sender_utilities", "nash_gap", "outcome.joint"]


def lookup(data, dotted):
    for part in dotted.split("."):
        assert isinstance(data, dict) and part in data, f"missing key {dotted!r}"
        data = data[part]
    return data


def assert_exact(data, dotted):
    for where, value in exact_numbers(lookup(data, dotted), dotted):
        assert isinstance(value, str) and EXACT.match(value), (
            f"{where} = {value!r} is not an exact 'p/q' string"
        )


def q(text: str) -> Fraction:
    return Fraction(text)


def solve_json(path, capsys, *extra):
    code, out, err = run(["solve", str(path), "--json", *extra], capsys)
    assert code == 0, err
    assert err == ""
    return json.loads(out)


CATALOG = sorted(p.name for p in INSTANCES.glob("*.json"))


@pytest.mark.parametrize("name", CATALOG)
def test_solve_json_has_spec_keys_and_exact_numbers(name, capsys):
    report = solve_json(INSTANCES / name, capsys)
    for key in SOLVE_KEYS:
        lookup(report, key)
    for key in SOLVE_NUMBERS:
        assert_exact(report, key)
    eq = report["equilibrium"]
    profile = eq["profile"]
    assert profile["format"] == "persuasion-profile/1"
    for _, value in exact_numbers(profile["rules"]):
        assert isinstance(value, (str, int)) and EXACT.match(str(value))
    k = len(report["alignment"]["weights"])
    assert len(eq["sender_utilities"]) == k == len(eq["deviations"])
    for dev in eq["deviations"]:
        for key in ["value", "best_value", "gain"]:
            assert EXACT.match(dev[key])
        assert q(dev["gain"]) == q(dev["best_value"]) - q(dev["value"])
        assert dev["attained"] in (True, False, None)
    assert isinstance(report["bound"]["holds"], bool)
    assert isinstance(eq["converged"], bool)


# Exact answers of the catalog (each instance's "description" derives them).
KNOWN = {
    "judge-prosecutor.json": {
        "first_best": "2",
        "aligned_value": "2",
        "epsilon": "1/4",
        "nonnegative": "0",
    },
    "kg-prosecutor.json": {
        "first_best": "1",
        "aligned_value": "1",
        "epsilon": "1",
        "nonnegative": "1/2",
    },
    "medical.json": {"first_best": "1", "aligned_value": "1", "epsilon": "0", "nonnegative": "0"},
    "aligned-3-states-2-messages.json": {
        "first_best": "1",
        "aligned_value": "2/3",
        "epsilon": "0",
        "nonnegative": "0",
    },
    "two-prosecutors-selection.json": {
        "first_best": "1",
        "aligned_value": "1",
        "epsilon": "1",
        "nonnegative": "1/2",
    },
    "xor-prior.json": {"first_best": "1", "aligned_value": "1", "epsilon": "0", "nonnegative": "0"},
    "four-state-agreement.json": {
        "first_best": "3/4",
        "aligned_value": "3/4",
        "epsilon": "0",
        "nonnegative": "0",
    },
}


def test_every_catalog_instance_has_known_answers():
    assert set(CATALOG) == set(KNOWN)


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_catalog_known_answers(name, capsys):
    known = KNOWN[name]
    report = solve_json(INSTANCES / name, capsys)
    assert report["first_best"] == known["first_best"]
    assert report["aligned_value"] == known["aligned_value"]
    assert report["alignment"]["epsilon"] == known["epsilon"]
    assert report["alignment"]["nonnegative"]["epsilon"] == known["nonnegative"]
    bound = report["bound"]
    assert bound["epsilon"] == known["nonnegative"]
    assert q(bound["value"]) == q(known["aligned_value"]) - 2 * q(known["nonnegative"])
    eq = report["equilibrium"]
    if eq["converged"] and q(eq["nash_gap"]) == 0:
        # Theorem 1 (all four instances satisfy the identical induced distribution condition)
        assert bound["holds"] is True
        assert q(eq["alice_utility"]) >= q(bound["value"])


def test_judge_prosecutor_equilibrium_gives_alice_first_best(capsys):
    """Appendix I: u_A = U_prosecutor + U_defense, so every equilibrium gives Alice OPT = 2."""
    eq = solve_json(JUDGE, capsys)["equilibrium"]
    assert eq["converged"] is True
    assert eq["nash_gap"] == "0"
    assert eq["alice_utility"] == "2"


def test_kg_prosecutor_supremum_is_not_attained(capsys):
    """Kamenica-Gentzkow with ties to acquittal: the prosecutor's supremum 3/5 is never reached."""
    eq = solve_json(INSTANCES / "kg-prosecutor.json", capsys)["equilibrium"]
    (dev,) = eq["deviations"]
    assert dev["best_value"] == "3/5"
    assert dev["attained"] is False
    assert q(eq["sender_utilities"][0]) < q("3/5")


def test_verify_appendix_i_oblivious_profile(tmp_path, capsys):
    """Appendix I: the oblivious profile gives Alice 5/3 and is not an equilibrium."""
    profile = write(tmp_path, "oblivious.json", json.dumps(OBLIVIOUS))
    code, out, err = run(["verify", JUDGE, profile, "--json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    for key in VERIFY_KEYS:
        lookup(report, key)
    for key in VERIFY_NUMBERS:
        assert_exact(report, key)
    assert report["alice_utility"] == "5/3"
    assert report["sender_utilities"] == ["2/3", "1"]
    prosecutor, defense = report["deviations"]
    # the prosecutor can convict every guilty defendant and almost every innocent one
    assert prosecutor["best_value"] == "5/3" and prosecutor["attained"] is False
    assert defense["gain"] == "0" and defense["attained"] is True
    assert report["is_equilibrium"] is False
    assert q(report["nash_gap"]) > 0
    assert report["outcome"]["actions"] == ["acquit", "convict"]
    assert report["outcome"]["states"] == ["guilty", "innocent"]
    assert [[q(p) for p in row] for row in report["outcome"]["joint"]] == [
        [q("1/3"), q("1/3")],
        [q("1/3"), q("0")],
    ]


@pytest.mark.parametrize("name", CATALOG)
def test_verify_agrees_with_solve(name, tmp_path, capsys):
    """Verifying the equilibrium that solve reports gives the same utilities and Nash gap."""
    report = solve_json(INSTANCES / name, capsys)
    eq = report["equilibrium"]
    profile = write(tmp_path, "eq.json", json.dumps(eq["profile"]))
    code, out, err = run(["verify", str(INSTANCES / name), profile, "--json"], capsys)
    assert code == 0, err
    checked = json.loads(out)
    assert checked["alice_utility"] == eq["alice_utility"]
    assert checked["sender_utilities"] == eq["sender_utilities"]
    assert q(checked["nash_gap"]) == q(eq["nash_gap"])
    assert checked["is_equilibrium"] == (q(eq["nash_gap"]) == 0)


def test_solve_help_names_the_starts_auto_tries():
    """The --start metavar lists ``auto`` and every start it tries
    (:data:`persuasion.starts.AUTO`)."""
    from persuasion.starts import AUTO

    (start,) = [
        action
        for action in build_parser()._subparsers._group_actions[0].choices["solve"]._actions
        if "--start" in action.option_strings
    ]
    assert set(start.metavar.strip("{}").split(",")) == {"auto", *AUTO, "PROFILE_PATH"}


@pytest.mark.parametrize("start", ["auto", "silent", "revealing"])
def test_solve_named_starts(start, capsys):
    report = solve_json(JUDGE, capsys, "--start", start)
    assert report["equilibrium"]["start"] in {"silent", "revealing"}
    if start != "auto":
        assert report["equilibrium"]["start"] == start


def test_solve_start_from_profile(tmp_path, capsys):
    profile = write(tmp_path, "oblivious.json", json.dumps(OBLIVIOUS))
    report = solve_json(JUDGE, capsys, "--start", profile, "--max-rounds", "5")
    assert report["equilibrium"]["rounds"] <= 5
    assert report["equilibrium"]["start"] == "given profile"


def test_solve_random_order_is_reproducible(capsys):
    args = ("--order", "random", "--seed", "7")
    assert solve_json(JUDGE, capsys, *args) == solve_json(JUDGE, capsys, *args)


@pytest.mark.parametrize("command", ["solve", "verify"])
def test_tables_show_exact_values(command, tmp_path, capsys):
    profile = write(tmp_path, "oblivious.json", json.dumps(OBLIVIOUS))
    argv = [command, JUDGE] + ([profile] if command == "verify" else [])
    code, out, err = run(argv, capsys)
    assert code == 0, err
    assert err == ""
    assert "judge-prosecutor" in out
    assert "Nash gap" in out
    if command == "verify":
        assert "5/3" in out
    else:
        assert "1/4" in out  # the simplex-weighted alignment error


# ---------------------------------------------------------------- review: found by breaking the CLI
#
# Each test below failed before its fix; they run the installed console script, as a user would.

SCRIPT = Path(sys.executable).with_name("persuasion")
HANG = 120  # seconds: only there so that a hang fails instead of blocking (no timing is asserted)


def console(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    if not SCRIPT.exists():
        pytest.skip("the console script is not installed next to python")
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=HANG, cwd=cwd
    )


@pytest.mark.parametrize("eta", ["1/10000000000000000000000000000000000000000", "1e-9999"])
def test_review_tiny_eta_still_comes_within_eta(eta, tmp_path):
    """--eta below 2^-64 used to give up silently and return the LP optimum, whose actual value
    under the tie-break is 2/3: shortfall 1, far beyond the documented 'achieved >= best_value -
    eta'."""
    profile = write(tmp_path, "oblivious.json", json.dumps(OBLIVIOUS))
    result = console("verify", JUDGE, profile, "--eta", eta, "--json")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    report = json.loads(result.stdout)
    prosecutor = report["deviations"][0]
    assert (prosecutor["best_value"], prosecutor["attained"], prosecutor["gain"]) == (
        "5/3",
        False,
        "1",
    )
    bound = Fraction(eta) if "/" in eta else Fraction(1, 10**9999)
    for deviation in report["deviations"]:
        shortfall = Fraction(deviation["shortfall"])
        assert 0 <= shortfall <= bound
        assert Fraction(deviation["achieved"]) == Fraction(deviation["best_value"]) - shortfall


def _judge_variant(tmp_path: Path, name: str, change) -> str:
    data = json.loads(Path(JUDGE).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _silent_senders(data):
    for sender in data["senders"]:
        sender["messages"] = 1  # C* reveals nothing: eps_u = 2/3


def _huge_utilities(data):
    data["alice"]["utility"] = [["1e400", 2], [2, "1e-400"]]  # valid: numbers are exact


@pytest.mark.parametrize(
    "change, args",
    [
        (
            _silent_senders,
            ["--claim", "proposition-2", "--lambda", "1e6"],
        ),  # e^(4 lambda eps_u) = e^(2.7 million)
        (_silent_senders, ["--claim", "lemma-2", "--lambda", "1e9"]),
        (
            _silent_senders,
            ["--claim", "lemma-1", "--lambda", "1e10000"],
        ),  # mpmath's e^(-10^10000) never ended
        (
            _huge_utilities,
            [],
        ),  # the default claims at the default lambda 10: lemma-2's eps is 1e400
    ],
)
def test_review_analytic_claims_refuse_huge_exponents_at_once(change, args, tmp_path):
    """certify ran for minutes (no end seen) building e^x with millions of digits that _fits then
    refused."""
    instance = _judge_variant(tmp_path, "variant", change)
    result = console("certify", instance, *args)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("persuasion: error: "), (
        result.stderr
    )
    assert "lambda" in result.stderr


def test_review_lemma_2_ratios_still_check_at_a_large_lambda(tmp_path):
    """The ratio intervals are now computed from the shifted exponents; the kernel still accepts
    them."""
    result = console(
        "certify", JUDGE, "--claim", "lemma-2", "--lambda", "3000", "--out", str(tmp_path / "certs")
    )
    assert result.returncode == 0, result.stderr
    checked = console("check", str(tmp_path / "certs" / "lemma-2.json"), "--instance", JUDGE)
    assert checked.returncode == 0 and checked.stdout.startswith(
        "VALID: lemma-2 holds: lambda 3000,"
    ), checked.stdout


@pytest.mark.parametrize(
    "grid, limit",
    [
        (["--senders", "1000"], "1000 senders; the limit is 100 "),
        (["--states", "10001"], "10001 states; the limit is 10000 "),
        (["--senders", "2,5", "--states", "20"], "more than 1000000 terms"),  # 20^6 outcome terms
    ],
)
def test_review_simulate_refuses_a_grid_beyond_the_instance_limits(grid, limit, tmp_path):
    """simulate built and played instances that an instance file of that size could never pass
    (1,000 senders; 20^6 outcome terms), silently, for hours."""
    result = console(
        "simulate", *grid, "--runs", "2", "--jobs", "1", "--family", "hull", cwd=tmp_path
    )
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert (
        result.stderr.startswith("persuasion: error: --senders/--states/--actions: ")
        and limit in result.stderr
    )
    assert list(tmp_path.iterdir()) == []


def test_a_huge_option_value_gives_a_short_error_line(capsys):
    """argparse echoes a bad choice back; the line is cut like every other error
    (MAX_ERROR_CHARS)."""
    from persuasion.limits import MAX_ERROR_CHARS

    assert main(["solve", "instances/judge-prosecutor.json", "--order", "x" * 100_000]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("persuasion: error: ")
    assert len(lines[0]) < MAX_ERROR_CHARS + 100
