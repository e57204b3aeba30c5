"""The catalog (persuasion/catalog/): every entry's known answers pinned, slugs wherever files go.

Three layers keep the data honest:

- :data:`PINNED` holds every known answer as derived by hand (each entry's
  ``derivation`` field in ``persuasion/catalog/index.json`` writes it out; the
  comments below say where from); the catalog must state exactly these;
- the solver must compute exactly what the catalog states (so neither the data
  nor the solver can drift);
- the catalog must ship: a build of the package holds it, and the installed
  program finds a game by slug from a folder far from the repository.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import ROOT, console_env, console_script
from persuasion import agree, catalog
from persuasion.weighted_alignment import weighted_alignment
from persuasion.catalog.entries import AT_PROFILE, INDEX, INSTANCES, QUANTITIES, read_index
from persuasion.cli import main
from persuasion.api import converse, verify
from persuasion.conformance import _inlined, conforms, exact_validator, load_schema
from persuasion.equilibrium import SIMULTANEOUS, deviations, nash_gap
from persuasion.errors import InputError
from persuasion.instance import load_instance
from persuasion.jsonio import read_json
from persuasion.numbers import fmt
from persuasion.problem import aligned_problem
from persuasion.receiver import first_best
from persuasion.selection import EXACT
from persuasion.sender import best_response

ETA = Fraction(1, 1000)

# slug: {answer label: value}, each derived by hand (derivations in the index's entries).
PINNED = {
    # Found by `persuasion search --property theorem-1-tightness --budget 24020` (the how-to):
    # OPT = U_A(C*) = 4/3; eps = 5/8 (3 (1 - c) + (2 - 2w - c) + 4 (w/2 + c) = 5 over weights 8);
    # silence is the sender's best and leaves Alice 2/3: a gap of (8/15) * 2 eps.
    "collina-et-al-2025-theorem-1-gap-8-15": {
        "first_best": "4/3",
        "aligned_value": "4/3",
        "epsilon": "3/4",
        "nonnegative_epsilon": "5/8",
        "alice_utility[silent]": "2/3",
        "nash_gap[silent]": "0",
        "alice_utility[revealing]": "4/3",
        "sender_utility[revealing, bob0]": "2/3",
    },
    # Found by `persuasion search --property more-senders-less-worst`, minimised, bob1 made to want
    # a0 in y1: OPT = U_A(C*) = 2, eps = 1 ((a1, y2) and (a2, y2) differ by 2 for Alice only);
    # bob1 revealing y1 with bob0 silent is an equilibrium leaving Alice 10/9, below the 4/3 she
    # gets at every equilibrium with bob0 alone (test_search pins that floor).
    "collina-et-al-2025-more-senders-less-worst": {
        "first_best": "2",
        "aligned_value": "2",
        "epsilon": "1",
        "nonnegative_epsilon": "1",
        "alice_utility[worst]": "10/9",
        "nash_gap[worst]": "0",
        "sender_utility[worst, bob0]": "4/3",
        "best_deviation[worst, bob0]": "4/3",
        "alice_utility[bob0-alone]": "16/9",
        "sender_utility[bob0-alone, bob0]": "14/9",
        "best_deviation[bob0-alone, bob1]": "1/9",
        "nash_gap[bob0-alone]": "1/9",
    },
    # Theorems 1 and 6 met with equality (the search how-to): OPT = U_A(C*) = 2; eps = 1 (the
    # errors on the hedge and on (a0, y0) differ by 2 whatever w, c); silence leaves Alice 0.
    "collina-et-al-2025-theorem-1-tight": {
        "first_best": "2",
        "aligned_value": "2",
        "epsilon": "1",
        "nonnegative_epsilon": "1",
        "alice_utility[silent]": "0",
        "sender_utility[silent, bob0]": "1",
        "best_deviation[silent, bob0]": "1",
        "nash_gap[silent]": "0",
        "alice_utility[revealing]": "2",
        "sender_utility[revealing, bob0]": "1",
    },
    # Found by `persuasion search --property theorem-1-tightness --equilibrium worst` (the how-to):
    # OPT = U_A(C*) = 2; eps = 1/4 (the errors on (a1, y0) and (a0, y0) differ by 1/2); silence
    # is the sender's best (2 everywhere) and leaves Alice 5/3: a gap of (2/3) * 2 eps.
    "collina-et-al-2025-theorem-1-worst-2-3": {
        "first_best": "2",
        "aligned_value": "2",
        "epsilon": "1/4",
        "nonnegative_epsilon": "1/4",
        "alice_utility[silent]": "5/3",
        "sender_utility[silent, bob0]": "2",
        "best_deviation[silent, bob0]": "2",
        "nash_gap[silent]": "0",
        "alice_utility[revealing]": "2",
        "sender_utility[revealing, bob0]": "2",
    },
    # Found by `persuasion search --property theorem-6-tightness --equilibrium worst` (the how-to):
    # OPT = U_A(C*) = 10/7; eps = 1/2 (the errors on (a0, y0) and (a1, y0) differ by 1); silence
    # gets the sender his most, 10/7, and leaves Alice 6/7: a gap of (4/7) * 2 eps.
    "collina-et-al-2025-theorem-6-worst-4-7": {
        "first_best": "10/7",
        "aligned_value": "10/7",
        "epsilon": "1/2",
        "nonnegative_epsilon": "1/2",
        "alice_utility[silent]": "6/7",
        "sender_utility[silent, bob0]": "10/7",
        "best_deviation[silent, bob0]": "10/7",
        "nash_gap[silent]": "0",
        "alice_utility[revealing]": "10/7",
        "sender_utility[revealing, bob0]": "10/7",
    },
    # Kamenica-Gentzkow (2011), the introduction's example: the judge is right 7/10 of the time
    # uninformed; the prosecutor's concave closure at 3/10 of 1[posterior > 1/2] is 3/5.
    "kamenica-gentzkow-2011-prosecutor": {
        "first_best": "1",
        "aligned_value": "1",
        "epsilon": "1",
        "nonnegative_epsilon": "1/2",
        "alice_utility[silent]": "7/10",
        "best_deviation[silent, prosecutor]": "3/5",
        "sender_utility[revealing, prosecutor]": "3/10",
    },
    # The paper, Appendix I (Theorem 7): OPT 2; the oblivious profile leaves the judge 5/3.
    "collina-et-al-2025-judge-prosecutor": {
        "first_best": "2",
        "aligned_value": "2",
        "epsilon": "1/4",
        "nonnegative_epsilon": "0",
        "alice_utility[oblivious]": "5/3",
        "best_deviation[oblivious, prosecutor]": "5/3",
        "nash_gap[oblivious]": "1",
        "alice_utility[revealing]": "2",
        "nash_gap[revealing]": "0",
    },
    # The introduction's drug makers: the doctor's utility is the makers' simple average.
    "collina-et-al-2025-drug-makers": {
        "first_best": "1",
        "aligned_value": "1",
        "epsilon": "0",
        "nonnegative_epsilon": "0",
        "alice_utility[silent]": "1/2",
        "best_deviation[silent, maker-A]": "11/6",
        "alice_utility[revealing]": "1",
        "nash_gap[revealing]": "0",
    },
    # Definition 8's remark: two messages for three states cap the aligned sender at 2/3.
    "collina-et-al-2025-aligned-too-few-messages": {
        "first_best": "1",
        "aligned_value": "2/3",
        "epsilon": "0",
        "nonnegative_epsilon": "0",
        "alice_utility[split]": "2/3",
        "nash_gap[split]": "0",
    },
    # Section E with two Kamenica-Gentzkow prosecutors: revealing is an equilibrium.
    "collina-et-al-2025-two-prosecutors-selection": {
        "first_best": "1",
        "aligned_value": "1",
        "epsilon": "1",
        "nonnegative_epsilon": "1/2",
        "alice_utility[revealing]": "1",
        "nash_gap[revealing]": "0",
        "best_deviation[silent, prosecutor-1]": "3/5",
    },
    # Gentzkow-Kamenica (2017), opposed senders: action-only utilities are 1/2 from u_A.
    "gentzkow-kamenica-2017-prosecutor-defense": {
        "first_best": "1",
        "aligned_value": "1",
        "epsilon": "1/2",
        "nonnegative_epsilon": "1/2",
        "alice_utility[silent]": "7/10",
        "best_deviation[silent, prosecutor]": "3/5",
        "alice_utility[revealing]": "1",
        "nash_gap[revealing]": "0",
    },
    # Kolotilin et al. (2017), two types: concave closure of P(r <= posterior) at 1/2 is 3/4.
    "kolotilin-et-al-2017-private-threshold": {
        "first_best": "1/4",
        "aligned_value": "1/4",
        "epsilon": "7/8",
        "nonnegative_epsilon": "3/4",
        "alice_utility[silent]": "1/8",
        "best_deviation[silent, sender]": "3/4",
        "sender_utility[optimal, sender]": "3/4",
        "alice_utility[optimal]": "1/8",
        "nash_gap[optimal]": "0",
    },
    # Theorem 7's judge with private evidence: silent senders leave her 5/3.
    "collina-et-al-2025-judge-private-evidence": {
        "first_best": "2",
        "aligned_value": "2",
        "epsilon": "1/4",
        "nonnegative_epsilon": "0",
        "alice_utility[silent]": "5/3",
        "best_deviation[silent, prosecutor]": "5/3",
        "best_deviation[silent, defense]": "1",
        "alice_utility[revealing]": "2",
        "nash_gap[revealing]": "0",
    },
    # Frongillo-Neyman-Waggoner (2021): the parity of two fair coins; either coin alone is
    # useless, so the conversation agrees at once on (1/2, 1/2), 1/2 from the truth.
    "frongillo-et-al-2021-xor": {
        "first_best": "1",
        "aligned_value": "1",
        "epsilon": "0",
        "nonnegative_epsilon": "0",
        "alice_utility[revealing]": "1",
        "agreement_round": "1",
        "estimation_error": "1/2",
        "substitutes_violation": "1/4",
    },
    # Aaronson (2005)-style: 1/2 vs 1 or 1/3 in round 1, agreement in round 2, accurate though
    # the prior is not an information substitute (x_A after x_B gains 3/8 - 1/3 = 1/24).
    "aaronson-2005-four-state-agreement": {
        "first_best": "3/4",
        "aligned_value": "3/4",
        "epsilon": "0",
        "nonnegative_epsilon": "0",
        "alice_utility[revealing]": "3/4",
        "agreement_round": "2",
        "estimation_error": "0",
        "substitutes_violation": "1/24",
    },
    # Algorithm 1 over two rounds, by hand: two questions about two fair bits name the state;
    # an oracle that answers only the first question, or that tells the first bit whatever is
    # asked, leaves Alice one bit (1/2), and the tie between two states goes to 00.
    "collina-et-al-2025-two-round-questions": {
        "first_best": "1",
        "conversation_alice_utility[truthful]": "1",
        "conversation_sender_utility[truthful, oracle]": "1/4",
        "conversation_alice_utility[first-answer-only]": "1/2",
        "conversation_sender_utility[first-answer-only, oracle]": "1/2",
        "conversation_alice_utility[first-bit]": "1/2",
        "conversation_sender_utility[first-bit, oracle]": "1/2",
        "conversation_nash_gap[truthful]": "3/4",
        "conversation_nash_gap[babbling]": "0",
        "conversation_alice_utility[babbling]": "1/4",
        "conversation_sender_utility[babbling, oracle]": "1",
    },
    "collina-et-al-2025-quantal-advisers": {
        "first_best": "1",
        "aligned_value": "1",
        "nonnegative_epsilon": "0",
        "epsilon": "0",
    },
}

ENTRIES = {item.slug: item for item in catalog.entries()}
ANSWERS = [
    pytest.param(item, answer, id=f"{item.slug}:{answer.label}")
    for item in catalog.entries()
    for answer in item.answers
]


# ---------------------------------------------------------------- the data


def test_every_entry_is_pinned():
    assert sorted(ENTRIES) == sorted(PINNED)


@pytest.mark.parametrize("slug", sorted(PINNED))
def test_catalog_states_the_pinned_answers(slug):
    stated = {answer.label: fmt(answer.value) for answer in ENTRIES[slug].answers}
    assert stated == PINNED[slug]


def test_index_conforms_to_its_schema():
    schema = load_schema("catalog.schema.json")
    validator = exact_validator()
    validator.check_schema(schema)
    data = read_json(INDEX)
    assert not list(validator(schema).iter_errors(data))
    assert conforms(data, _inlined("catalog.schema.json"))  # read without jsonschema


def test_every_catalog_file_is_an_entry():
    files = sorted(path.name for path in INSTANCES.glob("*.json"))
    assert files == sorted(item.path.name for item in catalog.entries())


@pytest.mark.parametrize("item", catalog.entries(), ids=lambda e: e.slug)
def test_slug_names_the_source(item):
    """``<surnames>-<year>-<what>``: one or two surnames, else the first and "et-al"."""
    surnames = [name.split()[-1].lower() for name in item.citation.authors]
    authors = surnames if len(surnames) <= 2 else [surnames[0], "et", "al"]
    assert item.slug.startswith("-".join([*authors, str(item.citation.year), ""]))


@pytest.mark.parametrize("item", catalog.entries(), ids=lambda e: e.slug)
def test_profiles_and_senders_named_by_answers_exist(item):
    game = item.load()
    senders = {sender.name for sender in game.senders}
    for name in item.profile_rules:
        assert len(item.conversation(name).rules) == len(game.senders)
    for answer in item.answers:
        assert answer.sender is None or answer.sender in senders, answer.label
        assert (answer.profile is not None) == (answer.quantity in AT_PROFILE)


def test_repository_instances_are_the_catalog_files():
    """``instances/`` (the docs' examples) holds byte-identical copies, named by alias."""
    by_alias = {alias: item for item in catalog.entries() for alias in item.aliases}
    for path in sorted((ROOT / "instances").glob("*.json")):
        assert path.stem in by_alias, f"{path.name} is not a catalog alias"
        assert path.read_bytes() == by_alias[path.stem].path.read_bytes(), path.name


def _index_with(tmp_path, change) -> Path:
    data = json.loads(INDEX.read_text(encoding="utf-8"))
    change(data["entries"])
    path = tmp_path / "index.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda e: e[1].update(slug=e[0]["slug"]), "already names $.entries[0].slug"),
        (lambda e: e[0]["aliases"].append("judge-prosecutor"), "already names"),
        (lambda e: e[0].update(file="missing.json"), "no instance file missing.json"),
        (lambda e: e[0]["answers"][0].update(profile="silent"), 'takes no "profile"'),
        (lambda e: e[0]["answers"][4].pop("profile"), 'needs "profile"'),
        (lambda e: e[0]["answers"][4].update(profile="nowhere"), 'no profile "nowhere"'),
        (lambda e: e[0]["answers"][0].update(attained=True), "for best_deviation only"),
        (lambda e: e[0]["answers"][0].update(value="0.5"), "$.entries[0].answers[0].value"),
        (lambda e: e[0]["answers"][0].update(quantity="opt"), "$.entries[0].answers[0].quantity"),
    ],
)
def test_a_broken_index_is_one_line(tmp_path, change, problem):
    with pytest.raises(InputError) as err:
        read_index(_index_with(tmp_path, change))
    assert problem in str(err.value) and "\n" not in str(err.value)


