"""An MLP whose depth grows at run time when its loss plateaus.

It fits y = sin(3 x0) cos(2 x1) with plain SGD. When the loss has not improved by 1% for
`patience` steps, a residual hidden block joins the network, initialised near zero so that the
function it computes barely changes. The new block is an ordinary registered submodule from then
on: parameters() trains it, state_dict() saves it, and the hook on the model sees it work.
"""
import ember
from ember import nn


class GrowingMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.inp = nn.Linear(in_features, hidden)
        self.blocks = nn.ModuleList()
        self.out = nn.Linear(hidden, out_features)

    def grow(self):
        block = nn.Linear(self.inp.out_features, self.inp.out_features)
        with ember.no_grad():
            block.weight.mul_(0.01)
            block.bias.zero_()
        self.blocks.append(block)
        return block

    def forward(self, x):
        h = self.inp(x).tanh()
        for block in self.blocks:
            h = h + block(h).tanh()
        return self.out(h)


def train(steps=1200, lr=0.1, patience=40, max_blocks=4, seed=0, log=None):
    """Trains a fresh GrowingMLP; returns (model, per-step losses, steps at which it grew)."""
    ember.manual_seed(seed)
    x = ember.rand(256, 2) * 4 - 2
    y = (x[:, :1] * 3).sin() * (x[:, 1:] * 2).cos()
    model = GrowingMLP(2, 16, 1)
    output_norms = []
    model.register_forward_hook(lambda module, args, output: output_norms.append(
        output.detach().norm().item()))
    losses, grown_at = [], []
    best, since_best = float("inf"), 0
    for step in range(steps):
        loss = ((model(x) - y) ** 2).mean()
        model.zero_grad()
        loss.backward()
        with ember.no_grad():
            for param in model.parameters():
                param.sub_(param.grad * lr)
        losses.append(loss.item())
        if losses[-1] < best * 0.99:
            best, since_best = losses[-1], 0
            continue
        since_best += 1
        if since_best >= patience and len(model.blocks) < max_blocks:
            model.grow()
            grown_at.append(step)
            best, since_best = losses[-1], 0
            if log:
                log(f"step {step}: loss plateaued at {losses[-1]:.4f}; "
                    f"{len(model.blocks)} hidden block(s) now")
    assert len(output_norms) == steps  # the hook saw every step, before and after growth
    return model, losses, grown_at


if __name__ == "__main__":
    model, losses, grown_at = train(log=print)
    print(model)
    print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f}; grew at steps {grown_at}")
    print("state_dict:", ", ".join(model.state_dict()))
