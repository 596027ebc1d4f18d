"""A network that grows a layer mid-training and hands it to its optimizer.

It fits y = sin(3 x0) cos(2 x1) with Adam. At each step listed in `grow_at`, a residual hidden
block joins the network (initialised near zero, so the function barely changes) and
optimizer.add_param_group gives its parameters to Adam with fresh state: they train from the next
step on. examples/cpp/growing_net_optim.cpp is the same program in C++.
"""
import ember
from ember import nn, optim


class GrowingNet(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.inp = nn.Linear(in_features, hidden)
        self.blocks = nn.ModuleList()
        self.out = nn.Linear(hidden, out_features)

    def grow(self):
        """Appends a near-zero residual block and returns it."""
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


def train(steps=600, grow_at=(200, 400), lr=1e-2, seed=0, log=None):
    """Trains a fresh GrowingNet; returns (model, optimizer, per-step losses)."""
    ember.manual_seed(seed)
    x = ember.rand(256, 2) * 4 - 2
    y = (x[:, :1] * 3).sin() * (x[:, 1:] * 2).cos()
    model = GrowingNet(2, 16, 1)
    optimizer = optim.Adam(model.parameters(), lr=lr)
    losses = []
    for step in range(steps):
        if step in grow_at:
            block = model.grow()
            optimizer.add_param_group({"params": block.parameters()})
            if log:
                log(f"step {step}: loss {losses[-1]:.4f}; {len(model.blocks)} hidden block(s)")
        loss = ((model(x) - y) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, optimizer, losses


if __name__ == "__main__":
    model, optimizer, losses = train(log=print)
    print(model)
    print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f}; {len(optimizer.param_groups)} groups")
