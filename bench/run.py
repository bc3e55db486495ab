"""Run every benchmark (`bench/bench_*.py`) or those named: `python bench/run.py [name ...]`.

Benchmarks use their own database under $CATALYSE_DATA_DIR/bench (SQLite) unless DATABASE_URL is set,
so they never touch the development data.
"""

import importlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parent))
    data_dir = Path(os.environ.get("CATALYSE_DATA_DIR", HERE.parent / "var")) / "bench"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CATALYSE_DATA_DIR"] = str(data_dir)
    wanted = set(sys.argv[1:])
    failures = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"=== {name}", flush=True)
        # Imported by name (bench/ is on the path): a benchmark's client processes find its functions by it.
        module = importlib.import_module(path.stem)
        try:
            module.main()
        except Exception as exc:  # one failing benchmark must not hide the others' numbers
            failures += 1
            print(f"!!! {name} failed: {exc!r:.500}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
