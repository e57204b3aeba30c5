"""Benchmark: the size of a conversation game and the time to solve it for Alice, as the rounds,
Alice's messages and the senders grow.

Run as ``python benchmarks/bench_conversation.py [--states 2] [--max-senders 3]
[--max-alice-messages 3] [--max-rounds 8] [--json FILE]`` (not part of pytest).  For a
generated instance (``experiments.families.generate("random", 0, Size(senders, states, 2))``:
a prior over states, every sender with one message per state) and a random profile of rules
that ignore the history (``families.random_profile``), it counts the conversation game's
size for every number of senders, Alice's messages and rounds in the ranges
(:func:`persuasion.conversation.sizes.conversation_sizes`, nothing built), and for every game
within ``MAX_CONVERSATION_NODES`` times, in one run, compiling the tree
(:func:`persuasion.conversation.tree.compile_game`) and Alice's backward induction
(:func:`persuasion.conversation.alice.best_conversation_rule`).  Rounds stop growing at the
first game past the limit (shown ``refused``).  Prints one Markdown table; the latest
measurement is in docs/explanation/performance.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time

from persuasion.conversation.alice import best_conversation_rule
from persuasion.conversation.rules import ConversationProfile
from persuasion.conversation.sizes import conversation_sizes
from persuasion.conversation.tree import compile_game
from persuasion.experiments.families import Size, generate, random_profile
from persuasion.limits import MAX_CONVERSATION_NODES


def measure(senders: int, said: int, rounds: int, states: int) -> dict:
    """One game: its sizes, and (within the limit) the seconds to compile and to solve it."""
    base = generate("random", 0, Size(senders, states, 2))
    protocol = dataclasses.replace(base.protocol, rounds=rounds, alice_messages=said)
    instance = dataclasses.replace(base, protocol=protocol)
    row = {"senders": senders, "alice_messages": said, "rounds": rounds}
    sizes = conversation_sizes(instance, cap=MAX_CONVERSATION_NODES)
    if sizes is None:
        return {**row, "refused": True}
    rules = ConversationProfile.from_profile(random_profile(instance, 0))
    start = time.perf_counter()
    game = compile_game(instance)
    built = time.perf_counter()
    response = best_conversation_rule(game, rules)
    solved = time.perf_counter()
    return {
        **row,
        "refused": False,
        "nodes": sizes.nodes,
        "alice_information_sets": sizes.alice_information_sets,
        "transcripts": sizes.transcripts,
        "compile_s": round(built - start, 3),
        "solve_s": round(solved - built, 3),
        "alice_utility": str(response.value),
    }


def table(rows: list[dict]) -> str:
    """The rows as a Markdown table."""
    head = "| senders | Alice's messages | rounds | nodes | Alice's information sets |"
    lines = [head + " compile | solve |", "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        head = f"| {r['senders']} | {r['alice_messages']} | {r['rounds']} |"
        if r["refused"]:
            lines.append(f"{head} > {MAX_CONVERSATION_NODES:,} | | refused | |")
        else:
            lines.append(
                f"{head} {r['nodes']:,} | {r['alice_information_sets']:,} | "
                f"{r['compile_s']:.3f} s | {r['solve_s']:.3f} s |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--states", type=int, default=2)
    parser.add_argument("--max-senders", type=int, default=3)
    parser.add_argument("--max-alice-messages", type=int, default=3)
    parser.add_argument("--max-rounds", type=int, default=8)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    rows = []
    for senders in range(1, args.max_senders + 1):
        for said in range(1, args.max_alice_messages + 1):
            for rounds in range(1, args.max_rounds + 1):
                rows.append(measure(senders, said, rounds, args.states))
                print(rows[-1], flush=True)
                if rows[-1]["refused"]:
                    break
    print(table(rows))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
