"""A small decoder-only Transformer that learns the characters of a public-domain paragraph.

Token and learned position embeddings feed a stack of nn.TransformerEncoderLayer blocks run with a
causal mask (nn.Transformer.generate_square_subsequent_mask: position i sees positions <= i), so
the stack is a decoder-only language model; a final LayerNorm and a Linear head predict the next
character. It trains with Adam on random windows of examples/data/public_domain_text.txt, then
samples text from a prompt one character at a time.
"""
import math
import pathlib

import numpy as np

import ember
from ember import nn

TEXT = pathlib.Path(__file__).resolve().parents[1] / "data" / "public_domain_text.txt"


class CharTransformer(nn.Module):
    def __init__(self, vocab, d_model=64, nhead=4, num_layers=2, context=64):
        super().__init__()
        self.context = context
        self.token = nn.Embedding(vocab, d_model)
        self.position = nn.Embedding(context, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model,
                                           dropout=0.0, batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, num_layers)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, tokens):
        """tokens (N, T) int64 -> next-character logits (N, T, vocab)."""
        length = tokens.shape[1]
        x = self.token(tokens) + self.position(ember.arange(length))
        mask = nn.Transformer.generate_square_subsequent_mask(length)
        return self.head(self.norm(self.blocks(x, mask=mask, is_causal=True)))


def load_text():
    text = TEXT.read_text(encoding="utf-8")
    chars = sorted(set(text))
    encoded = np.array([chars.index(c) for c in text], dtype=np.int64)
    return text, chars, encoded


def batch(encoded, rng, batch_size, length):
    """Random windows: inputs (N, T) and their next characters (N, T)."""
    starts = rng.integers(0, len(encoded) - length - 1, batch_size)
    windows = np.stack([encoded[s:s + length + 1] for s in starts])
    return ember.from_numpy(windows[:, :-1].copy()), ember.from_numpy(windows[:, 1:].copy())


def sample(model, chars, prompt, count):
    """Greedy continuation of prompt by count characters."""
    tokens = [chars.index(c) for c in prompt]
    model.eval()
    with ember.no_grad():
        for _ in range(count):
            window = ember.tensor([tokens[-model.context:]])
            tokens.append(int(model(window)[0, -1].argmax().item()))
    model.train()
    return "".join(chars[t] for t in tokens)


def train(steps=400, batch_size=16, length=64, d_model=64, nhead=4, num_layers=2, lr=3e-3,
          seed=0, log=None):
    """Trains a fresh model; returns (model, chars, first loss, mean loss of the last steps)."""
    ember.manual_seed(seed)
    rng = np.random.default_rng(seed)
    _, chars, encoded = load_text()
    model = CharTransformer(len(chars), d_model, nhead, num_layers, context=length)
    optimizer = ember.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for step in range(steps):
        inputs, targets = batch(encoded, rng, batch_size, length)
        logits = model(inputs)
        loss = nn.functional.cross_entropy(logits.reshape(-1, len(chars)), targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if log and step % 50 == 0:
            log(f"step {step}: loss {loss.item():.3f} (uniform {math.log(len(chars)):.3f})")
    tail = losses[-max(steps // 10, 1):]
    return model, chars, losses[0], sum(tail) / len(tail)


if __name__ == "__main__":
    model, chars, first, last = train(log=print)
    print(f"loss {first:.3f} -> {last:.3f}")
    print(sample(model, chars, "It was ", 200))
