"""The restricted game and its Gambit ``.nfg`` file (issue 9, point 4).

- Known answers, derived by hand from the instances' descriptions (below).
- The payoffs are compared with an independent brute-force outcome written
  here (every feature pair and message vector, Alice's tie-broken argmax).
- Writing then reading a game is the identity, for the catalog and for
  hypothesis-drawn games with awkward names and negative payoffs.
- With pygambit (an optional test dependency): the file loads with the same
  labels and rational payoffs, Gambit's pure equilibria (``enumpure_solve``)
  are exactly the profiles where no sender gains inside the restricted sets,
  and our exact best deviation over *all* schemes is never worth less than
  the best deviation inside the restricted game.
- The command line, in-process and as the installed program.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
import json
import math
import os
import tempfile
from fractions import Fraction as F

import pytest
from hypothesis import given, settings, strategies as st

from conftest import INSTANCES
from persuasion.cli import main
from persuasion.equilibrium import SIMULTANEOUS, deviations
from persuasion.errors import InputError
from persuasion.gambit import (
    from_nfg,
    gambit_problem,
    parse_scheme_label,
    read_nfg,
    scheme_label,
    to_nfg,
)
from persuasion.instance import load_instance
from persuasion.limits import MAX_RESTRICTED_NUMBERS, MAX_RESTRICTED_PROFILES, MAX_SENDERS
from persuasion.model import Instance, Profile
from persuasion.restricted import (
    RestrictedGame,
    gambit_order,
    grid_rows,
    grid_schemes,
    restricted_game,
    restricted_number_count,
    restricted_profile_count,
)
from persuasion.selection import EXACT
from persuasion.testing import instances

ETA = F(1, 1000)
SAMPLE = 300
"""A game with more pure profiles than this has a sample of them checked by brute force."""
SLUGS = sorted(p.stem for p in INSTANCES.glob("*.json"))


@functools.cache
def catalog_game(slug: str, grid: int = 1) -> tuple[Instance, RestrictedGame]:
    instance = load_instance(INSTANCES / f"{slug}.json")
    return instance, restricted_game(instance, grid)


CATALOG = [(slug, 1) for slug in SLUGS] + [
    (slug, 2) for slug in SLUGS if restricted_profile_count(catalog_game(slug)[0], 2) <= 1000
]


def game_of(instance: Instance):
    return EXACT if instance.protocol.game == "best-ai-selection" else SIMULTANEOUS


# -- an independent outcome: every (x_A, message vector), Alice's tie-broken argmax ----------


def brute_joint(instance: Instance, schemes) -> list[list[F]]:
    """P(action, state) when Alice hears every scheme in ``schemes`` (Definitions 4-5)."""
    ny = instance.num_states
    joint = [[F(0)] * ny for _ in instance.actions]
    order = instance.protocol.tie_break
    for table in instance.prior:
        for messages in itertools.product(*(range(len(s[0])) for s in schemes)):
            w = [
                sum(
                    (
                        table[xb][y]
                        * math.prod(s[xb][m] for s, m in zip(schemes, messages, strict=True))
                        for xb in range(len(table))
                    ),
                    F(0),
                )
                for y in range(ny)
            ]
            values = [
                sum(wy * u for wy, u in zip(w, row, strict=True)) for row in instance.alice_utility
            ]
            action = min(order, key=lambda a: (-values[a], order.index(a)))
            for y in range(ny):
                joint[action][y] += w[y]
    return joint


def brute_payoffs(instance: Instance, schemes) -> tuple[F, ...]:
    """Every sender's utility: in the simultaneous game, or in best-AI selection (Definition 16:
    Alice hears each scheme alone, keeps the one worth most to her, lowest index on ties)."""
    if instance.protocol.game == "best-ai-selection":
        alone = [brute_joint(instance, [s]) for s in schemes]
        worth = [_expected(instance.alice_utility, j) for j in alone]
        joint = alone[worth.index(max(worth))]
    else:
        joint = brute_joint(instance, schemes)
    return tuple(_expected(s.utility, joint) for s in instance.senders)


def _expected(utility, joint) -> F:
    return sum(
        (
            u * p
            for urow, prow in zip(utility, joint, strict=True)
            for u, p in zip(urow, prow, strict=True)
        ),
        F(0),
    )


def restricted_equilibria(game: RestrictedGame) -> set[tuple[int, ...]]:
    """Brute force: pure profiles where no player gains by another strategy of their set."""
    found = set()
    for profile in itertools.product(*(range(n) for n in game.shape)):
        here = game.payoff(profile)
        if all(
            game.payoff(profile[:i] + (k,) + profile[i + 1 :])[i] <= here[i]
            for i in range(len(game.players))
            for k in range(game.shape[i])
        ):
            found.add(profile)
    return found


# -- known answers -----------------------------------------------------------------------


def test_kg_prosecutor_known_payoffs():
    """Kamenica-Gentzkow (P(guilty) = 3/10, ties to acquittal): the four deterministic schemes are
    silent, revealing, revealing with the messages swapped, silent on the other message.  Silence
    leaves the judge acquitting (prosecutor 0); revealing convicts exactly the guilty (3/10)."""
    _, game = catalog_game("kg-prosecutor")
    labels = [scheme_label(s) for s in game.strategies[0]]
    assert labels == ["1,0|1,0", "1,0|0,1", "0,1|1,0", "0,1|0,1"]
    assert game.payoffs == ((0,), (F(3, 10),), (F(3, 10),), (0,))
    assert set(game.pure_equilibria()) == {(1,), (2,)}
    assert repr(game) == "RestrictedGame('kg-prosecutor', players=('prosecutor',), shape=(4,))"


def test_judge_prosecutor_known_payoffs():
    """Appendix I's judge (P(guilty) = 2/3; u_A: acquit 1|2, convict 2|1): uninformed she convicts
    (5/3 > 4/3), paying the prosecutor 2*2/3 + 1/3 = 5/3 and the defense 0; once either sender
    reveals she gets the state right: prosecutor 2*2/3 = 4/3, defense 2*1/3 = 2/3.  So the pure
    equilibria are exactly the profiles where the defense reveals (the prosecutor cannot undo it).
    Yet with the prosecutor silent the defense's full best deviation is worth 1, not 2/3: send
    'guilty' half the time when guilty, which leaves the judge indifferent on the other message
    (posterior 1/2, tie to acquittal) -- the oblivious scheme of the instance's description.  A
    restricted equilibrium need not be an equilibrium of the full game."""
    instance, game = catalog_game("judge-prosecutor")
    revealing = {1, 2}  # "1,0|0,1" and "0,1|1,0"; 0 and 3 always send one message
    for p, d in game.profiles():
        informed = p in revealing or d in revealing
        assert game.payoff((p, d)) == ((F(4, 3), F(2, 3)) if informed else (F(5, 3), F(0)))
    assert set(game.pure_equilibria()) == {(p, d) for p in range(4) for d in revealing}
    devs = deviations(instance, game.scheme_profile((0, 1)), ETA)
    assert [d.value for d in devs] == [F(4, 3), F(2, 3)]
    assert [d.best.value for d in devs] == [F(4, 3), F(1)]


def test_two_prosecutors_selection_known_payoffs():
    """Best-AI selection with two KG prosecutors: the judge keeps a revealing prosecutor (worth 1
    to her, silence 7/10), and both are paid the conviction rate of that conversation: 3/10 if
    anyone reveals, else 0.  Every profile with a revealer is a pure equilibrium (12 of 16)."""
    _, game = catalog_game("two-prosecutors-selection")
    revealing = {1, 2}
    for profile in game.profiles():
        value = F(3, 10) if revealing & set(profile) else F(0)
        assert game.payoff(profile) == (value, value)
    assert len(game.pure_equilibria()) == 12


def test_the_full_best_response_beats_every_deterministic_scheme_in_kg():
    """The prosecutor's supremum over all schemes is 3/5 (the kg-prosecutor description), twice
    the 3/10 of the best deterministic scheme: the restricted game loses the randomised optimum."""
    instance, game = catalog_game("kg-prosecutor")
    (dev,) = deviations(instance, game.scheme_profile((0,)), ETA)
    assert dev.best.value == F(3, 5)
    assert game.best_restricted_value((0,), 0) == F(3, 10)


# -- the schemes -------------------------------------------------------------------------


@given(st.integers(1, 4), st.integers(1, 5))
def test_grid_rows_are_every_distribution_on_the_grid(messages, grid):
    rows = grid_rows(messages, grid)
    expected = {
        tuple(F(c, grid) for c in combo)
        for combo in itertools.product(range(grid + 1), repeat=messages)
        if sum(combo) == grid
    }
    assert len(rows) == len(set(rows)) == math.comb(grid + messages - 1, messages - 1)
    assert set(rows) == expected


def test_grid_rows_of_many_messages():
    """The unit vectors of 3,000 messages, in order (a recursion as deep as the messages failed)."""
    rows = grid_rows(3000, 1)
    assert [row.index(1) for row in rows] == list(range(3000))


@given(st.integers(1, 3), st.integers(1, 3))
def test_grid_one_is_every_deterministic_scheme_silent_first(features, messages):
    schemes = grid_schemes(features, messages)
    units = [tuple(F(int(m == k)) for m in range(messages)) for k in range(messages)]
    assert set(schemes) == set(itertools.product(units, repeat=features))
    assert len(schemes) == messages**features
    assert schemes[0] == tuple(units[0] for _ in range(features))


def test_gambit_order_moves_the_first_player_fastest():
    assert list(gambit_order((2, 3))) == [(a, b) for b in range(3) for a in range(2)]
    game = RestrictedGame("t", ("a", "b"), ((), ()), ())
    shaped = dataclasses.replace(game, strategies=(("x",) * 2, ("y",) * 3))
    assert [shaped.index(p) for p in shaped.profiles()] == list(range(6))


def test_too_many_profiles_are_refused_before_any_payoff(monkeypatch):
    """medical: 3 senders, 3 features, 3 messages: 27**3 = 19683 deterministic profiles, and
    C(4, 2)**3 = 216 schemes each on the grid 1/2, 216**3 profiles."""
    instance = load_instance(INSTANCES / "medical.json")
    assert restricted_profile_count(instance) == 27**3
    assert restricted_profile_count(instance, 2) == 216**3 > MAX_RESTRICTED_PROFILES
    import persuasion.games

    def no_work(name):
        raise AssertionError("a payoff was about to be computed")

    monkeypatch.setattr(persuasion.games, "game", no_work)
    with pytest.raises(InputError) as err:
        restricted_game(instance, 2, "medical.json")
    assert str(err.value) == (
        f"medical.json: the restricted game (grid 1/2 schemes) has {216**3} pure profiles; the "
        f"limit is {MAX_RESTRICTED_PROFILES} (see docs/reference/limits.md)"
    )


def test_too_many_numbers_are_refused_before_the_schemes_are_built():
    """kg-prosecutor with 100 messages: 100**2 = 10,000 deterministic schemes (within the profile
    limit), each of 2 x 100 probabilities: 10,000 payoffs + 2,000,000 probabilities."""
    kg = load_instance(INSTANCES / "kg-prosecutor.json")
    (prosecutor,) = kg.senders
    wide = dataclasses.replace(
        kg, senders=(dataclasses.replace(prosecutor, messages=tuple(map(str, range(100)))),)
    )
    assert restricted_profile_count(wide) == 10_000 <= MAX_RESTRICTED_PROFILES
    assert restricted_number_count(wide) == 2_010_000 > MAX_RESTRICTED_NUMBERS
    with pytest.raises(InputError) as err:
        restricted_game(wide, 1, "wide.json")
    assert str(err.value) == (
        "wide.json: the restricted game (deterministic schemes) holds 2010000 numbers (payoffs "
        f"and scheme probabilities); the limit is {MAX_RESTRICTED_NUMBERS} "
        "(see docs/reference/limits.md)"
    )


def test_a_file_past_the_limits_is_refused_before_its_labels_are_read():
    labels = " ".join(f'"s{k}"' for k in range(50))  # not schemes: refused before they are read
    players = " ".join(f'"p{i}"' for i in range(3))
    text = f'NFG 1 R "" {{ {players} }}\n{{ ' + f"{{ {labels} }}\n" * 3 + "}\n"
    with pytest.raises(InputError) as err:
        from_nfg(text, "big.nfg")
    assert str(err.value) == (
        f"big.nfg: the game has {50**3} pure profiles; the limit is {MAX_RESTRICTED_PROFILES} "
        "(see docs/reference/limits.md)"
    )


def test_a_file_with_more_players_than_senders_is_refused():
    players = " ".join(f'"p{i}"' for i in range(MAX_SENDERS + 1))
    with pytest.raises(InputError) as err:
        from_nfg(f'NFG 1 R "" {{ {players} }}', "many.nfg")
    assert str(err.value) == (
        f"many.nfg: line 1: more than {MAX_SENDERS} players; the limit is {MAX_SENDERS} "
        "(see docs/reference/limits.md)"
    )


def test_a_protocol_this_version_cannot_play_is_refused():
    instance = load_instance(INSTANCES / "kg-prosecutor.json")
    quantal = dataclasses.replace(
        instance, protocol=dataclasses.replace(instance.protocol, decision="quantal", lam=F(1))
    )
    with pytest.raises(InputError, match=r"^q\.json: \$\.protocol\.decision: "):
        restricted_game(quantal, 1, "q.json")


# -- payoffs, round trip -----------------------------------------------------------------


@pytest.mark.parametrize("slug, grid", CATALOG)
def test_catalog_payoffs_read_back_are_the_outcome_of_each_labelled_scheme(slug, grid):
    """Read back from the text: every profile's payoffs are the game's own outcome function at
    the schemes its labels name; and the brute force above agrees (on every profile, or on one
    in ``len // SAMPLE`` for medical, where it alone would take half a minute)."""
    instance, game = catalog_game(slug, grid)
    back = from_nfg(to_nfg(game))
    assert back == game
    outcome = game_of(instance).outcome
    profiles = list(back.profiles())
    for profile in profiles:
        schemes = back.scheme_profile(profile).schemes
        assert back.payoff(profile) == outcome(instance, Profile(schemes)).sender_utilities
    for profile in profiles[:: max(1, len(profiles) // SAMPLE)]:
        schemes = back.scheme_profile(profile).schemes
        assert back.payoff(profile) == brute_payoffs(instance, schemes)


names = st.text(st.characters(codec="utf-8"), max_size=8)
fractions = st.fractions(min_value=-5, max_value=5, max_denominator=20)


@st.composite
def restricted_games(draw, ascii_names: bool = False) -> RestrictedGame:
    """Arbitrary games of schemes: names with quotes and newlines, negative rational payoffs."""
    text = st.text(st.characters(codec="ascii", exclude_characters="\\"), max_size=8)
    name = text if ascii_names else names
    players = draw(st.lists(name, min_size=1, max_size=3, unique=True))
    features = draw(st.integers(1, 2))
    strategies = []
    for _ in players:
        messages = draw(st.integers(1, 3))
        pool = grid_schemes(features, messages, draw(st.integers(1, 3)))
        chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
        strategies.append(tuple(chosen))
    count = math.prod(len(s) for s in strategies)
    row = st.lists(fractions, min_size=len(players), max_size=len(players)).map(tuple)
    payoffs = tuple(draw(st.lists(row, min_size=count, max_size=count)))
    return RestrictedGame(draw(name), tuple(players), tuple(strategies), payoffs, draw(name))


def _refused(game: RestrictedGame) -> bool:
    texts = [(game.title, False), (game.comment, False), *((p, True) for p in game.players)]
    return any(gambit_problem(text, label) for text, label in texts)


@given(restricted_games())
def test_writing_then_reading_is_the_identity(game):
    """What to_nfg writes reads back exactly; what it refuses is what Gambit could not read."""
    if _refused(game):
        with pytest.raises(ValueError, match="Gambit could not read it back"):
            to_nfg(game)
    else:
        assert from_nfg(to_nfg(game)) == game


@given(restricted_games(ascii_names=True))
def test_plain_names_are_never_refused(game):
    """Names of printable ASCII without backslashes, single inner spaces only: always written."""
    plain = all(
        name.isprintable() and name == name.strip(" ") and "  " not in name and name
        for name in game.players
    )
    assert _refused(game) == (not plain or not (game.title + game.comment).isascii())


@given(restricted_games())
def test_a_label_names_its_scheme(game):
    for options in game.strategies:
        for scheme in options:
            assert parse_scheme_label(scheme_label(scheme)) == scheme


def test_read_nfg_reads_a_file(tmp_path):
    _, game = catalog_game("judge-prosecutor")
    path = tmp_path / "game.nfg"
    path.write_text(to_nfg(game), encoding="utf-8")
    assert read_nfg(str(path)) == game
    path.write_bytes(b"NFG 1 R \xff")
    with pytest.raises(InputError, match="game.nfg: not UTF-8 text"):
        read_nfg(str(path))


# -- bad files: one line naming the file and the line ------------------------------------

GOOD = 'NFG 1 R "t" { "a" "b" }\n{ { "1,0" "0,1" }\n{ "1" }\n}\n"c"\n1 2\n3 4\n'

BAD = [
    ("", "at the end of the file: expected 'NFG'"),
    ("EFG 2 R", "line 1: expected 'NFG'"),
    (GOOD.replace("NFG 1", "NFG 2"), "line 1: expected '1'"),
    (GOOD.replace("1 R", "1 X"), "line 1: expected the data type 'R' or 'D'"),
    (GOOD.replace('"t"', "t"), "line 1: expected the quoted title"),
    (GOOD.replace('{ "a" "b" }', "{ }"), "the game has no players"),
    (GOOD.replace('"b" }', '"a" }'), "two players have the same name"),
    (GOOD.replace('{ { "1,0" "0,1" }\n{ "1" }\n}', "{ 2 1 }"), "counted, not labelled"),
    (GOOD.replace('"0,1"', '"1,0"'), 'two strategies of "a" have the same label'),
    (GOOD.replace('"0,1"', '"1/2,1/3"'), 'strategy "1/2,1/3" of "a" does not name a scheme'),
    (GOOD.replace('"0,1"', '"2,-1"'), "is not a probability distribution"),
    (GOOD.replace('"0,1"', '"x,y"'), 'strategy "x,y" of "a" does not name a scheme'),
    (GOOD.replace('"0,1"', '"0,0,1"'), "different numbers of messages"),
    (GOOD.replace('{ "1" }', '{ "1|1" }'), "different numbers of rows"),
    (GOOD.replace('{ "1" }', "{ }"), 'player "b" has no strategies'),
    (GOOD.replace("3 4\n", "3\n"), "at the end of the file: expected a payoff"),
    # the reason once (it read 'a payoff "four" is not an exact number: not an exact number: ...')
    (GOOD.replace("3 4", "3 four"), 'line 7: a payoff: not an exact number: "four" (use an'),
    (GOOD.replace("3 4", "3 nan"), 'line 7: a payoff: not an exact number: "nan" (use an'),
    (GOOD.replace("3 4", "3 1/0"), "zero denominator"),
    (GOOD + "5\n", "line 8: more than the 2 pure profiles' payoffs"),
    (GOOD.replace('"c"', '"c'), "line 5: a quoted string is never closed"),
    (GOOD.replace("1 2\n3 4", '{ { "" 1, 2 } }\n1 2'), "line 7: outcome number 2 is not 0 to 1"),
    (GOOD.replace("1 2\n3 4", '{ { "" 1 } }\n1 1'), 'line 6: expected a payoff, found "}"'),
    (  # a game of 2 pure profiles names at most 2 outcomes
        GOOD.replace("1 2\n3 4", '{ { "" 1 2 }\n{ "" 1 2 }\n{ "" 1 2 } }\n1 2'),
        "line 8: more than 2 outcomes for 2 pure profiles; the limit is 2",
    ),
]


def test_a_long_outcome_list_is_refused_at_its_first_outcome_too_many():
    """The review's file: 3 million outcomes for a 1-profile game took 40 s and 350 MB; now the
    second outcome is refused before the rest is read (its line number says where it stopped)."""
    text = 'NFG 1 R "t" { "a" } { { "1" } }\n"c"\n{\n' + '{ "" 1 }\n' * 200_000 + "}\n1\n"
    with pytest.raises(InputError, match="line 5: more than 1 outcomes for 1 pure profiles"):
        from_nfg(text, "big.nfg")


@pytest.mark.parametrize("text, problem", BAD, ids=[p for _, p in BAD])
def test_a_bad_file_is_one_line_naming_it(text, problem):
    with pytest.raises(InputError) as err:
        from_nfg(text, "bad.nfg")
    line = str(err.value)
    assert line.startswith("bad.nfg: ") and "\n" not in line
    assert problem in line
    assert line.count("not an exact number") <= 1


@settings(max_examples=200)
@given(st.data())
def test_a_damaged_file_is_read_or_refused_in_one_line(data):
    """Cut, repeat or replace a span of a good file: the reader returns a game or raises one
    InputError line, never another exception."""
    text = to_nfg(catalog_game("judge-prosecutor")[1])
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 12)))
    filler = data.draw(st.sampled_from(["", text[start:end] * 2, '"', "{", "}", ",", "1/0", "-"]))
    damaged = text[:start] + filler + text[end:]
    try:
        game = from_nfg(damaged, "d.nfg")
    except InputError as err:
        assert str(err).startswith("d.nfg: ") and "\n" not in str(err)
    else:
        assert len(game.payoffs) == math.prod(game.shape)