# ---------------------------------------------------------------- the solver agrees


@functools.cache
def _game(slug: str):
    return ENTRIES[slug].load()


@functools.cache
def _judged(slug: str, profile: str):
    """The outcome of the named profile and every sender's exact best deviation from it."""
    instance = _game(slug)
    game = EXACT if instance.protocol.game == "best-ai-selection" else SIMULTANEOUS
    scheme = ENTRIES[slug].profile(profile)
    return game.outcome(instance, scheme), deviations(instance, scheme, ETA, game)


def _sender(instance, name: str) -> int:
    return [sender.name for sender in instance.senders].index(name)


def _solved(slug: str, answer) -> tuple[Fraction, bool | None]:
    """The solver's value of ``answer``'s quantity (and, for a best deviation, attainment)."""
    instance = _game(slug)
    if answer.quantity == "first_best":
        return first_best(instance), None
    if answer.quantity == "conversation_nash_gap":
        return verify(instance, ENTRIES[slug].conversation(answer.profile)).nash_gap, None
    if answer.quantity.startswith("conversation_"):
        result = converse(instance, ENTRIES[slug].conversation(answer.profile))
        if answer.quantity == "conversation_alice_utility":
            return result.alice_utility, None
        return result.sender_utilities[_sender(instance, answer.sender)], None
    if answer.quantity == "aligned_value":
        return best_response(aligned_problem(instance), ETA).value, None
    if answer.quantity in ("epsilon", "nonnegative_epsilon"):
        simplex = answer.quantity == "epsilon"
        return weighted_alignment(instance, simplex=simplex).epsilon, None
    if answer.quantity in AGREEMENT:
        return AGREEMENT[answer.quantity](agree(instance)), None
    outcome, devs = _judged(slug, answer.profile)
    if answer.quantity == "alice_utility":
        return outcome.alice_utility, None
    if answer.quantity == "nash_gap":
        return nash_gap(devs), None
    i = _sender(instance, answer.sender)
    if answer.quantity == "sender_utility":
        return outcome.sender_utilities[i], None
    return devs[i].best.value, devs[i].best.attained


