"""The recurrent layers beside PyTorch: nn.LSTM (2 layers, input and hidden 256, sequence 35,
batch 20) forward + backward, and a tagger written with nn.LSTMCell run one sentence at a time
(batch 1, embedding 64, hidden 128, 3 tags, 20 tokens, forward + backward), in microseconds per
token, and the Tree-LSTM of examples/python/tree_lstm.py (hidden 64) over random trees, in
microseconds per node. ember and PyTorch calls are interleaved and each figure is the best of
many repeats, so that a loaded machine disturbs both alike. Prints a markdown table and
ember / torch time ratios (below 1: ember faster).

    PYTHONPATH=<ember>:benchmarks/python /usr/bin/python3 benchmarks/python/bench_rnn.py \
        [--repeats 20] [--threads 1]

A benchmark, never a test: nothing here asserts a time.
"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import repeats_threads_and_libraries, set_blas_threads

LAYERS, HIDDEN, SEQUENCE, BATCH = 2, 256, 35, 20
EMBEDDING, CELL_HIDDEN, TAGS, TOKENS = 64, 128, 3, 20
TREE_HIDDEN = 64


def lstm_case(lib, seed_weights):
    lstm = lib.nn.LSTM(HIDDEN, HIDDEN, num_layers=LAYERS)
    with lib.no_grad():
        for parameter, values in zip(lstm.parameters(), seed_weights(lstm)):
            parameter.copy_(lib.from_numpy(values))
    x = lib.from_numpy(np.random.default_rng(1).standard_normal(
        (SEQUENCE, BATCH, HIDDEN)).astype(np.float32))

    def step():
        lstm.zero_grad()
        output, (h, c) = lstm(x)
        (output.sum() + h.sum() + c.sum()).backward()
    return step


def tagger_case(lib, seed_weights):
    embedding = lib.nn.Embedding(50, EMBEDDING)
    cell = lib.nn.LSTMCell(EMBEDDING, CELL_HIDDEN)
    out = lib.nn.Linear(CELL_HIDDEN, TAGS)
    parameters = [*embedding.parameters(), *cell.parameters(), *out.parameters()]
    words = lib.from_numpy(np.random.default_rng(2).integers(0, 50, TOKENS).astype(np.int64))
    tags = lib.from_numpy(np.random.default_rng(3).integers(0, TAGS, TOKENS).astype(np.int64))

    def step():
        for parameter in parameters:
            parameter.grad = None
        vectors = embedding(words)
        state = None
        scores = []
        for t in range(TOKENS):  # one token at a time: a new graph per sentence
            state = cell(vectors[t:t + 1], state)
            scores.append(out(state[0]))
        lib.nn.functional.cross_entropy(lib.cat(scores), tags).backward()
    return step


def random_tree(rng, depth=0):
    if depth >= 5 or (depth > 0 and rng.random() < 0.3):
        return float(rng.uniform(-1, 1))
    return (random_tree(rng, depth + 1), random_tree(rng, depth + 1))


def node_count(tree):
    return 1 if isinstance(tree, float) else 1 + node_count(tree[0]) + node_count(tree[1])


TREES = [random_tree(np.random.default_rng(seed)) for seed in range(8)]
NODES = sum(node_count(tree) for tree in TREES)


def tree_lstm_case(lib, seed_weights):
    """examples/python/tree_lstm.py's model: leaves through LSTMCell, inner nodes gated from
    their children's (h, c); one tree per graph."""
    leaf = lib.nn.LSTMCell(1, TREE_HIDDEN)
    gates = lib.nn.Linear(2 * TREE_HIDDEN, 5 * TREE_HIDDEN)
    parameters = [*leaf.parameters(), *gates.parameters()]

    def encode(tree):
        if isinstance(tree, float):
            return leaf(lib.tensor([[tree]]))
        (h_l, c_l), (h_r, c_r) = encode(tree[0]), encode(tree[1])
        i, f_l, f_r, o, u = gates(lib.cat([h_l, h_r], dim=1)).chunk(5, dim=1)
        c = lib.sigmoid(i) * lib.tanh(u) + lib.sigmoid(f_l) * c_l + lib.sigmoid(f_r) * c_r
        return lib.sigmoid(o) * lib.tanh(c), c

    def step():
        for parameter in parameters:
            parameter.grad = None
        for tree in TREES:
            encode(tree)[0].sum().backward()
    return step


def same_weights(module):
    rng = np.random.default_rng(0)
    return [rng.uniform(-0.06, 0.06, tuple(p.shape)).astype(np.float32)
            for p in module.parameters()]


CASES = [(f"nn.LSTM {LAYERS}x{HIDDEN}, seq {SEQUENCE}, batch {BATCH}, fwd+bwd", "ms", 1e3,
          lstm_case),
         (f"LSTMCell tagger, batch 1, {TOKENS} tokens, fwd+bwd", "us/token", 1e6 / TOKENS,
          tagger_case),
         (f"Tree-LSTM, hidden {TREE_HIDDEN}, 8 random trees ({NODES} nodes), fwd+bwd",
          "us/node", 1e6 / NODES, tree_lstm_case)]


def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main():
    args, ember, torch = repeats_threads_and_libraries(__doc__.splitlines()[0])
    print("| case | threads | unit | ember | torch | ember/torch |")
    print("|---|---|---|---|---|---|")
    for threads in args.threads:
        ember.set_num_threads(threads)
        torch.set_num_threads(threads)
        set_blas_threads(threads)
        for name, unit, scale, make in CASES:
            run_ember, run_torch = make(ember, same_weights), make(torch, same_weights)
            run_ember(), run_torch()  # warm-up: allocator pools, lazy initialisation
            ember_best = torch_best = float("inf")
            for _ in range(args.repeats):  # interleaved: both see the same machine load
                ember_best = min(ember_best, timed(run_ember))
                torch_best = min(torch_best, timed(run_torch))
            print(f"| {name} | {threads} | {unit} | {ember_best * scale:.1f} | "
                  f"{torch_best * scale:.1f} | {ember_best / torch_best:.2f} |")


if __name__ == "__main__":
    main()
