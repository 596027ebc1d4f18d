"""A denoising autoencoder: an MLP learns to map noisy points back onto a low-dimensional manifold.

The data are generated from a seed: 2-D latent codes z, uniform in [-1, 1]^2, become 16-D points
x = sin(z A) through a fixed random A (2 x 16), so every clean point lies on a 2-D surface in
16-D. Each step draws fresh Gaussian noise (std `noise`) onto a batch of inputs, and the network
(16 -> 32 -> 4 -> 32 -> 16, tanh) is trained by plain SGD to reconstruct the clean points.
Denoising works when the reconstruction error on held-out data falls clearly below the noisy
inputs' own error, noise^2 (the baseline of returning the input unchanged).
"""
import ember
from ember import nn


def manifold_data(count, mixing, generator_seed):
    """count clean points sin(z @ mixing) for uniform latent z, drawn after manual_seed."""
    ember.manual_seed(generator_seed)
    latent = ember.rand(count, mixing.shape[0]) * 2 - 1
    return (latent @ mixing).sin()


def make_model(features=16, hidden=32, code=4):
    return nn.Sequential(nn.Linear(features, hidden), nn.Tanh(), nn.Linear(hidden, code),
                         nn.Tanh(), nn.Linear(code, hidden), nn.Tanh(),
                         nn.Linear(hidden, features))


def train(steps=1500, batch=128, lr=0.3, noise=0.3, seed=0, log=None):
    """Trains a fresh autoencoder; returns (model, per-step losses, test loss, test baseline)."""
    ember.manual_seed(seed)
    mixing = ember.randn(2, 16)
    clean = manifold_data(2048, mixing, seed + 1)
    test_clean = manifold_data(512, mixing, seed + 2)
    ember.manual_seed(seed + 3)
    model = make_model()
    losses = []
    for step in range(steps):
        start = (step * batch) % clean.shape[0]
        target = clean[start:start + batch]
        noisy = target + ember.randn(target.shape) * noise
        loss = ((model(noisy) - target) ** 2).mean()
        model.zero_grad()
        loss.backward()
        with ember.no_grad():
            for param in model.parameters():
                param.sub_(param.grad * lr)
        losses.append(loss.item())
        if log and step % 250 == 0:
            log(f"step {step}: reconstruction loss {losses[-1]:.4f}")
    with ember.no_grad():
        test_noisy = test_clean + ember.randn(test_clean.shape) * noise
        test_loss = ((model(test_noisy) - test_clean) ** 2).mean().item()
        baseline = ((test_noisy - test_clean) ** 2).mean().item()
    return model, losses, test_loss, baseline


if __name__ == "__main__":
    model, losses, test_loss, baseline = train(log=print)
    print(model)
    print(f"held-out reconstruction loss {test_loss:.4f}; the noisy inputs' own loss "
          f"{baseline:.4f}")