AGREEMENT = {
    "agreement_round": lambda a: max(p.exact_agreement_round for p in a.pairs),
    "estimation_error": lambda a: max(a.max_error),
    "substitutes_violation": lambda a: (
        0 if a.substitutes.holds else a.substitutes.lhs - a.substitutes.rhs
    ),
}
"""The agreement quantities, from ``persuasion.agree`` (played until the conversation settles)."""


@pytest.mark.parametrize("item, answer", ANSWERS)
def test_solver_computes_the_stated_answer(item, answer):
    value, attained = _solved(item.slug, answer)
    assert value == answer.value
    if answer.attained is not None:
        assert attained is answer.attained


def test_every_quantity_is_pinned_somewhere():
    assert {answer.quantity for item in catalog.entries() for answer in item.answers} == set(
        QUANTITIES
    )


# ---------------------------------------------------------------- the Python API


def test_load_by_slug_and_alias():
    item = ENTRIES["kamenica-gentzkow-2011-prosecutor"]
    assert catalog.load(item.slug) == load_instance(item.path)
    assert catalog.load("kg-prosecutor") == catalog.load(item.slug)
    assert catalog.locate("kg-prosecutor") == item.path
    assert catalog.entry("kg-prosecutor") is item


def test_entries_are_typed_and_frozen():
    item = ENTRIES["collina-et-al-2025-judge-prosecutor"]
    assert item.answer("alice_utility", profile="oblivious") == Fraction(5, 3)
    assert isinstance(item.answers[0].value, Fraction)
    assert item.citation.short == "Collina et al. 2025"
    assert "arXiv:2509.15090" in str(item.citation)
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.slug = "other"  # type: ignore[misc]
    # once a bare KeyError; now one line naming the entry and the answers it knows
    with pytest.raises(
        InputError,
        match=r"^collina-et-al-2025-judge-prosecutor: no answer "
        r"nash_gap\[silent\] \(its answers: .*alice_utility\[oblivious\]",
    ):
        item.answer("nash_gap", profile="silent")


