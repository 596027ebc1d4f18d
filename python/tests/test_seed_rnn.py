"""The seed's RNN program (../shared/seed-examples/rnn_autograd.py) with ember imported in its
two import lines: as written it raises PyTorch's shape error naming both shapes; corrected, the
gradients are those the chain rule gives."""
import pathlib
import runpy

import numpy as np
import pytest

import ember as torch
from ember.autograd import Variable

SEED = pathlib.Path(__file__).resolve().parents[3] / "shared" / "seed-examples" / "rnn_autograd.py"


def test_seed_as_written_raises_the_shape_error(tmp_path):
    if not SEED.exists():
        pytest.skip("the shared seed examples are not beside the repository")
    program = SEED.read_text().replace("import torch\n", "import ember as torch\n").replace(
        "from torch.autograd import Variable", "from ember.autograd import Variable")
    script = tmp_path / "rnn_autograd.py"
    script.write_text(program)
    with pytest.raises(RuntimeError, match=r"Mismatch in shape.*\[1, 20\].*\[20, 1\]"):
        runpy.run_path(str(script))


def test_corrected_seed_gradients_match_the_chain_rule():
    torch.manual_seed(3)
    x = Variable(torch.randn(1, 10), requires_grad=True)
    prev_h = Variable(torch.randn(1, 20), requires_grad=True)
    W_h = Variable(torch.randn(20, 20), requires_grad=True)
    W_x = Variable(torch.randn(20, 10), requires_grad=True)
    next_h = (torch.mm(W_x, x.t()) + torch.mm(W_h, prev_h.t())).tanh()
    next_h.backward(torch.ones(20, 1))

    xs, hs, wh, wx = (t.detach().numpy().astype(np.float64) for t in (x, prev_h, W_h, W_x))
    pre = wx @ xs.T + wh @ hs.T
    delta = 1 - np.tanh(pre) ** 2  # dL/dpre with dL/dnext_h = 1
    np.testing.assert_allclose(W_x.grad.numpy(), delta @ xs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(W_h.grad.numpy(), delta @ hs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), (wx.T @ delta).T, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(prev_h.grad.numpy(), (wh.T @ delta).T, rtol=1e-5, atol=1e-6)


def test_variable_returns_a_tensor():
    t = torch.ones(2)
    v = Variable(t, requires_grad=True)
    assert isinstance(v, torch.Tensor)
    assert isinstance(v, Variable)
    assert v.requires_grad and v.is_leaf


def test_rnn_example_runs(repo_root):
    result = runpy.run_path(str(repo_root / "examples" / "python" / "rnn_autograd.py"))
    assert result["W_h"].grad.shape == (20, 20)
    assert result["next_h"].grad_fn.name() == "TanhBackward0"