def test_the_good_file_of_the_bad_ones_reads():
    """The base of every bad file above is a good one (payoff format, then outcome format)."""
    game = from_nfg(GOOD)
    assert game.players == ("a", "b") and game.shape == (2, 1) and game.comment == "c"
    assert game.payoffs == ((1, 2), (3, 4))
    outcomes = GOOD.replace("1 2\n3 4", '{ { "x" 1, 2 }\n{ "y" 3 4 } }\n2 0')
    assert from_nfg(outcomes).payoffs == ((3, 4), (0, 0))


# -- pygambit: the same game, the same equilibria ----------------------------------------


@pytest.fixture
def gbt():
    return pytest.importorskip("pygambit")


def gambit_checks(gbt, instance: Instance, game: RestrictedGame, deviations_at: int = 3) -> None:
    """The file in pygambit: same players, labels and payoffs; Gambit's pure equilibria are ours
    (brute force); our full best deviation at some of them is worth at least the restricted one."""
    loaded = gbt.read_nfg(io.StringIO(to_nfg(game)))
    players = list(loaded.players)
    assert [p.label for p in players] == list(game.players)
    assert [[s.label for s in p.strategies] for p in players] == [
        [scheme_label(s) for s in options] for options in game.strategies
    ]
    for contingency in loaded.contingencies:
        outcome = loaded[contingency]
        assert tuple(F(outcome[p]) for p in players) == game.payoff(tuple(contingency))
    assert from_nfg(loaded.to_nfg()) == game  # Gambit's own writing (outcome format) reads back
    result = gbt.nash.enumpure_solve(loaded)
    assert result.rational
    pure = set()
    for eq in result.equilibria:
        profile = []
        for p in players:
            weights = [eq[s] for s in p.strategies]
            assert sorted(weights) == [0] * (len(weights) - 1) + [1]
            profile.append(weights.index(1))
        pure.add(tuple(profile))
    assert pure == set(game.pure_equilibria())
    if len(game.payoffs) <= SAMPLE:
        assert pure == restricted_equilibria(game)
    looked_at = sorted(pure)[:deviations_at] + [next(iter(game.profiles()))]
    for profile in looked_at:
        full = deviations(instance, game.scheme_profile(profile), ETA, game_of(instance))
        for i, dev in enumerate(full):
            assert dev.value == game.payoff(profile)[i]
            assert dev.best.value >= game.best_restricted_value(profile, i)


