"""ember's fuzzers in CI (issue 6; RELIABILITY B9-B17, T2, T4, T7): a bounded run with a fixed
seed of the op-call fuzzer (op_db entries on random shapes, dtypes, layouts and extremal values
vs their numpy references), the indexing fuzzer (random keys for getitem / setitem /
index_select vs numpy) and the autograd-graph fuzzer (random graphs vs finite differences).
Each batch runs in a subprocess, so a crash or a hang fails the test with the case's seed and
number; `python tools/fuzz.py {ops,index,graph} --seed S --case I` replays it. Known defects
are skipped by name (fuzz/known.py) until their fixes land.
"""
import pytest
from fuzz.runner import fuzz

SEED = 6  # issue 6
# (iterations, batch, seconds): about 60 s in all on two cores; the budget stops a slow machine
# early, so the cases run are always a prefix of the same sequence.
BUDGETS = {"ops": (16000, 4000, 25.0), "index": (12000, 4000, 10.0), "graph": (5000, 1000, 20.0)}


@pytest.mark.parametrize("kind", sorted(BUDGETS))
def test_fuzzer(kind):
    iterations, batch, seconds = BUDGETS[kind]
    report = fuzz(kind, SEED, iterations, batch=batch, timeout=120.0, budget=seconds)
    print(report.summary())
    assert report.run > 0
    assert not report.failures, report.summary()


def test_runner_reports_crashes_and_hangs_and_goes_on():
    report = fuzz("selftest", 0, 8, batch=8, timeout=5.0)
    outcomes = {failure["index"]: failure["status"] for failure in report.failures}
    assert outcomes == {3: "crash", 5: "hang"}
    assert "SIGSEGV" in report.failures[0]["detail"]
    assert report.counts["ok"] == 6
