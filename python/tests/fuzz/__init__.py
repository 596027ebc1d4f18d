"""ember's own fuzzers (RELIABILITY B9-B17, T2, T4, T7; issue 6).

opcall: random calls of the op_db entries (random shapes including 0-size, 0-d and 6-D, every
dtype, contiguous / transposed / stepped / expanded layouts, extremal values) checked against the
op_db numpy references. graph: random autograd graphs (views, in-place ops on non-leaves, reused
intermediates, broadcasting) checked with gradcheck in float64. runner: batches of cases in
subprocesses, so that a crash or a hang is reported with its seed and case number instead of
taking the run down. known: the defects already filed, skipped until their fixes land.
torch_diff: the same cases run on ember and PyTorch side by side (not in CI).

Every case is a pure function of (seed, index): `python tools/fuzz.py ops --seed S --case I`
replays one case and prints a standalone repro.
"""