def test_an_unknown_profile_is_one_line_naming_the_profiles():
    """Once a bare KeyError('x')."""
    item = ENTRIES["collina-et-al-2025-judge-prosecutor"]
    with pytest.raises(InputError) as err:
        item.profile("x")
    assert str(err.value).startswith('collina-et-al-2025-judge-prosecutor: no profile "x"')
    assert "oblivious" in str(err.value) and "\n" not in str(err.value)


def test_the_shared_entries_cannot_be_changed():
    """The review changed a cached entry's nested rules through the read-only proxy, and
    ``profile('oblivious')`` returned the changed profile for the rest of the process."""
    item = catalog.entry("judge-prosecutor")
    before = item.profile("oblivious")
    with pytest.raises(TypeError):
        item.profile_rules["oblivious"]["prosecutor"]["guilty"] = {"1": 1}
    with pytest.raises((TypeError, AttributeError)):
        item.profile_rules["oblivious"]["prosecutor"]["guilty"]["0"] = 0
    copy = item.rules("oblivious")  # a plain copy: changing it changes nothing shared
    copy["prosecutor"]["guilty"] = {"1": 1}
    assert catalog.entry("judge-prosecutor").profile("oblivious") == before
    assert item.rules("oblivious") != copy


@pytest.mark.parametrize("name", [None, 3, b"judge-prosecutor"])
def test_a_slug_that_is_not_a_string_is_a_clear_type_error(name):
    """``catalog.load(None)`` was a TypeError from inside difflib."""
    with pytest.raises(TypeError, match="a catalog slug is a str, not"):
        catalog.load(name)


