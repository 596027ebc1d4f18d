"""ember's fuzzers from the command line (see python/tests/fuzz/runner.py).

    python tools/fuzz.py ops --seed 1 --iterations 20000
    python tools/fuzz.py graph --seed 1 --case 17      # one case, with its repro
    python tools/fuzz.py torch-ops --seed 1 --iterations 5000   # against PyTorch (torch-graph too)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python",
                                "tests"))

if __name__ == "__main__":
    from fuzz.runner import main
    sys.exit(main())
