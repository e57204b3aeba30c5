"""Hostile and extreme input through the installed ``persuasion`` console script (issue 7, points
2(b), 2(c), 3).

- Bad input of every kind ends in exactly one line on stderr and exit status 2,
  within a timeout that catches a hang (no timing is asserted).
- Utilities of ``1e400`` or ``1e-400`` (and priors with such probabilities) are
  valid: they give exactly the unscaled answers, scaled back, and never a traceback.
- Names that are not printable cannot break the text tables or their encoding.
- ``docs/reference/limits.md`` states the numbers of ``persuasion/limits.py``.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest

from persuasion import limits, render
from persuasion.errors import InputError
from persuasion.instance import load_instance, parse_instance
from persuasion.model import revealing_profile
from persuasion.profile import parse_profile
from persuasion.api import solve, verify


def solve_report(instance):
    """What ``persuasion solve --json`` prints for ``instance``."""
    return solve(instance).to_json()


def verify_report(instance, profile):
    """What ``persuasion verify --json`` prints for ``instance`` and ``profile``."""
    return verify(instance, profile).to_json()


ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "instances"
CATALOG = sorted(p.stem for p in INSTANCES.glob("*.json"))
SCRIPT = Path(sys.executable).with_name("persuasion")
TIMEOUT = 30  # seconds: generous, only there so that a hang fails instead of blocking
PREFIX = "persuasion: error: "


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
        encoding="utf-8",
        errors="backslashreplace",
    )


def one_error_line(result: subprocess.CompletedProcess, *fragments: str) -> str:
    """The run failed on bad input: exit 2, nothing on stdout, one short line on stderr holding the
    fragments."""
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert result.stdout == ""
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr[-2000:]
    line = result.stderr.rstrip("\n")
    assert line.startswith(PREFIX) and "Traceback" not in line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


def judge() -> dict:
    return json.loads((INSTANCES / "judge-prosecutor.json").read_text(encoding="utf-8"))


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


pytestmark = pytest.mark.skipif(
    not SCRIPT.exists(), reason="the console script is not installed next to python"
)


# ---- bad input: one line, exit 2 -----------------------------------------------


def hostile_files() -> list[tuple[str, str, list[str]]]:
    base = json.dumps(judge())
    cell = base.replace('"utility": [[1, 2]', '"utility": [[@@, 2]', 1)
    assert "@@" in cell
    data = judge()
    data["senders"][0]["messages"] = [f"m{k}" for k in range(20_000)]
    names = json.dumps(data)
    data = judge()
    data["states"][0] = "\ud800"
    data["prior"] = {"\ud800": "2/3", "innocent": "1/3"}
    surrogate = json.dumps(data)  # ensure_ascii: the file holds the escape \ud800
    data = judge()
    data["prior"] = {"guilty": "1/" + "7" * 4999, "innocent": "1/" + "3" * 4999}
    long_sum = json.dumps(data)
    return [
        (
            "exponent",
            cell.replace("@@", "1e999999999"),
            ["$.alice.utility[0][0]", "exponent 999999999", "limits.md"],
        ),
        (
            "exponent-string",
            cell.replace("@@", '"1e999999999"'),
            ["$.alice.utility[0][0]", "exponent 999999999"],
        ),
        (
            "million-digits",
            cell.replace("@@", "9" * 1_000_000),
            ["an integer of 1000000 digits; the limit is 10000"],
        ),
        (
            "arabic-digit",
            cell.replace("@@", '"\u0663"'),
            ["$.alice.utility[0][0]", "not an exact number"],
        ),
        ("names-20000", names, ["$.senders[0].messages: 20000 messages; the limit is 10000"]),
        ("surrogate", surrogate, ["$.states[0]: not Unicode text: lone surrogate U+D800"]),
        ("long-sum", long_sum, ["$.prior: prior probabilities sum to", "..., not 1"]),
        (
            "deep",
            base.replace('"name": "judge-prosecutor"', '"name": ' + "[" * 100_000 + "]" * 100_000),
            ["nested far more than 64 levels deep; the limit is 64"],
        ),
    ]


@pytest.mark.parametrize("case", hostile_files(), ids=lambda case: case[0])
def test_hostile_instance_files_end_in_one_line(tmp_path: Path, case) -> None:
    name, text, fragments = case
    write(tmp_path, "game.json", text)
    for command in (["solve", "game.json"], ["certify", "game.json", "--json"]):
        line = one_error_line(run(*command, cwd=tmp_path), "game.json: ", *fragments)
        assert len(line) <= len(PREFIX) + limits.MAX_ERROR_CHARS


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    with open(tmp_path / "huge.json", "wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    one_error_line(
        run("solve", "huge.json", cwd=tmp_path),
        f"huge.json: a file of {limits.MAX_FILE_BYTES + 1} bytes; the limit is "
        f"{limits.MAX_FILE_BYTES}",
    )


@pytest.mark.parametrize(
    "option, value, fragment",
    [
        ("--eta", "1e999999999", "argument --eta: exponent 999999999"),
        ("--tolerance", "9" * 20_000, "argument --tolerance: a number of 20000 characters"),
        ("--eta", "\u0663", "argument --eta: not an exact number"),
        ("--eta", "1/\uff13", "argument --eta: not an exact number"),
        ("--seed", "\u0663", "argument --seed: not an integer"),
        ("--max-rounds", "1" * 100_000, "argument --max-rounds: a number of 100000 characters"),
    ],
)
def test_hostile_options_end_in_one_line(option: str, value: str, fragment: str) -> None:
    line = one_error_line(
        run("solve", str(INSTANCES / "judge-prosecutor.json"), option, value), fragment
    )
    assert len(line) <= 400  # argparse adds the prefix "argument --X: " and a help hint


def test_hostile_profile_ends_in_one_line(tmp_path: Path) -> None:
    profile = {
        "format": "persuasion-profile/1",
        "rules": {
            "prosecutor": {"guilty": {"0": 1}, "innocent": {"0": 1}},
            "defense": {"guilty": {"0": "@@"}, "innocent": {"1": 1}},
        },
    }
    write(tmp_path, "profile.json", json.dumps(profile).replace('"@@"', "1e999999999"))
    one_error_line(
        run("verify", str(INSTANCES / "judge-prosecutor.json"), "profile.json", cwd=tmp_path),
        'profile.json: $.rules.defense.guilty["0"]: exponent 999999999',
    )


def test_hostile_certificate_ends_in_one_line(tmp_path: Path) -> None:
    write(tmp_path, "cert.json", '{"format": "persuasion-certificate/1", "claim": 1e999999999}')
    one_error_line(
        run("check", "cert.json", cwd=tmp_path), "cert.json: $.claim: exponent 999999999"
    )


# ---- extreme but valid numbers: exact answers, scaled back ---------------------------


def scaled(data: dict, who: str | int, k: F) -> dict:
    """``data`` with Alice's (``who == "alice"``) or sender ``who``'s utilities multiplied by
    ``k``."""
    out = copy.deepcopy(data)
    target = out["alice"] if who == "alice" else out["senders"][who]
    target["utility"] = [[str(F(v) * k) for v in row] for row in target["utility"]]
    return out


@pytest.mark.parametrize("slug", CATALOG)
@pytest.mark.parametrize("k", [F(10**400), F(1, 10**400)], ids=["1e400", "1e-400"])
@pytest.mark.parametrize("who", ["alice", 0], ids=["alice", "sender0"])
def test_catalog_scaled_by_1e400_gives_the_unscaled_answers(slug: str, k: F, who) -> None:
    """Positive scaling of one player's utilities scales that player's numbers and nothing else."""
    base = json.loads((INSTANCES / f"{slug}.json").read_text(encoding="utf-8"))
    inst = parse_instance(base)
    profile = parse_profile(solve_report(inst)["equilibrium"]["profile"], inst)
    plain = verify_report(inst, profile)
    big = verify_report(parse_instance(scaled(base, who, k)), profile)

    def times(values, i):
        return [F(v) * (k if j == i else 1) for j, v in enumerate(values)]

    if who == "alice":
        assert F(big["alice_utility"]) == F(plain["alice_utility"]) * k
        assert big["sender_utilities"] == plain["sender_utilities"]
        assert [d["gain"] for d in big["deviations"]] == [d["gain"] for d in plain["deviations"]]
    else:
        assert big["alice_utility"] == plain["alice_utility"]
        assert [F(v) for v in big["sender_utilities"]] == times(plain["sender_utilities"], who)
        assert [F(d["gain"]) for d in big["deviations"]] == times(
            [d["gain"] for d in plain["deviations"]], who
        )
        assert [F(d["best_value"]) for d in big["deviations"]] == times(
            [d["best_value"] for d in plain["deviations"]], who
        )
    assert big["is_equilibrium"] == plain["is_equilibrium"]
    if "outcome" in plain:
        assert big["outcome"] == plain["outcome"]


@pytest.mark.parametrize("k", [F(10**400), F(1, 10**400)], ids=["1e400", "1e-400"])
def test_solve_on_scaled_alice_utilities(k: F) -> None:
    """The benchmarks of Alice scale with her utility; the non-negative alignment error too."""
    base = judge()
    plain = solve_report(parse_instance(base))
    big = solve_report(parse_instance(scaled(base, "alice", k)))
    for key in ("first_best", "aligned_value"):
        assert F(big[key]) == F(plain[key]) * k
    assert (
        F(big["alignment"]["nonnegative"]["epsilon"])
        == F(plain["alignment"]["nonnegative"]["epsilon"]) * k
    )
    assert F(big["equilibrium"]["alice_utility"]) == F(plain["equilibrium"]["alice_utility"]) * k
    assert big["equilibrium"]["nash_gap"] == "0" and big["bound"]["holds"] is True


@pytest.mark.parametrize("tiny", [F(1, 10**400), F(1, 10**39)], ids=["1e-400", "1e-39"])
def test_prior_with_tiny_probabilities_matches_the_exact_simplex(tiny: F, monkeypatch) -> None:
    """A prior of 1 - 1e-400 and 1e-400: the answers equal those of the float-free exact simplex
    route."""
    import persuasion.lp.pipeline as pipeline
    from persuasion.lp.highs import FloatOutcome

    data = judge()
    data["prior"] = {"guilty": str(1 - tiny), "innocent": str(tiny)}
    inst = parse_instance(data)
    profile = revealing_profile(inst)
    got = verify_report(inst, profile)
    monkeypatch.setattr(pipeline, "float_solve", lambda ilp, strict=False: FloatOutcome("error"))
    reference = verify_report(inst, profile)
    assert got["alice_utility"] == reference["alice_utility"]
    assert got["sender_utilities"] == reference["sender_utilities"]
    assert [(d["best_value"], d["gain"]) for d in got["deviations"]] == [
        (d["best_value"], d["gain"]) for d in reference["deviations"]
    ]


@pytest.mark.parametrize(
    "command, k",
    [("solve", "1" + "0" * 400), ("verify", "1/1" + "0" * 400)],
    ids=["solve-1e400", "verify-1e-400"],
)
def test_console_script_on_scaled_instances(tmp_path: Path, command: str, k: str) -> None:
    """The text renderer and --json print such numbers: exit 0, nothing on stderr."""
    write(tmp_path, "game.json", json.dumps(scaled(judge(), 0, F(k))))
    write(
        tmp_path,
        "profile.json",
        json.dumps(
            {
                "format": "persuasion-profile/1",
                "rules": {
                    "prosecutor": {"guilty": {"0": 1}, "innocent": {"1": 1}},
                    "defense": {"guilty": {"0": 1}, "innocent": {"1": 1}},
                },
            }
        ),
    )
    args = [command, "game.json"] + (["profile.json"] if command == "verify" else [])
    text = run(*args, cwd=tmp_path)
    assert text.returncode == 0 and text.stderr == "", text.stderr[-3000:]
    assert f"persuasion {command}: judge-prosecutor" in text.stdout
    assert (
        "1.33333e-400" if "/" in k else "1.33333e+400"
    ) in text.stdout  # the prosecutor's utility, 4/3 * k
    as_json = run(*args, "--json", cwd=tmp_path)
    assert as_json.returncode == 0 and as_json.stderr == "", as_json.stderr[-3000:]
    assert '"sender_utilities"' in as_json.stdout


def test_float_companions_beyond_doubles() -> None:
    assert render.approx(F(10**400, 3)) == "3.33333e+399"
    assert render.approx(F(1, 3 * 10**400)) == "3.33333e-401"
    assert render.approx(F(-(10**400))) == "-1e+400"
    assert (
        render.approx(F(2, 3)) == "0.666667" and render.approx(F(10**20)) == "100000000000000000000"
    )


# ---- names that are not printable --------------------------------------------------


def _renamed(inst, bad: str):
    """``inst`` with its name, first action and first sender called ``bad``."""
    return inst.__class__(
        **{
            **inst.__dict__,
            "name": bad,
            "actions": (bad, inst.actions[1]),
            "senders": (
                inst.senders[0].__class__(**{**inst.senders[0].__dict__, "name": bad}),
                inst.senders[1],
            ),
        }
    )


@pytest.mark.parametrize("bad", ["\ud800", "line\nbreak", "esc\x1b[2J", "nul\x00"])
def test_names_a_file_refuses_are_refused_in_memory_too(bad: str) -> None:
    """The front door holds an Instance built in Python to the instance file's checks."""
    odd = _renamed(load_instance(INSTANCES / "judge-prosecutor.json"), bad)
    with pytest.raises(InputError, match=r"^<memory>: \$\.name: "):
        solve_report(odd)