def test_unknown_slug_names_close_matches():
    with pytest.raises(InputError) as err:
        catalog.load("judge-prosecuter")
    text = str(err.value)
    assert text.startswith("judge-prosecuter: not a catalog slug (close matches: ")
    assert "judge-prosecutor" in text and "\n" not in text


NAMES = sorted(name for item in catalog.entries() for name in (item.slug, *item.aliases))


def _slips(name: str):
    """Every ``name`` with one character dropped, or ``-``, ``a`` or ``x`` inserted or put in."""
    for k in range(len(name)):
        yield name[:k] + name[k + 1 :]
        for typo in "-ax":
            yield name[:k] + typo + name[k:]
            yield name[:k] + typo + name[k + 1 :]


@pytest.mark.parametrize("name", NAMES)
def test_a_one_character_slip_names_the_slug_meant(name):
    """Every slip of every slug and alias is refused, naming the slug or alias meant."""
    for slip in set(_slips(name)) - set(NAMES):
        with pytest.raises(InputError) as err:
            catalog.locate(slip)
        matches = str(err.value).split("close matches: ")[1].split(";")[0].split(", ")
        assert name in matches, slip


def test_load_instance_takes_a_slug_and_a_file_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_instance("judge-prosecutor") == catalog.load("judge-prosecutor")
    shutil.copy(ENTRIES["kamenica-gentzkow-2011-prosecutor"].path, tmp_path / "judge-prosecutor")
    assert load_instance("judge-prosecutor").name == "kg-prosecutor"


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("judge-prosecutor", " or name the slug collina-et-al-2025-judge-prosecutor"),  # an alias
        ("collina-et-al-2025-judge-prosecutor", ""),  # the slug itself
    ],
)
def test_a_broken_link_named_like_a_slug_says_it_shadows_the_slug(
    name, hint, tmp_path, monkeypatch
):
    """Once just "no such file", with no hint that the link hides the catalog's game."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).symlink_to(tmp_path / "gone.json")
    with pytest.raises(InputError) as err:
        load_instance(name)
    assert str(err.value) == (
        f"{name}: no such file: a symbolic link to the missing {tmp_path / 'gone.json'} shadows "
        f"the catalog entry collina-et-al-2025-judge-prosecutor; remove the link{hint}"
    )
    (tmp_path / "other.json").symlink_to("gone.json")  # no slug: no such file, as always
    with pytest.raises(InputError, match=r"^other\.json: no such file$"):
        load_instance("other.json")


def test_a_broken_link_shadowing_a_slug_is_one_line_from_the_program(console, tmp_path):
    (tmp_path / "judge-prosecutor").symlink_to("gone.json")
    proc = console("solve", "judge-prosecutor", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("persuasion: error: judge-prosecutor: no such file: a symbolic")
    assert "shadows the catalog entry" in proc.stderr and proc.stderr.count("\n") == 1


def test_no_file_no_slug(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"^judge: no such file, nor a catalog slug \(close"):
        load_instance("judge")
    with pytest.raises(InputError, match=r"^game\.json: no such file$"):
        load_instance("game.json")


# ---------------------------------------------------------------- the command line


def test_catalog_lists_every_slug(capsys):
    assert main(["catalog"]) == 0
    out = capsys.readouterr().out
    for item in catalog.entries():
        assert item.slug in out and item.title in out and item.citation.short in out


def test_catalog_json_is_one_object(capsys):
    assert main(["catalog", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "persuasion-catalog/1"
    assert [e["slug"] for e in report["entries"]] == [e.slug for e in catalog.entries()]
    kg = report["entries"][0]
    deviation = next(a for a in kg["answers"] if a["quantity"] == "best_deviation")
    assert (deviation["value"], deviation["attained"]) == ("3/5", False)


def test_catalog_shows_one_entry(capsys):
    assert main(["catalog", "medical"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("collina-et-al-2025-drug-makers: A doctor and three drug makers")
    assert "best_deviation[silent, maker-A] = 11/6: derived by hand;" in out
    assert main(["catalog", "medical", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["file"] == str(ENTRIES["collina-et-al-2025-drug-makers"].path)
    assert report["profiles"]["silent"]["format"] == "persuasion-profile/1"


def test_catalog_unknown_slug_is_one_line(capsys):
    assert main(["catalog", "drug-maker"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "persuasion: error: drug-maker: not a catalog slug (close matches: "
        "collina-et-al-2025-drug-makers; 'persuasion catalog' lists them all)"
    ]


def test_catalog_profile_is_a_profile_file(capsys, tmp_path):
    """``--profile NAME`` prints a file that ``verify`` reads: Theorem 7's oblivious profile."""
    assert main(["catalog", "judge-prosecutor", "--profile", "oblivious"]) == 0
    path = tmp_path / "oblivious.json"
    path.write_text(capsys.readouterr().out)
    assert main(["verify", "judge-prosecutor", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["alice_utility"], report["nash_gap"]) == ("5/3", "1")


@pytest.mark.parametrize(
    "argv, line",
    [
        (
            ["catalog", "medical", "--profile", "oblivious"],
            'collina-et-al-2025-drug-makers: no profile "oblivious" '
            "(its profiles: silent, revealing)",
        ),
        (
            ["catalog", "--profile", "silent"],
            "--profile: needs a SLUG: 'persuasion catalog SLUG --profile NAME'",
        ),
    ],
)
def test_catalog_profile_refusals_are_one_line(capsys, argv, line):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"persuasion: error: {line}\n")


