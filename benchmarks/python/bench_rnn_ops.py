"""The recurrent ops beside PyTorch's (torch.lstm, torch.lstm_cell: what nn.LSTM and nn.LSTMCell
call): the full-sequence lstm of issue 11's target (2 layers, hidden 256, input 256, seq 35,
batch 20, float32) forward and forward + backward, and an LSTM cell at batch 1 run token by token
over a 32-token sentence (input 128, hidden 256) with backward through all of it, as a tagger
written with LSTMCell does (µs per token); then the same forward + backward for gru and rnn_tanh
(layers) and gru_cell. ember and PyTorch calls are interleaved and each figure
is the best of many repeats. Prints a markdown table (ember / torch below 1: ember faster).

    python benchmarks/python/bench_rnn_ops.py [--repeats 20] [--threads 1]

Run it from outside the repository so that `import ember` finds the installed package. A
benchmark, never a test: nothing here asserts a time.
"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import repeats_threads_and_libraries, set_blas_threads

LAYERS, HIDDEN, INPUT, STEPS, BATCH = 2, 256, 256, 35, 20
CELL_INPUT, CELL_HIDDEN, TOKENS = 128, 256, 32


def make_layer_arguments(lib, rng, gates):
    def tensor(*shape, grad=True):
        t = lib.from_numpy(rng.uniform(-0.06, 0.06, shape).astype(np.float32))
        return t.requires_grad_() if grad else t

    params = []
    for layer in range(LAYERS):
        params += [tensor(gates * HIDDEN, INPUT if layer == 0 else HIDDEN),
                   tensor(gates * HIDDEN, HIDDEN), tensor(gates * HIDDEN), tensor(gates * HIDDEN)]
    x = tensor(STEPS, BATCH, INPUT, grad=False)
    hx = [tensor(LAYERS, BATCH, HIDDEN, grad=False), tensor(LAYERS, BATCH, HIDDEN, grad=False)]
    return x, hx, params


def make_lstm_arguments(lib, rng):
    return make_layer_arguments(lib, rng, 4)


def make_gru_arguments(lib, rng):
    x, hx, params = make_layer_arguments(lib, rng, 3)
    return "gru", x, hx[0], params


def make_rnn_tanh_arguments(lib, rng):
    x, hx, params = make_layer_arguments(lib, rng, 1)
    return "rnn_tanh", x, hx[0], params


def lstm_forward(lib, x, hx, params):
    with lib.no_grad():
        lib.lstm(x, hx, params, True, LAYERS, 0.0, False, False, False)


def lstm_forward_backward(lib, x, hx, params):
    for p in params:
        p.grad = None
    output = lib.lstm(x, hx, params, True, LAYERS, 0.0, True, False, False)[0]
    output.sum().backward()


def single_state_forward_backward(lib, op, x, hx, params):
    for p in params:
        p.grad = None
    output = getattr(lib, op)(x, hx, params, True, LAYERS, 0.0, True, False, False)[0]
    output.sum().backward()


def make_cell_arguments(lib, rng, gates=4):
    def tensor(*shape, grad=True):
        t = lib.from_numpy(rng.uniform(-0.06, 0.06, shape).astype(np.float32))
        return t.requires_grad_() if grad else t

    weights = [tensor(gates * CELL_HIDDEN, CELL_INPUT), tensor(gates * CELL_HIDDEN, CELL_HIDDEN),
               tensor(gates * CELL_HIDDEN), tensor(gates * CELL_HIDDEN)]
    tokens = [tensor(1, CELL_INPUT, grad=False) for _ in range(TOKENS)]
    state = (tensor(1, CELL_HIDDEN, grad=False), tensor(1, CELL_HIDDEN, grad=False))
    return tokens, state, weights


def cell_forward_backward(lib, tokens, state, weights):
    for w in weights:
        w.grad = None
    h, c = state
    total = None
    for token in tokens:
        h, c = lib.lstm_cell(token, (h, c), *weights)
        total = h.sum() if total is None else total + h.sum()
    total.backward()


def make_gru_cell_arguments(lib, rng):
    return make_cell_arguments(lib, rng, 3)


def gru_cell_forward_backward(lib, tokens, state, weights):
    for w in weights:
        w.grad = None
    h = state[0]
    total = None
    for token in tokens:
        h = lib.gru_cell(token, h, *weights)
        total = h.sum() if total is None else total + h.sum()
    total.backward()


CASES = [
    ("lstm forward (2x256, seq 35, batch 20)", "ms", 1e3, make_lstm_arguments, lstm_forward),
    ("lstm forward+backward (2x256, seq 35, batch 20)", "ms", 1e3, make_lstm_arguments,
     lstm_forward_backward),
    ("lstm_cell batch 1 forward+backward, per token", "µs", 1e6 / TOKENS, make_cell_arguments,
     cell_forward_backward),
    ("gru forward+backward (2x256, seq 35, batch 20)", "ms", 1e3, make_gru_arguments,
     single_state_forward_backward),
    ("rnn_tanh forward+backward (2x256, seq 35, batch 20)", "ms", 1e3, make_rnn_tanh_arguments,
     single_state_forward_backward),
    ("gru_cell batch 1 forward+backward, per token", "µs", 1e6 / TOKENS,
     make_gru_cell_arguments, gru_cell_forward_backward),
]


def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main():
    args, ember, torch = repeats_threads_and_libraries(__doc__.splitlines()[0])
    print("| case | threads | ember | torch | unit | ember/torch |")
    print("|---|---|---|---|---|---|")
    for threads in args.threads:
        ember.set_num_threads(threads)
        torch.set_num_threads(threads)
        set_blas_threads(threads)
        for name, unit, scale, make, call in CASES:
            ember_args = make(ember, np.random.default_rng(0))
            torch_args = make(torch, np.random.default_rng(0))
            run_ember = lambda call=call, a=ember_args: call(ember, *a)  # noqa: E731
            run_torch = lambda call=call, a=torch_args: call(torch, *a)  # noqa: E731
            for _ in range(3):  # warm-up: allocator pools, lazy initialisation
                run_ember(), run_torch()
            ember_best = torch_best = float("inf")
            for _ in range(args.repeats):  # interleaved: both see the same machine load
                ember_best = min(ember_best, timed(run_ember))
                torch_best = min(torch_best, timed(run_torch))
            print(f"| {name} | {threads} | {ember_best * scale:.1f} | {torch_best * scale:.1f} "
                  f"| {unit} | {ember_best / torch_best:.2f} |", flush=True)


if __name__ == "__main__":
    main()