def test_renderer_survives_a_bidi_override_in_names() -> None:
    """A right-to-left override is printable and allowed in names: tables keep their shape and
    encode, and show it escaped."""
    bad = "bidi\u202eevil"
    inst = load_instance(INSTANCES / "judge-prosecutor.json")
    odd = _renamed(inst, bad)
    plain_text = render.solve_text(solve_report(inst))
    odd_text = render.solve_text(solve_report(odd))
    assert odd_text.encode("utf-8")
    assert len(odd_text.splitlines()) == len(plain_text.splitlines())
    assert all(line.isprintable() for line in odd_text.splitlines())
    assert repr(bad)[1:-1] in odd_text or bad.encode("unicode_escape").decode() in odd_text
    profile = parse_profile(solve_report(inst)["equilibrium"]["profile"], inst)
    verify_text = render.verify_text(verify_report(odd, profile))
    assert verify_text.encode("utf-8") and all(
        line.isprintable() for line in verify_text.splitlines()
    )


# ---- the documented limits --------------------------------------------------------


def test_limits_page_states_the_limits_of_the_module() -> None:
    page = (ROOT / "docs" / "reference" / "limits.md").read_text(encoding="utf-8")
    stated = dict(re.findall(r"^\| `(MAX_[A-Z_]+)` \| (\d+) \|", page, flags=re.M))
    constants = {name: getattr(limits, name) for name in dir(limits) if name.startswith("MAX_")}
    assert {name: int(value) for name, value in stated.items()} == constants


def test_every_help_points_at_the_limits() -> None:
    for command in ([], ["solve"], ["verify"], ["certify"], ["check"], ["simulate"]):
        result = run(*command, "--help")
        assert result.returncode == 0
        assert "docs/reference/limits.md" in " ".join(result.stdout.split()), command
