"""Benchmark: the size of a conversation game and the time to solve it for Alice and for a sender,
as the rounds, Alice's messages and the senders grow.

Run as ``python benchmarks/bench_conversation.py [--states 2] [--max-senders 3]
[--max-alice-messages 3] [--max-rounds 8] [--best-response-nodes 3000] [--json FILE]`` (not
part of pytest).  For a
generated instance (``experiments.families.generate("random", 0, Size(senders, states, 2))``:
a prior over states, every sender with one message per state) and a random profile of rules
that ignore the history (``families.random_profile``), it counts the conversation game's
size for every number of senders, Alice's messages and rounds in the ranges
(:func:`persuasion.conversation.sizes.conversation_sizes`, nothing built), and for every game
within ``MAX_CONVERSATION_NODES`` times, in one run, compiling the tree
(:func:`persuasion.conversation.tree.compile_game`) and Alice's backward induction
(:func:`persuasion.conversation.alice.best_conversation_rule`); within
``--best-response-nodes`` nodes, also sender 1's exact best response
(:func:`persuasion.conversation.sender.conversation_best_response`) and how its value is known.
Rounds stop growing at the first game past the limit (shown ``refused``).  Then every sender's
best response in the catalog's ``collina-et-al-2025-two-round-questions`` at its profiles.
Prints Markdown tables; the latest measurement is in docs/explanation/performance.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time

from persuasion.conversation.alice import best_conversation_rule
from persuasion.catalog.entries import shipped
from persuasion.conversation.rules import ConversationProfile
from persuasion.conversation.sender import conversation_best_response
from persuasion.conversation.sizes import conversation_sizes
from persuasion.conversation.tree import compile_game
from persuasion.experiments.families import Size, generate, random_profile
from persuasion.limits import MAX_CONVERSATION_NODES


QUESTIONS = "collina-et-al-2025-two-round-questions"
"""The catalog's two-round game whose senders' best responses are timed."""


def measure(senders: int, said: int, rounds: int, states: int, best_nodes: int = 0) -> dict:
    """One game: its sizes, and (within the limit) the seconds to compile and to solve it for
    Alice, and (within ``best_nodes`` nodes) for sender 1."""
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
    if sizes.nodes <= best_nodes:
        best = conversation_best_response(game, rules, 0)
        row |= {
            "best_response_s": round(time.perf_counter() - solved, 3),
            "sender_value": str(best.value),
            "optimality": best.optimality,
        }
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
    lines = [
        head + " compile | solve | sender 1's best response |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        head = f"| {r['senders']} | {r['alice_messages']} | {r['rounds']} |"
        if r["refused"]:
            lines.append(f"{head} > {MAX_CONVERSATION_NODES:,} | | refused | | |")
            continue
        best = f"{r['best_response_s']:.3f} s ({r['optimality']})" if "best_response_s" in r else ""
        lines.append(
            f"{head} {r['nodes']:,} | {r['alice_information_sets']:,} | "
            f"{r['compile_s']:.3f} s | {r['solve_s']:.3f} s | {best} |"
        )
    return "\n".join(lines)


def questions() -> list[dict]:
    """Every sender's best response in the catalog's two-round questions game, at each of its
    profiles: the value, how it is known, and the seconds."""
    entry = next(e for e in shipped() if e.slug == QUESTIONS)
    game = compile_game(entry.load())
    rows = []
    for name in entry.profile_rules:
        rules = entry.conversation(name)
        for sender in range(game.instance.num_senders):
            start = time.perf_counter()
            best = conversation_best_response(game, rules, sender)
            rows.append(
                {
                    "profile": name,
                    "sender": game.instance.senders[sender].name,
                    "value": str(best.value),
                    "attained": best.attained,
                    "optimality": best.optimality,
                    "seconds": round(time.perf_counter() - start, 3),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--states", type=int, default=2)
    parser.add_argument("--max-senders", type=int, default=3)
    parser.add_argument("--max-alice-messages", type=int, default=3)
    parser.add_argument("--max-rounds", type=int, default=8)
    parser.add_argument("--best-response-nodes", type=int, default=3000)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    rows = []
    for senders in range(1, args.max_senders + 1):
        for said in range(1, args.max_alice_messages + 1):
            for rounds in range(1, args.max_rounds + 1):
                rows.append(measure(senders, said, rounds, args.states, args.best_response_nodes))
                print(rows[-1], flush=True)
                if rows[-1]["refused"]:
                    break
    print(table(rows))
    catalog = questions()
    print("\n| profile | sender | value | attained | optimality | best response |")
    print("| --- | --- | ---: | --- | --- | ---: |")
    for r in catalog:
        print(
            f"| {r['profile']} | {r['sender']} | {r['value']} | {r['attained']} | "
            f"{r['optimality']} | {r['seconds']:.3f} s |"
        )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"games": rows, QUESTIONS: catalog}, fh, indent=2)


if __name__ == "__main__":
    main()