# ---------------------------------------------------------------- the installed program


def _one_object(result: subprocess.CompletedProcess) -> dict:
    assert (result.returncode, result.stderr) == (0, "")
    return json.loads(result.stdout)


def test_console_takes_slugs_everywhere(console, tmp_path):
    """solve, verify, certify and check --instance from a folder with no instance files."""
    solved = _one_object(console("solve", "judge-prosecutor", "--json"))
    assert (solved["first_best"], solved["equilibrium"]["alice_utility"]) == ("2", "2")
    slug = "collina-et-al-2025-judge-prosecutor"
    profile = tmp_path / "oblivious.json"
    rules = ENTRIES[slug].rules("oblivious")
    profile.write_text(json.dumps({"format": "persuasion-profile/1", "rules": rules}))
    verified = _one_object(console("verify", slug, str(profile), "--json"))
    assert (verified["alice_utility"], verified["nash_gap"]) == ("5/3", "1")
    out = tmp_path / "certs"
    certified = console("certify", slug, "--claim", "definition-1", "--out", str(out))
    assert (certified.returncode, certified.stderr) == (0, "")
    checked = console("check", str(out / "definition-1.json"), "--instance", "judge-prosecutor")
    assert (checked.returncode, checked.stdout.split(":")[0]) == (0, "VALID")