@pytest.mark.parametrize("slug, grid", CATALOG)
def test_catalog_games_in_gambit(gbt, slug, grid):
    instance, game = catalog_game(slug, grid)
    gambit_checks(gbt, instance, game, deviations_at=3 if len(game.payoffs) <= SAMPLE else 1)


def as_selection(instance: Instance) -> Instance:
    return dataclasses.replace(
        instance, protocol=dataclasses.replace(instance.protocol, game="best-ai-selection")
    )


@settings(max_examples=40)
@given(
    instances(max_states=2, max_actions=3, max_senders=2, max_alice_features=2, max_messages=2),
    st.sampled_from([1, 2]),
    st.booleans(),
)
def test_generated_games_in_gambit(instance, grid, selection):
    gbt = pytest.importorskip("pygambit")
    instance = as_selection(instance) if selection else instance
    game = restricted_game(instance, grid)
    for profile in game.profiles():
        assert game.payoff(profile) == brute_payoffs(instance, game.scheme_profile(profile).schemes)
    gambit_checks(gbt, instance, game, deviations_at=1)


tricky = st.text(
    st.sampled_from(["a", "b", " ", "\\", '"', "\u00fc", "\u540d", "\t", "\n"]), max_size=5
)


@st.composite
def tricky_games(draw) -> RestrictedGame:
    """Small games whose title, players and comment are built from what Gambit finds hard."""
    game = draw(restricted_games(ascii_names=True))
    players = draw(st.lists(tricky, min_size=len(game.players), max_size=3, unique=True))
    players = tuple(players[: len(game.players)])
    return dataclasses.replace(game, title=draw(tricky), players=players, comment=draw(tricky))


