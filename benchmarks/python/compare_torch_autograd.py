"""ember's autograd against PyTorch's from Python, measured in one process run.

The autograd cases of PERFORMANCE.md's budget table (results in bench/RESULTS_autograd.md):
  - a tiny op recorded by autograd (x + y, 1-element tensors, x requiring grad), µs per op;
  - a 4-op graph, forward + backward: ((a * b + c).tanh().sum()).backward(), µs per graph;
  - the seed two-layer net trained with autograd (N=64, 1000->100->10), µs per step;
  - an LSTM cell written from ops (batch 1, input 128, hidden 128), forward + backward through a
    20-token sequence per step, µs per token;
  - a binary Tree-LSTM (hidden 64) over random binary trees of 15-31 nodes, forward + backward
    per tree, µs per node.
Each case runs for ember and, when `import torch` works, for PyTorch in the same interpreter; the
table gives both figures, torch/ember (> 1: ember is faster) and ember's budget. Each figure is
the median of repeats timed with time.perf_counter after warm-up; every repeat runs the case
enough times to last --repeat-seconds. One thread by default (set_num_threads in both libraries,
OpenBLAS's own pool too): two-thread figures collapse whenever anything else runs on 2 vCPUs.
A benchmark, never a test: nothing here asserts a time. Without torch the torch column is "n/a".

Run both libraries in one interpreter (ember's extension is built for CPython 3.11):
    /usr/bin/python3 -m venv --system-site-packages .venv-bench
    PYTHONPATH=python .venv-bench/bin/python benchmarks/python/compare_torch_autograd.py
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
import timeit

from bench_support import batch_size, import_library, set_blas_threads, table_row


class Case:
    """One benchmark. `setup(lib)` returns (step, units): step() runs one iteration, which covers
    `units` of the case's unit (1 op, 1 graph, 1 training step, 20 tokens, n tree nodes)."""

    def __init__(self, name, unit, setup, budget=None, note=""):
        self.name, self.unit, self.setup, self.budget, self.note = name, unit, setup, budget, note


# ------------------------------------------------------------------ (a) tiny op with autograd


def tiny_add(requires_grad, no_grad=False):
    def setup(lib):
        x = lib.ones(1, requires_grad=requires_grad)
        y = lib.ones(1)
        if no_grad:

            def step():
                with lib.no_grad():
                    return x + y

            return step, 1
        return (lambda: x + y), 1

    return setup


# ------------------------------------------------------------------ (b) 4-op graph


def four_op_graph(shape):
    def setup(lib):
        a = lib.randn(*shape, requires_grad=True)
        b = lib.randn(*shape, requires_grad=True)
        c = lib.randn(*shape)

        def step():
            ((a * b + c).tanh().sum()).backward()
            a.grad = None  # no accumulation from call to call: each graph starts alike
            b.grad = None

        return step, 1

    return setup


# ------------------------------------------------------------------ (c) seed net, autograd


def seed_autograd(lib):
    """The seed's two_layer_autograd step: loss, backward, SGD update under no_grad, zero grads."""
    n, d_in, hidden, d_out = 64, 1000, 100, 10
    x = lib.randn(n, d_in)
    y = lib.randn(n, d_out)
    w1 = lib.randn(d_in, hidden, requires_grad=True)
    w2 = lib.randn(hidden, d_out, requires_grad=True)
    learning_rate = 1e-6
    # The seed starts with undefined grads; give them a value so .zero_() works from step one.
    w1.grad = lib.zeros(d_in, hidden)
    w2.grad = lib.zeros(hidden, d_out)

    def step():
        nonlocal w1, w2
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with lib.no_grad():
            w1 -= learning_rate * w1.grad
            w2 -= learning_rate * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()

    return step, 1


# ------------------------------------------------------------------ (d) LSTM cell from ops

LSTM_TOKENS = 20


def lstm_sequence(hid):
    """An LSTM cell from mm, sigmoid, tanh and elementwise ops (the gates of torch.nn.LSTMCell:
    one mm per operand into 4*hidden columns, then narrow), input = hidden = `hid`, batch 1, run
    over 20 tokens; the loss reads every hidden state through a linear readout (a tagger's
    shape), then one backward through the whole sequence."""
    def setup(lib):
        return lstm_step(lib, hid)

    return setup