def test_console_unknown_slug(console):
    result = console("solve", "judge", "--json")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("persuasion: error: judge: no such file, nor a catalog slug")
    assert len(result.stderr.splitlines()) == 1


def test_console_catalog_json(console):
    report = _one_object(console("catalog", "--json"))
    assert len(report["entries"]) == len(PINNED)


def test_a_build_ships_the_catalog(tmp_path):
    """setuptools' build of the package (what a wheel holds) has the catalog, and the installed
    program reads a slug from it with the repository out of sight."""
    source = tmp_path / "source"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "persuasion", source / "persuasion", ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    build = tmp_path / "lib"
    argv = ["-c", "import setuptools; setuptools.setup()", "-q", "egg_info", "--egg-base"]
    argv += [str(tmp_path), "build_py", "--build-lib", str(build)]
    done = subprocess.run([sys.executable, *argv], cwd=source, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    shipped = build / "persuasion" / "catalog"
    assert (shipped / "index.json").is_file()
    assert (build / "persuasion" / "schema" / "catalog.schema.json").is_file()
    assert sorted(p.name for p in (shipped / "instances").glob("*.json")) == sorted(
        item.path.name for item in catalog.entries()
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = console_env(elsewhere, PYTHONPATH=str(build))
    run = [str(console_script()), "solve", "kamenica-gentzkow-2011-prosecutor", "--json"]
    result = subprocess.run(run, capture_output=True, text=True, env=env, cwd=elsewhere)
    assert _one_object(result)["aligned_value"] == "1"
    located = [
        sys.executable,
        "-c",
        "from persuasion import catalog; print(catalog.locate('medical'))",
    ]
    result = subprocess.run(located, capture_output=True, text=True, env=env, cwd=elsewhere)
    assert Path(result.stdout.strip()).is_relative_to(build)
