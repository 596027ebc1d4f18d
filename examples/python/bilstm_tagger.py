"""A bidirectional LSTM tagger over sentences of varying length, batched as packed sequences
(nn.utils.rnn.pack_sequence, no compute spent on padding). The synthetic task needs both
directions: words 0-8 carry the tag word % 3; words 9-11 are ambiguous and take the tag of the
NEXT word (0 at the end of the sentence), so the tagger must read ahead. Usage:
python bilstm_tagger.py [steps]"""
import random
import sys

import ember as torch
from ember import nn
from ember.nn.utils import rnn

VOCABULARY, TAGS = 12, 3


def tag_of(words, position):
    word = words[position]
    if word < 9:
        return word % 3
    return tag_of(words, position + 1) if position + 1 < len(words) else 0


def make_sentence(rng):
    words = [rng.randrange(VOCABULARY) for _ in range(rng.randint(3, 10))]
    return torch.tensor(words), torch.tensor([tag_of(words, i) for i in range(len(words))])


class BiLSTMTagger(nn.Module):
    def __init__(self, embedding_dim=16, hidden_size=32):
        super().__init__()
        self.embedding = nn.Embedding(VOCABULARY, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, bidirectional=True)
        self.out = nn.Linear(2 * hidden_size, TAGS)

    def forward(self, sentences):
        """sentences: a list of 1-D word tensors -> a PackedSequence of tag scores."""
        packed = rnn.pack_sequence(sentences, enforce_sorted=False)
        embedded = rnn.PackedSequence(self.embedding(packed.data), packed.batch_sizes,
                                      packed.sorted_indices, packed.unsorted_indices)
        output, _ = self.lstm(embedded)
        return output._replace(data=self.out(output.data))


def accuracy(model, batch):
    with torch.no_grad():
        scores = model([words for words, _ in batch])
        padded, lengths = rnn.pad_packed_sequence(scores, batch_first=True)
    correct = total = 0
    for b, (_, tags) in enumerate(batch):
        predicted = padded[b, :lengths[b]].argmax(dim=1)
        correct += (predicted == tags).sum().item()
        total += len(tags)
    return correct / total


def train(steps=300, batch_size=16, learning_rate=0.02, seed=0):
    """Returns (model, losses, accuracy before, accuracy after) on a held-out batch."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    held_out = [make_sentence(rng) for _ in range(64)]
    model = BiLSTMTagger()
    before = accuracy(model, held_out)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    losses = []
    for _ in range(steps):
        batch = [make_sentence(rng) for _ in range(batch_size)]
        scores = model([words for words, _ in batch])
        # packed targets line up with the packed scores row for row
        targets = rnn.pack_sequence([tags for _, tags in batch], enforce_sorted=False)
        loss = nn.functional.cross_entropy(scores.data, targets.data)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses, before, accuracy(model, held_out)


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    model, losses, before, after = train(steps)
    window = max(1, steps // 10)
    for start in range(0, steps, window):
        chunk = losses[start:start + window]
        mean = sum(chunk) / len(chunk)
        print(f"steps {start:5d}-{start + len(chunk) - 1:5d}  mean loss {mean:.3f}")
    print(f"held-out accuracy {before:.2f} -> {after:.2f}")
