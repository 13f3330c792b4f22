"""Measure how far each generated number moves on other numeric environments, to choose tolerances.

    python -m tools.spread                 # every chapter, every environment below (several minutes)
    python -m tools.spread cnn rnn         # some chapters

Each chapter is regenerated under several settings that change which kernels run (CPU capability,
MKL and oneDNN code paths, thread count) and compared with the committed outputs. For every output
whose numbers moved it prints the largest relative change, the declared tolerance, and whether the
contract (tools/verify.py) holds. Declare a tolerance above the largest change seen, with a margin.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tools import generate, verify

ROOT = Path(__file__).resolve().parents[1]

# Settings that differ from the pinned ones (tools/verify.py) in one or several switches.
ENVIRONMENTS: dict[str, dict[str, str]] = {
    # what `make test` verifies against: every switch differs
    "other": {**verify.OTHER, **verify.thread_env(verify.OTHER_THREADS)},
    # this machine unpinned: AVX-512 kernels where the CPU has them, MKL, oneDNN and OpenBLAS free to choose
    "native": {"ATEN_CPU_CAPABILITY": "", "MKL_CBWR": "", "ONEDNN_MAX_CPU_ISA": "", "OPENBLAS_CORETYPE": "",
               **verify.thread_env(2)},
    # slow but far: scalar ATen kernels, MKL's SSE2 branch, oneDNN and OpenBLAS without AVX
    "scalar": {"ATEN_CPU_CAPABILITY": "default", "MKL_CBWR": "COMPATIBLE", "ONEDNN_MAX_CPU_ISA": "SSE41",
               "OPENBLAS_CORETYPE": "Nehalem", **verify.thread_env(2)},
    "threads-1": {**verify.PINNED, **verify.thread_env(1)},
    "threads-3": {**verify.PINNED, **verify.thread_env(3)},
}


def measure(chapter: str, environment: dict[str, str]) -> list[str]:
    """One line per output that moved, plus the contract's verdict."""
    original = generate.numeric_env
    generate.numeric_env = lambda numeric="pinned": environment  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as folder:
            fresh = Path(folder)
            generate.run_recipe(chapter, fresh, ROOT)
            tolerances = generate.read_manifest(fresh).get("tolerances", {})
            lines = []
            for new in sorted(fresh.iterdir()):
                old = ROOT / "generated" / chapter / new.name
                if new.name == generate.MANIFEST or not old.exists() or generate.TIMING in new.name:
                    continue
                drift = verify.largest_drift(old, new)
                if drift or (old.read_bytes() != new.read_bytes() and not new.name.endswith(".png")):
                    worst_abs = max(drift.items(), key=lambda item: item[1][0]) if drift else ("text", (0, 0))
                    worst_rel = max(drift.items(), key=lambda item: item[1][1]) if drift else ("text", (0, 0))
                    verdict = verify.compare(new.name, old, new, tolerances.get(new.name, {}))
                    lines.append(f"  {new.name}: {len(drift)} numbers moved; largest abs {worst_abs[1][0]:.2e} "
                                 f"at {worst_abs[0]}, largest rel {worst_rel[1][1]:.2e} at {worst_rel[0]}; "
                                 f"declared {tolerances.get(new.name, 'exact')}; {'holds' if not verdict else 'FAILS'}")
            return lines
    finally:
        generate.numeric_env = original


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.spread", description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", metavar="CHAPTER", help="default: every chapter")
    parser.add_argument("--env", action="append", choices=sorted(ENVIRONMENTS),
                        help="only these settings (repeatable; default: all)")
    args = parser.parse_args(argv)
    unknown = [c for c in args.chapters if c not in generate.chapters()]
    if unknown:
        print(f"spread: unknown chapter {unknown[0]!r}; valid chapters: {', '.join(generate.chapters())}",
              file=sys.stderr)
        return 2
    for chapter in args.chapters or generate.chapters():
        for label in args.env or ENVIRONMENTS:
            environment = ENVIRONMENTS[label]
            lines = measure(chapter, environment)
            print(f"{chapter} under {label}: {'identical numbers' if not lines else ''}", flush=True)
            for line in lines:
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
