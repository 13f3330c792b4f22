"""Split the chapters into CI shards of about equal run time (the recipes' recorded seconds).

    python -m tools.shards                  # print the shards
    python -m tools.shards --count 4 --github >> "$GITHUB_OUTPUT"   # matrix=… for GitHub Actions

Each chapter's ``generated/<chapter>/manifest.json`` records how long its recipe ran; a shard's CI
job re-runs its chapters' recipes and tests, so the recipes' time is what to balance. Longest first,
each into the lightest shard (the greedy rule the PyTorch tutorials use for their shards). Needs only
the standard library: the CI plans the shards before anything is installed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tools.generate import MANIFEST, ROOT, chapters

UNKNOWN_SECONDS = 30.0  # a chapter never generated yet (a new one in a pull request): assume a heavy one


def recorded_seconds(chapter: str, root: Path = ROOT) -> float:
    try:
        manifest = json.loads((root / "generated" / chapter / MANIFEST).read_text(encoding="utf-8"))
        return float(manifest["seconds"])
    except (OSError, KeyError, ValueError, TypeError):
        return UNKNOWN_SECONDS


def plan(count: int, root: Path = ROOT) -> list[list[str]]:
    """``count`` shards (fewer if there are fewer chapters), every chapter in exactly one."""
    times = {chapter: recorded_seconds(chapter, root) for chapter in chapters(root)}
    shards: list[list[str]] = [[] for _ in range(min(count, len(times)))]
    loads = [0.0] * len(shards)
    for chapter in sorted(times, key=lambda c: (-times[c], c)):
        lightest = loads.index(min(loads))
        shards[lightest].append(chapter)
        loads[lightest] += times[chapter]
    return [sorted(shard) for shard in shards]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.shards", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=4, help="number of shards (default 4)")
    parser.add_argument("--github", action="store_true", help="print matrix=<json> for $GITHUB_OUTPUT")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    shards = plan(args.count)
    if args.github:
        include = [{"shard": i + 1, "chapters": ",".join(shard)} for i, shard in enumerate(shards)]
        print("matrix=" + json.dumps({"include": include}, separators=(",", ":")))
    else:
        for i, shard in enumerate(shards, 1):
            seconds = sum(recorded_seconds(c) for c in shard)
            print(f"shard {i}: {seconds:6.1f} s  {', '.join(shard)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
