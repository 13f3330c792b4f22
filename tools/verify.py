"""The verification contract: what "the code still produces this output" means on any machine.

- Exact by default. Text, integers, shapes, tables made of them: byte for byte, everywhere.
- A number that depends on floating-point summation order (a trained loss, a measured difference,
  anything sampled) is compared within the tolerance its recipe declared next to it:
  ``out.json("fit.summary", data, tolerance={"loss": Tol(rel=0.05)})``. Nothing else is loosened.
- A figure is verified by the data it draws: ``Outputs.figure`` saves that data beside the PNGs
  (``<name>.figure.json``) and only the data is compared; the PNG is what matplotlib renders of it.

A tolerance is chosen from measurement: ``python -m tools.spread`` regenerates chapters under other
numeric environments (CPU capability, BLAS/oneDNN code paths, threads) and prints the largest drift
of every number, so a recipe declares a bound above what other machines really do.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A number inside text: 12, -0.5, 1.4e-06, 98.33 (a thousands comma splits it into two numbers,
# which then both have to match).
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
MAX_REPORTED = 3  # differences listed per file; the rest are counted

# Environment variables that select numeric code paths. The generator pins them (PINNED) and the
# "another machine" check runs with OTHER, which differs in every one of them.
PINNED = {
    # One vector width for ATen's own kernels on every x86-64 CPU from 2013 on (AVX-512 machines
    # would otherwise take other kernels than the AVX2 laptops most readers have).
    "ATEN_CPU_CAPABILITY": "avx2",
    # MKL's conditional numerical reproducibility: the same code path on Intel and AMD CPUs.
    "MKL_CBWR": "AVX2",
    # oneDNN (convolutions) limited to the same instruction set.
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    # OpenBLAS (numpy's and SciPy's BLAS, under scikit-learn's models) on its AVX2 kernels too: it
    # picks them by CPU otherwise (seen: the diffusion chapter's judge reads 99.6 % of the real digits
    # right with AVX-512 kernels, 99.5 % with AVX2 ones).
    "OPENBLAS_CORETYPE": "Haswell",
}
PINNED_THREADS = 2  # reductions split the same way whatever the core count
# Another machine, as far as one machine can play it, at about the same speed: AVX-512 kernels where
# the CPU has them (else whatever it has), MKL's own choice of branch, one thread, and oneDNN and
# OpenBLAS on another instruction set than AVX2: AVX-512 where the CPU has it, else AVX without
# AVX2's fused multiply-add. (oneDNN limited to SSE4.1, scalar ATen kernels or MKL's SSE2 branch
# differ too, but make the recipes 1.3 to 2.4 times slower, the CNN chapter's 2.4 times;
# `make spread` measures them.)
def _has_avx512() -> bool:
    try:
        return " avx512f " in Path("/proc/cpuinfo").read_text(encoding="utf-8").replace("\n", " ")
    except OSError:
        return False


OTHER = {"ATEN_CPU_CAPABILITY": "avx512", "MKL_CBWR": "AUTO",
         "ONEDNN_MAX_CPU_ISA": "AVX512_CORE" if _has_avx512() else "AVX",
         "OPENBLAS_CORETYPE": "SkylakeX" if _has_avx512() else "Sandybridge"}
OTHER_THREADS = 1


def thread_env(threads: int) -> dict[str, str]:
    """A recipe process's thread count, for torch (the generator sets it once torch is imported) and
    for OpenBLAS, which reads it when numpy or SciPy loads: set here, not inherited, because a BLAS
    sum split over two threads ends in other last digits than over one or four."""
    return {"GENERATE_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads)}


@dataclass(frozen=True)
class Tol:
    """Allowed difference for a number: ``|a - b| <= max(rel * max(|a|, |b|), abs)``."""

    abs: float = 0.0
    rel: float = 0.0

    def __post_init__(self) -> None:
        if self.abs < 0 or self.rel < 0 or (self.abs == 0 and self.rel == 0):
            raise ValueError("a tolerance needs abs > 0 or rel > 0 (leave it out to compare exactly)")

    def allows(self, old: float, new: float) -> bool:
        return math.isclose(old, new, rel_tol=self.rel, abs_tol=self.abs)

    def __str__(self) -> str:
        return " ".join(f"{k} {v:g}" for k, v in (("abs", self.abs), ("rel", self.rel)) if v)


Tolerance = Tol | Mapping[str, Tol] | None

# Tolerances measured with `make spread`, named by what they cover (recipes may declare their own):
FLOAT_NOISE = Tol(abs=1e-5)  # a printed difference that is float32 rounding (1e-7 … 1e-6 on every machine seen)
FORMULA = Tol(rel=2e-3, abs=1e-6)  # a fixed formula in float32 on other vector kernels (seen: 3.6e-4 relative)
TRAINED = Tol(rel=0.05, abs=1e-3)  # a loss or accuracy after training (seen: 1.9 % relative after 3 epochs)


def tolerance_spec(tolerance: Tolerance) -> dict[str, dict[str, float]]:
    """The declared tolerance as JSON for the manifest: ``{pattern: {"abs": …, "rel": …}}``.

    A single :class:`Tol` covers every number of the output (pattern ``*``). In a mapping, keys are
    ``fnmatch`` patterns on a number's path: ``loss``, ``curves.*`` or ``rows.*.3`` (column 3 of a table);
    in text, the n-th number is ``#n``; inside a JSON string, ``key#n``.
    """
    if tolerance is None:
        return {}
    if isinstance(tolerance, Tol):
        tolerance = {"*": tolerance}
    spec = {}
    for pattern, tol in tolerance.items():
        if not isinstance(tol, Tol):
            raise TypeError(f"tolerance for {pattern!r} must be a Tol(abs=…, rel=…), got {tol!r}")
        spec[pattern] = {k: v for k, v in (("abs", tol.abs), ("rel", tol.rel)) if v}
    return spec


def tol_for(path: str, spec: Mapping[str, Mapping[str, float]]) -> Tol | None:
    """The tolerance for one number: the exact key if declared, else the longest matching pattern."""
    matching = [pattern for pattern in spec if fnmatch.fnmatchcase(path, pattern)]
    if not matching:
        return None
    return Tol(**spec[path if path in matching else max(matching, key=len)])


# ---------------------------------------------------------------- comparing
def _numbers_and_text(text: str) -> tuple[list[str], list[str]]:
    """Split text into the numbers in it and the text around them."""
    return NUMBER.findall(text), NUMBER.split(text)


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a JSON value with its dotted path; containers yield their shape first."""
    if isinstance(value, dict):
        yield path, ("dict", sorted(value))
        for key in sorted(value):
            yield from _walk(value[key], f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        yield path, ("list", len(value))
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}.{index}" if path else str(index))
    else:
        yield path, value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Differences:
    def __init__(self, label: str, spec: Mapping[str, Mapping[str, float]]) -> None:
        self.label, self.spec, self.lines, self.count = label, spec, [], 0

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.lines) < MAX_REPORTED:
            self.lines.append(f"{self.label}: {message}")

    def number(self, path: str, old: float, new: float) -> None:
        if old == new:
            return
        tol = tol_for(path, self.spec)
        if tol is None:
            self.add(f"{path or 'value'} {old!r} → {new!r} (exact: the recipe declares no tolerance for it)")
        elif not (math.isfinite(old) and math.isfinite(new)) or not tol.allows(old, new):
            self.add(f"{path or 'value'} {old!r} → {new!r} beyond the declared tolerance ({tol})")

    def text(self, path: str, old: str, new: str) -> None:
        old_numbers, old_rest = _numbers_and_text(old)
        new_numbers, new_rest = _numbers_and_text(new)
        if old_rest != new_rest or len(old_numbers) != len(new_numbers):
            where = next((i for i, (a, b) in enumerate(zip(old_rest, new_rest, strict=False)) if a != b),
                         min(len(old_rest), len(new_rest)))
            snippet = (old_rest[where] if where < len(old_rest) else "")[:40]
            self.add(f"{path + ' ' if path else ''}text differs (not only in numbers) near {snippet!r}")
            return
        for index, (a, b) in enumerate(zip(old_numbers, new_numbers, strict=True)):
            if a != b:
                self.number(f"{path}#{index}", float(a), float(b))

    def json(self, old: Any, new: Any) -> None:
        old_leaves, new_leaves = list(_walk(old)), list(_walk(new))
        if [p for p, _ in old_leaves] != [p for p, _ in new_leaves]:
            self.add("the structure differs (other keys or list lengths)")
            return
        for (path, a), (_, b) in zip(old_leaves, new_leaves, strict=True):
            if _is_number(a) and _is_number(b):
                self.number(path, a, b)
            elif isinstance(a, str) and isinstance(b, str):
                if a != b:
                    self.text(path, a, b)
            elif a != b:
                self.add(f"{path or 'value'} {a!r} → {b!r}")

    def result(self) -> list[str]:
        if self.count > len(self.lines):
            self.lines.append(f"{self.label}: … and {self.count - len(self.lines)} more differences")
        return self.lines