def lstm_step(lib, hid):
    scale = hid**-0.5
    w_ih = (lib.randn(hid, 4 * hid) * scale).requires_grad_()
    w_hh = (lib.randn(hid, 4 * hid) * scale).requires_grad_()
    bias = lib.zeros(1, 4 * hid, requires_grad=True)
    w_out = (lib.randn(hid, 1) * scale).requires_grad_()
    params = [w_ih, w_hh, bias, w_out]
    tokens = [lib.randn(1, hid) for _ in range(LSTM_TOKENS)]

    def step():
        h = lib.zeros(1, hid)
        c = lib.zeros(1, hid)
        loss = None
        for x in tokens:
            gates = x.mm(w_ih) + h.mm(w_hh) + bias
            i = gates.narrow(1, 0, hid).sigmoid()
            f = gates.narrow(1, hid, hid).sigmoid()
            g = gates.narrow(1, 2 * hid, hid).tanh()
            o = gates.narrow(1, 3 * hid, hid).sigmoid()
            c = f * c + i * g
            h = o * c.tanh()
            score = h.mm(w_out).sum()
            loss = score if loss is None else loss + score
        loss.backward()
        for param in params:
            param.grad = None

    return step, LSTM_TOKENS


# ------------------------------------------------------------------ (e) Tree-LSTM

TREE_HIDDEN, TREE_COUNT = 64, 64


def random_tree(rng, leaves):
    """A random binary tree shape with `leaves` leaves (2 * leaves - 1 nodes): None is a leaf."""
    if leaves == 1:
        return None
    left = rng.randint(1, leaves - 1)
    return (random_tree(rng, left), random_tree(rng, leaves - left))


def count_nodes(tree):
    return 1 if tree is None else 1 + count_nodes(tree[0]) + count_nodes(tree[1])


