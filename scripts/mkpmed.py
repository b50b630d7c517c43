#!/usr/bin/env python3
"""mkpmed.py: write a small p-median instance in the OR-Library format.

OR-Library's pmed files (Beasley 1985, people.brunel.ac.uk/~mastjjb/jeb/orlib/
pmedinfo.html) are: a first line "n m p" (vertices, edges, medians), then m
lines "i j cost" (1-based vertices, an undirected edge); distances are the
shortest paths of that graph. This writes one such instance, small enough
for tests/cu_budget.c to find its optimum by brute force, deterministically
(fixed seed): a ring through every vertex (so the graph is connected) plus
random chords.

    scripts/mkpmed.py [OUT] [N] [P] [SEED]
"""
import random
import sys


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "fixtures/pmed/pmed_small.txt"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    p = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    rng = random.Random(seed)
    edges = {}
    for i in range(1, n + 1):
        j = i % n + 1
        edges[(min(i, j), max(i, j))] = rng.randint(5, 60)
    while len(edges) < 2 * n:
        i, j = rng.sample(range(1, n + 1), 2)
        edges.setdefault((min(i, j), max(i, j)), rng.randint(5, 60))
    with open(out, "w") as f:
        f.write(f" {n} {len(edges)} {p}\n")
        for (i, j), c in sorted(edges.items()):
            f.write(f" {i} {j} {c}\n")


if __name__ == "__main__":
    main()
