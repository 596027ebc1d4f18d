"""ember's fuzzers in CI (issue 6; RELIABILITY B9-B17, T2, T4, T7): a bounded run with a fixed
seed of the op-call fuzzer (op_db entries on random shapes, dtypes, layouts and extremal values
vs their numpy references) and of the autograd-graph fuzzer (random graphs vs finite
differences). Each batch runs in a subprocess, so a crash or a hang fails the test with the
case's seed and number; `python tools/fuzz.py {ops,graph} --seed S --case I` replays it. Known
defects are skipped by name (fuzz/known.py) until their fixes land.
"""
from fuzz.runner import fuzz

SEED = 6  # issue 6
# Sized for about 60 s together on two cores; the budget stops a slow machine early.
OPS_ITERATIONS, OPS_BUDGET = 3000, 35.0
GRAPH_ITERATIONS, GRAPH_BUDGET = 300, 25.0


def test_op_call_fuzzer():
    report = fuzz("ops", SEED, OPS_ITERATIONS, batch=500, timeout=60.0, budget=OPS_BUDGET)
    print(report.summary())
    assert report.run > 0
    assert not report.failures, report.summary()


def test_autograd_graph_fuzzer():
    report = fuzz("graph", SEED, GRAPH_ITERATIONS, batch=100, timeout=60.0, budget=GRAPH_BUDGET)
    print(report.summary())
    assert report.run > 0
    assert not report.failures, report.summary()


def test_runner_reports_crashes_and_hangs_and_goes_on():
    report = fuzz("selftest", 0, 8, batch=8, timeout=10.0)
    outcomes = {failure["index"]: failure["status"] for failure in report.failures}
    assert outcomes == {3: "crash", 5: "hang"}
    assert "SIGSEGV" in report.failures[0]["detail"]
    assert report.counts["ok"] == 6
