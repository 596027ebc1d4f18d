"""Small Transformer language-model training step beside PyTorch (issue 11's target: >= 1.1x
PyTorch's steps/s at 1 thread): token and position embeddings, 4 TransformerEncoderLayers
(d_model 128, 4 heads, feed-forward 512, post-norm, dropout 0) run with a causal mask, a Linear
head over a 64-symbol vocabulary; one step is forward, cross-entropy, backward and Adam on a
batch of 16 sequences of 64 tokens. The same network and initial weights in both libraries;
steps are interleaved and each figure is the best of many repeats. Prints a markdown table of
steps/s and the ember / torch ratio of throughputs (above 1: ember faster).

    python benchmarks/python/bench_transformer.py [--repeats 20] [--threads 1]

Run it from outside the repository so that `import ember` finds the installed package. A
benchmark, never a test: nothing here asserts a time.
"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import repeats_threads_and_libraries, set_blas_threads

VOCAB, D_MODEL, HEADS, LAYERS, SEQ, BATCH = 64, 128, 4, 4, 64, 16


def language_model(lib):
    nn = lib.nn

    class LanguageModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.token = nn.Embedding(VOCAB, D_MODEL)
            self.position = nn.Embedding(SEQ, D_MODEL)
            layer = nn.TransformerEncoderLayer(D_MODEL, HEADS, 4 * D_MODEL, dropout=0.0,
                                               batch_first=True)
            self.blocks = nn.TransformerEncoder(layer, LAYERS, enable_nested_tensor=False)
            self.head = nn.Linear(D_MODEL, VOCAB)
            self.register_buffer("positions", lib.arange(SEQ))
            self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(SEQ))

        def forward(self, tokens):
            x = self.token(tokens) + self.position(self.positions)
            return self.head(self.blocks(x, mask=self.mask))

    return LanguageModel()


def copy_weights(source, target, torch):
    """The ember model's initial weights into the torch one (the same names in both)."""
    with torch.no_grad():
        for name, value in source.state_dict().items():
            target.state_dict()[name].copy_(torch.from_numpy(value.numpy().copy()))


def step(lib, model, optimizer, tokens, targets):
    logits = model(tokens)
    loss = lib.nn.functional.cross_entropy(logits.reshape(-1, VOCAB), targets.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss


def main():
    args, ember, torch = repeats_threads_and_libraries(__doc__.splitlines()[0])
    rng = np.random.default_rng(0)
    tokens = rng.integers(0, VOCAB, (BATCH, SEQ)).astype(np.int64)
    targets = np.roll(tokens, -1, axis=1)
    ember.manual_seed(0)
    ember_model, torch_model = language_model(ember), language_model(torch)
    copy_weights(ember_model, torch_model, torch)
    ember_args = (ember_model, ember.optim.Adam(ember_model.parameters(), lr=1e-3),
                  ember.from_numpy(tokens), ember.from_numpy(targets))
    torch_args = (torch_model, torch.optim.Adam(torch_model.parameters(), lr=1e-3),
                  torch.from_numpy(tokens), torch.from_numpy(targets))
    first_ember = step(ember, *ember_args).item()
    first_torch = step(torch, *torch_args).item()
    print(f"first-step loss: ember {first_ember:.5f}, torch {first_torch:.5f}")
    print("| case | threads | ember steps/s | torch steps/s | ember/torch throughput |")
    print("|---|---|---|---|---|")
    for threads in args.threads:
        ember.set_num_threads(threads)
        torch.set_num_threads(threads)
        set_blas_threads(threads)
        step(ember, *ember_args), step(torch, *torch_args)  # warm-up
        ember_best = torch_best = float("inf")
        for _ in range(args.repeats):  # interleaved: both see the same machine load
            start = time.perf_counter()
            step(ember, *ember_args)
            ember_best = min(ember_best, time.perf_counter() - start)
            start = time.perf_counter()
            step(torch, *torch_args)
            torch_best = min(torch_best, time.perf_counter() - start)
        print(f"| Transformer LM train step ({LAYERS} layers, d_model {D_MODEL}, {HEADS} heads, "
              f"seq {SEQ}, batch {BATCH}, Adam) | {threads} | {1 / ember_best:.1f} | "
              f"{1 / torch_best:.1f} | {torch_best / ember_best:.2f} |")


if __name__ == "__main__":
    main()