def compare(label: str, old: Path, new: Path, spec: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Differences between a committed output and a fresh one under the contract (empty: verified)."""
    if old.name.endswith(".png"):
        return []  # verified through <name>.figure.json, the data it draws
    old_bytes, new_bytes = old.read_bytes(), new.read_bytes()
    if old_bytes == new_bytes:
        return []
    differences = _Differences(label, spec)
    if old.suffix == ".json":
        differences.json(json.loads(old_bytes), json.loads(new_bytes))
    elif old.suffix == ".txt":
        differences.text("", old_bytes.decode("utf-8"), new_bytes.decode("utf-8"))
    else:
        differences.add("differs from what the code produces now (compared byte for byte)")
    return differences.result()


def largest_drift(old: Path, new: Path) -> dict[str, tuple[float, float]]:
    """For ``tools.spread``: (absolute, relative) change of every number that moved, by path."""
    def numbers(path: Path) -> dict[str, float]:
        found: dict[str, float] = {}
        if path.suffix == ".json":
            for key, value in _walk(json.loads(path.read_text(encoding="utf-8"))):
                if _is_number(value):
                    found[key] = float(value)
                elif isinstance(value, str):
                    found.update({f"{key}#{i}": float(n) for i, n in enumerate(NUMBER.findall(value))})
        elif path.suffix == ".txt":
            found = {f"#{i}": float(n) for i, n in enumerate(NUMBER.findall(path.read_text(encoding="utf-8")))}
        return found
    a, b = numbers(old), numbers(new)
    return {key: (abs(a[key] - b[key]), abs(a[key] - b[key]) / max(abs(a[key]), abs(b[key]), 1e-300))
            for key in a.keys() & b.keys() if a[key] != b[key]}


# ---------------------------------------------------------------- figures
def _rounded(values: Any) -> Any:
    """Floats to 6 significant digits (far below any declared tolerance), nan/inf as text."""
    if isinstance(values, list):
        return [_rounded(v) for v in values]
    if isinstance(values, float):
        return float(f"{values:.6g}") if math.isfinite(values) else str(values)
    return values


def figure_data(fig: Any) -> dict[str, Any]:
    """What a matplotlib figure draws, per axes: lines, points, bars, images and text labels."""
    import numpy as np

    def plain(array: Any) -> Any:
        array = np.ma.filled(np.ma.asarray(array, dtype=float), np.nan)
        return _rounded(array.tolist())

    axes = []
    for ax in fig.axes:
        entry: dict[str, Any] = {}
        if lines := ax.get_lines():
            entry["lines"] = [plain(line.get_xydata()) for line in lines]
        points = [plain(c.get_offsets()) for c in ax.collections if len(c.get_offsets())]
        values = [plain(c.get_array()) for c in ax.collections if c.get_array() is not None]
        if points:
            entry["points"] = points
        if values:
            entry["values"] = values
        if bars := [p for p in ax.patches if hasattr(p, "get_height")]:
            entry["bars"] = plain([[p.get_x(), p.get_y(), p.get_width(), p.get_height()] for p in bars])
        if images := ax.get_images():
            entry["images"] = [plain(image.get_array()) for image in images]
        if texts := [t.get_text() for t in ax.texts]:
            entry["texts"] = texts
        axes.append(entry)
    return {"axes": axes}


# ---------------------------------------------------------------- environments
def numeric_environment() -> dict[str, Any]:
    """What decides the last digits of this run: versions, CPU, kernel selection, threads. Reads torch's
    kernel choice and threads only if the run imported torch: importing torch and torchvision costs
    four seconds of CPU, which a recipe that never uses them should not pay."""
    torch = sys.modules.get("torch")
    environment: dict[str, Any] = {
        "python": platform.python_version(),
        "torch": _version("torch"),
        "torchvision": _version("torchvision"),
        "machine": platform.machine(),
        "cpu": _cpu_model(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability() if torch else "torch not imported",
        "threads": torch.get_num_threads() if torch else 1,
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
    }
    environment.update({name: os.environ.get(name, "") for name in sorted(PINNED)})
    return environment


def _version(package: str) -> str:
    """An installed package's version as it reports it (``2.14.1+cu130``), without importing it:
    torch and torchvision keep it in their ``version.py``."""
    if package in sys.modules:
        return sys.modules[package].__version__
    spec = importlib.util.find_spec(package)
    folder = Path(next(iter(spec.submodule_search_locations or []), "")) if spec else None
    if folder and (folder / "version.py").is_file():
        found = re.search(r"^__version__ = ['\"]([^'\"]+)", (folder / "version.py").read_text(encoding="utf-8"), re.M)
        if found:
            return found.group(1)
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe(environment: Mapping[str, Any]) -> str:
    """One line: ``torch 2.14.1, AVX2, 2 threads (BLAS 2), MKL_CBWR=AVX2, … on AMD EPYC``."""
    keys = [f"{k}={environment.get(k) or 'unset'}" for k in sorted(PINNED)]
    return (f"torch {environment.get('torch')}, {environment.get('cpu_capability')}, "
            f"{environment.get('threads')} threads (BLAS {environment.get('blas_threads', 'unset')}), "
            f"{', '.join(keys)} on {environment.get('cpu')}")