def _in_gambit(gbt, text: str) -> tuple[str, list[str], str] | None:
    """Title, players and comment as pygambit reads the file ``text``; None when it cannot."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "game.nfg")
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(text)
        try:
            loaded = gbt.read_nfg(path)
            return loaded.title, [p.label for p in loaded.players], loaded.description
        except Exception:  # pygambit raises ValueError, UnicodeDecodeError, ...
            return None


def _as_gambit_quotes(game: RestrictedGame) -> str:
    """The file to_nfg would write without its checks (a backslash doubled, as Gambit does)."""

    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    plain = dataclasses.replace(
        game, title="t", players=tuple(f"p{i}" for i in range(len(game.players))), comment="c"
    )
    text = to_nfg(plain).replace('"t"', quote(game.title), 1).replace('"c"', quote(game.comment), 1)
    for i, player in enumerate(game.players):
        text = text.replace(f'"p{i}"', quote(player), 1)
    return text


@settings(max_examples=150, deadline=None)
@given(st.one_of(tricky_games(), restricted_games()))
def test_every_file_written_is_read_by_gambit(game):
    """The review: a non-ASCII title (codec error), a non-ASCII sender or one with leading or
    double spaces ("Invalid label"), a name ending in a backslash -- files Gambit 16.7 could not
    read.  Now every file to_nfg writes loads in pygambit with its title, players and comment
    exactly; and every refusal is needed: the same file written anyway does not."""
    gbt = pytest.importorskip("pygambit")
    expected = (game.title, list(game.players), game.comment)
    if _refused(game):
        with pytest.raises(ValueError):
            to_nfg(game)
        assert _in_gambit(gbt, _as_gambit_quotes(game)) != expected
    else:
        assert _in_gambit(gbt, to_nfg(game)) == expected


def _renamed(tmp_path, **names) -> str:
    """judge-prosecutor with its name, first sender or first state renamed; the file's path."""
    data = json.loads((INSTANCES / "judge-prosecutor.json").read_text())
    if "name" in names:
        data["name"] = names["name"]
    if "sender" in names:
        data["senders"][0]["name"] = names["sender"]
    if "state" in names:
        old = data["states"][0]
        data["states"][0] = names["state"]
        data["prior"][names["state"]] = data["prior"].pop(old)
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("names", "problem"),
    [
        ({"name": "名前 ü"}, 'the instance\'s name "名前 ü" is not ASCII'),
        ({"sender": "ü"}, 'sender "ü" is not ASCII'),
        # the line shows "a b" (one-line errors fold spaces): the position says where
        ({"sender": "a  b"}, 'sender "a b" holds two spaces in a row (at character 2)'),
        ({"sender": " a"}, 'sender " a" begins or ends with a space'),
        ({"name": "end\\"}, 'the instance\'s name "end\\\\" holds a backslash'),
        ({"state": "gültig"}, 'sender feature "gültig" is not ASCII'),
    ],
)
def test_export_refuses_a_name_gambit_cannot_read(names, problem, tmp_path, capsys, monkeypatch):
    """One line naming the name and why, before any payoff is computed (restricted_game is never
    called)."""
    import persuasion.restricted

    def never(*args, **kwargs):
        raise AssertionError("payoffs computed before the names were checked")

    monkeypatch.setattr(persuasion.restricted, "restricted_game", never)
    path = _renamed(tmp_path, **names)
    assert main(["export", path, "--gambit", "--out", str(tmp_path / "g.nfg")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"persuasion: error: {path}: {problem}; Gambit 16.7 could not read")
    assert err.count("\n") == 1 and not (tmp_path / "g.nfg").exists()


def test_the_program_refuses_a_name_gambit_cannot_read(console, tmp_path):
    proc = console("export", _renamed(tmp_path, sender="ü"), "--gambit")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.count("\n") == 1 and 'sender "ü" is not ASCII' in proc.stderr


# -- the command line --------------------------------------------------------------------

KG = str(INSTANCES / "kg-prosecutor.json")


def test_export_to_stdout_reads_back(capsys):
    assert main(["export", KG, "--gambit", "--grid", "2"]) == 0
    out = capsys.readouterr().out
    assert from_nfg(out) == catalog_game("kg-prosecutor", 2)[1]


def test_export_to_a_file_refuses_to_replace_it_without_force(tmp_path, capsys):
    path = tmp_path / "kg.nfg"
    assert main(["export", KG, "--gambit", "--out", str(path)]) == 0
    assert capsys.readouterr().out == f"wrote {path}: 4 pure profiles (4 schemes)\n"
    assert read_nfg(str(path)) == catalog_game("kg-prosecutor")[1]
    assert main(["export", KG, "--gambit", "--out", str(path), "--grid", "2"]) == 2
    assert capsys.readouterr().err == (
        f"persuasion: error: --out {path}: the file exists; add --force to replace it\n"
    )
    assert main(["export", KG, "--gambit", "--out", str(path), "--grid", "2", "--force"]) == 0
    assert read_nfg(str(path)) == catalog_game("kg-prosecutor", 2)[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.nfg"]  # no temporary file left


@pytest.mark.parametrize(
    "args, error",
    [
        (["--gambit", "--force"], "--force: only applies with --out"),
        (["--gambit", "--out", "{tmp}/"], "--out {tmp}/: give a file name"),
        (["--gambit", "--out", "{tmp}/no/x.nfg"], "--out {tmp}/no/x.nfg: the folder"),
        (["--gambit", "--grid", "0"], "argument --grid: must be >= 1"),
        ([], "the following arguments are required: --gambit"),
    ],
)
def test_export_bad_options(args, error, tmp_path, capsys):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["export", KG, *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("persuasion: error: ")
    assert error.replace("{tmp}", str(tmp_path)) in err


def test_the_destination_is_checked_before_the_instance_is_read(tmp_path, capsys):
    (tmp_path / "x.nfg").write_text("old")
    assert main(["export", "missing.json", "--gambit", "--out", str(tmp_path / "x.nfg")]) == 2
    assert "the file exists" in capsys.readouterr().err
    assert (tmp_path / "x.nfg").read_text() == "old"


def test_the_installed_program_exports(console):
    done = console("export", KG, "--gambit")
    assert done.returncode == 0 and done.stderr == ""
    assert from_nfg(done.stdout) == catalog_game("kg-prosecutor")[1]
    medical = str(INSTANCES / "medical.json")
    for args in (["--gambit", "--grid", "x"], ["--grid", "2"], ["--gambit", "--grid", "2"]):
        bad = console("export", medical if "--gambit" in args else KG, *args)
        assert bad.returncode == 2 and bad.stdout == ""
        assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("persuasion: error: ")
    assert "the limit is 100000" in bad.stderr
    helped = console("export", "--help")
    assert helped.returncode == 0 and "--grid K" in helped.stdout
    assert "docs/reference/limits.md" in " ".join(helped.stdout.split())