def tree_lstm(lib):
    """A binary (N-ary, N = 2) Tree-LSTM (Tai et al. 2015): a leaf reads its input vector, an
    inner node its two children's (h, c) with a forget gate per child. The loss is the root's
    h through a linear readout; each step runs forward + backward over one of 64 fixed random
    trees of 8-16 leaves (15-31 nodes), cycling, so the graph's shape changes every step."""
    hid = TREE_HIDDEN
    scale = hid**-0.5
    w_leaf = (lib.randn(hid, 3 * hid) * scale).requires_grad_()  # i, o, u
    b_leaf = lib.zeros(1, 3 * hid, requires_grad=True)
    u_left = (lib.randn(hid, 5 * hid) * scale).requires_grad_()  # i, f_left, f_right, o, u
    u_right = (lib.randn(hid, 5 * hid) * scale).requires_grad_()
    b_node = lib.zeros(1, 5 * hid, requires_grad=True)
    w_out = (lib.randn(hid, 1) * scale).requires_grad_()
    params = [w_leaf, b_leaf, u_left, u_right, b_node, w_out]

    rng = random.Random(0)
    trees = [random_tree(rng, rng.randint(8, 16)) for _ in range(TREE_COUNT)]
    nodes = sum(count_nodes(tree) for tree in trees)
    # Each tree carries fresh leaf inputs (embeddings looked up by the data loader, no grad).
    inputs = [[lib.randn(1, hid) for _ in range((count_nodes(tree) + 1) // 2)] for tree in trees]

    def encode(tree, leaf_inputs):
        if tree is None:
            gates = leaf_inputs.pop().mm(w_leaf) + b_leaf
            i = gates.narrow(1, 0, hid).sigmoid()
            o = gates.narrow(1, hid, hid).sigmoid()
            u = gates.narrow(1, 2 * hid, hid).tanh()
            c = i * u
            return o * c.tanh(), c
        h_left, c_left = encode(tree[0], leaf_inputs)
        h_right, c_right = encode(tree[1], leaf_inputs)
        gates = h_left.mm(u_left) + h_right.mm(u_right) + b_node
        i = gates.narrow(1, 0, hid).sigmoid()
        f_left = gates.narrow(1, hid, hid).sigmoid()
        f_right = gates.narrow(1, 2 * hid, hid).sigmoid()
        o = gates.narrow(1, 3 * hid, hid).sigmoid()
        u = gates.narrow(1, 4 * hid, hid).tanh()
        c = i * u + f_left * c_left + f_right * c_right
        return o * c.tanh(), c

    def step():
        # One call runs every tree once, so each repeat covers the same 64 shapes.
        for tree, tree_inputs in zip(trees, inputs):
            h, _ = encode(tree, list(tree_inputs))
            h.mm(w_out).sum().backward()
            for param in params:
                param.grad = None

    return step, nodes


def make_cases():
    return [
        Case("x + y, 1-element, x requires grad (recorded)", "us/op", tiny_add(True), budget=0.8),
        Case("x + y, 1-element, no tensor requires grad", "us/op", tiny_add(False), budget=0.5,
             note="reference: the untracked op"),
        Case("x + y, 1-element, x requires grad, under no_grad()", "us/op",
             tiny_add(True, no_grad=True), note="reference: includes entering no_grad"),
        Case("4-op graph fwd+bwd, 1 element: ((a*b+c).tanh().sum()).backward()", "us",
             four_op_graph((1,)), budget=6),
        Case("4-op graph fwd+bwd, 16x16", "us", four_op_graph((16, 16)), budget=6),
        Case("seed two-layer net, autograd (N=64, 1000-100-10)", "us/step", seed_autograd,
             budget=260),
        Case(f"LSTM cell from ops, batch 1, input = hidden = 128, {LSTM_TOKENS} tokens fwd+bwd",
             "us/token", lstm_sequence(128), budget=45),
        Case(f"LSTM cell from ops, batch 1, input = hidden = 16, {LSTM_TOKENS} tokens fwd+bwd",
             "us/token", lstm_sequence(16), note="reference: per-op overhead only"),
        Case(f"Tree-LSTM, hidden {TREE_HIDDEN}, random trees of 15-31 nodes, fwd+bwd",
             "us/node", tree_lstm, budget=35),
    ]


# ------------------------------------------------------------------ measurement and report


def measure(step, repeats, repeat_seconds):
    """Median seconds per step() over `repeats` timed batches after ~0.1 s of warm-up, and the
    spread of the repeats (max - min) / median."""
    timer = timeit.Timer(step, timer=time.perf_counter)
    number = batch_size(timer, repeat_seconds)
    times = [timer.timeit(number) / number for _ in range(repeats)]
    median = statistics.median(times)
    return median, (max(times) - min(times)) / median


def run_case(case, lib, repeats, repeat_seconds):
    """(µs per unit, spread), or (None, reason) when the library cannot run the case."""
    try:
        step, units = case.setup(lib)
        step()  # does the library support it at all?
        seconds, spread = measure(step, repeats, repeat_seconds)
    except Exception as error:  # noqa: BLE001 - an unsupported case is reported, not fatal
        message = str(error).splitlines()[0] if str(error) else ""
        print(f"  {case.name}: {lib.__name__} cannot run it: {message}", file=sys.stderr)
        return None, type(error).__name__
    return seconds * 1e6 / units, spread


def budget_status(case, figure):
    if case.budget is None:
        return ""
    if figure is None:
        return f"<= {case.budget:g}: not measured"
    if figure <= case.budget:
        return f"<= {case.budget:g}: met"
    return f"<= {case.budget:g}: missed ({figure / case.budget:.2f}x over)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--repeat-seconds", type=float, default=0.3,
                        help="minimum duration of each timed repeat")
    parser.add_argument("--cases", default="", help="run only cases whose name contains this")
    parser.add_argument("--no-torch", action="store_true", help="ember only")
    parser.add_argument("--markdown", help="also write the table as markdown to this file")
    args = parser.parse_args()

    ember, ember_error = import_library("ember")
    if ember is None:
        sys.exit(f"ember does not import ({ember_error}); set PYTHONPATH to ember's python/")
    torch, torch_error = (None, "--no-torch") if args.no_torch else import_library("torch")

    for lib in (ember, torch):
        if lib is not None:
            lib.manual_seed(0)
            lib.set_num_threads(args.threads)
    blas = set_blas_threads(args.threads) if torch is not None else None
    header = [
        f"date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"python: {platform.python_version()} ({sys.executable})",
        f"ember: {getattr(ember, '__version__', '?')}",
        f"torch: {getattr(torch, '__version__', torch_error)}",
        f"threads: {args.threads} (OpenBLAS pool: {blas if blas is not None else 'not loaded'})",
        f"load average at start: {os.getloadavg()[0]:.2f}",
    ]
    print("\n".join(header), flush=True)

    columns = ["case", "unit", "ember", "torch", "torch/ember", "budget (ember)"]
    rows = []
    for case in make_cases():
        if args.cases not in case.name:
            continue
        ember_figure, ember_spread = run_case(case, ember, args.repeats, args.repeat_seconds)
        torch_figure, torch_spread = (
            run_case(case, torch, args.repeats, args.repeat_seconds) if torch else (None, ""))
        ratio = (torch_figure / ember_figure
                 if ember_figure is not None and torch_figure is not None else None)
        row = table_row(case, (ember_figure, ember_spread), (torch_figure, torch_spread), ratio,
                        budget_status(case, ember_figure))
        rows.append(row)
        print(" | ".join(row), flush=True)
    footer = f"load average at end: {os.getloadavg()[0]:.2f}"
    print(footer)

    table = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    print("\n" + "\n".join(table))
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write("\n".join(f"- {line}" for line in header + [footer]) + "\n\n")
            out.write("\n".join(table) + "\n")
        print(f"wrote {args.markdown}")


if __name__ == "__main__":
    main()
