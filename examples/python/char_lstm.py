"""A character-level LSTM language model: embedding, a 2-layer nn.LSTM and a linear read-out,
trained with Adam on random windows of examples/data/public_domain_text.txt to predict each next
character, then sampled one character at a time, carrying the LSTM state (h, c) from step to
step. Usage: python char_lstm.py [steps]"""
import pathlib
import sys

import ember as torch
from ember import nn

TEXT = pathlib.Path(__file__).resolve().parents[1] / "data" / "public_domain_text.txt"


class CharLSTM(nn.Module):
    def __init__(self, vocab_size, embedding_dim=16, hidden_size=64, num_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers=num_layers, batch_first=True)
        self.out = nn.Linear(hidden_size, vocab_size)

    def forward(self, tokens, state=None):
        output, state = self.lstm(self.embedding(tokens), state)
        return self.out(output), state


def load_text():
    text = TEXT.read_text()
    vocabulary = sorted(set(text))
    index = {char: i for i, char in enumerate(vocabulary)}
    return torch.tensor([index[char] for char in text]), vocabulary


def train(steps=300, window=32, batch_size=16, hidden_size=64, learning_rate=0.01, seed=0):
    """Returns (model, vocabulary, losses): one cross-entropy per step."""
    torch.manual_seed(seed)
    encoded, vocabulary = load_text()
    model = CharLSTM(len(vocabulary), hidden_size=hidden_size)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    losses = []
    for _ in range(steps):
        starts = torch.randint(0, len(encoded) - window - 1, (batch_size,))
        offsets = starts.unsqueeze(1) + torch.arange(window + 1)
        chunk = encoded[offsets]  # (batch, window + 1)
        logits, _ = model(chunk[:, :-1])
        loss = nn.functional.cross_entropy(logits.reshape(-1, len(vocabulary)),
                                           chunk[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    return model, vocabulary, losses


def sample(model, vocabulary, prompt="It was", length=80, temperature=0.8, seed=0):
    """Continues prompt one character at a time from the model's softmax."""
    torch.manual_seed(seed)
    index = {char: i for i, char in enumerate(vocabulary)}
    model.eval()
    with torch.no_grad():
        logits, state = model(torch.tensor([[index[char] for char in prompt]]))
        text = prompt
        for _ in range(length):
            probabilities = torch.softmax(logits[0, -1] / temperature, dim=0)
            token = torch.multinomial(probabilities, 1)
            text += vocabulary[token.item()]
            logits, state = model(token.view(1, 1), state)
    model.train()
    return text


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    model, vocabulary, losses = train(steps)
    window = max(1, steps // 10)
    for start in range(0, steps, window):
        chunk = losses[start:start + window]
        mean = sum(chunk) / len(chunk)
        print(f"steps {start:5d}-{start + len(chunk) - 1:5d}  mean loss {mean:.3f}")
    print(sample(model, vocabulary))
