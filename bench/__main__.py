"""Run every benchmark and print a markdown table (``make bench``).

Each benchmark module exposes ``run() -> list[dict]`` (one dict per table row; a row whose
``ok`` or ``meets_target`` is False makes the exit code 1). Timings are medians or stated
percentiles from one run on this machine; compare ratios, not absolute numbers, across machines.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time

MODULES = ("bench.bench_normalize", "bench.bench_shortlist", "bench.bench_pages")


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=[m.split(".")[-1] for m in MODULES], action="append")
    args = parser.parse_args(argv)
    tables: list[tuple[str, list[dict[str, object]]]] = []
    started = time.perf_counter()
    for name in MODULES:
        if args.only and name.split(".")[-1] not in args.only:
            continue
        module = importlib.import_module(name)
        print(f"running {name} ...", file=sys.stderr, flush=True)
        tables.append((name, list(module.run())))
    print(
        f"\nsrmatch benchmarks on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.perf_counter() - started:.0f} s in all\n"
    )
    failed = 0
    for name, module_rows in tables:
        columns: list[str] = []
        for r in module_rows:
            columns += [k for k in r if k not in columns]
        print(f"### {name.split('.')[-1]}\n")
        print("| " + " | ".join(columns) + " |")
        print("|" + "---|" * len(columns))
        for r in module_rows:
            print("| " + " | ".join(_fmt(r.get(c, "")) for c in columns) + " |")
            failed += r.get("ok") is False or r.get("meets_target") is False
        print()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
