"""The seed's two-layer network (examples/python/two_layer_tensor.py): it runs unchanged apart
from `import ember as torch`, its losses track numpy's on the same data step for step, and the
C++ example prints exactly the same losses."""
import subprocess
import sys

import numpy as np
import pytest

import ember as torch


def run_python_seed(repo_root, seed=None):
    """The script's output; with a seed, it runs as written after ember.manual_seed(seed)."""
    script = repo_root / "examples" / "python" / "two_layer_tensor.py"
    command = [sys.executable, str(script)]
    if seed is not None:
        command[1:] = ["-c", f"import runpy, ember; ember.manual_seed({seed}); "
                             f"runpy.run_path({str(script)!r}, run_name='__main__')"]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    return result.stdout.splitlines()


def losses_of(lines):
    return [float(line.split("tensor(")[1].split(")")[0]) for line in lines]


def test_seed_runs_and_loss_falls(repo_root):
    lines = run_python_seed(repo_root)
    assert len(lines) == 500
    losses = losses_of(lines)
    assert losses[0] > 1e6
    assert losses[-1] < losses[0] * 1e-4
    assert all(later <= earlier * 1.01 for earlier, later in zip(losses[50:], losses[51:]))


def test_seed_matches_numpy_on_same_data():
    torch.manual_seed(0)
    n, d_in, hidden, d_out = 64, 1000, 100, 10
    x, y = torch.randn(n, d_in), torch.randn(n, d_out)
    w1, w2 = torch.randn(d_in, hidden), torch.randn(hidden, d_out)
    x_np, y_np, w1_np, w2_np = (t.numpy().astype(np.float64) for t in (x, y, w1, w2))
    learning_rate = 1e-6
    for _ in range(100):
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)
        loss = (y_pred - y).pow(2).sum()
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h = grad_y_pred.mm(w2.t()).clone()
        grad_h[h < 0] = 0
        grad_w1 = x.t().mm(grad_h)
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2

        h_np = x_np.dot(w1_np)
        h_relu_np = np.maximum(h_np, 0)
        y_pred_np = h_relu_np.dot(w2_np)
        loss_np = np.square(y_pred_np - y_np).sum()
        grad_y_pred_np = 2.0 * (y_pred_np - y_np)
        grad_w2_np = h_relu_np.T.dot(grad_y_pred_np)
        grad_h_np = grad_y_pred_np.dot(w2_np.T)
        grad_h_np[h_np < 0] = 0
        grad_w1_np = x_np.T.dot(grad_h_np)
        w1_np -= learning_rate * grad_w1_np
        w2_np -= learning_rate * grad_w2_np
        # float32 against float64 over 100 steps of a contracting iteration
        assert loss.item() == pytest.approx(loss_np, rel=2e-3)


def test_cpp_example_prints_the_same_losses(repo_root, cpp_build_dir):
    if cpp_build_dir is None:
        pytest.skip("no C++ build directory (run tools/run_tests.sh)")
    binary = cpp_build_dir / "examples" / "cpp" / "two_layer_tensor"
    if not binary.exists():
        pytest.skip(f"{binary} not built")
    cpp = subprocess.run([str(binary), "500"], capture_output=True, text=True, check=True,
                         timeout=300).stdout.splitlines()
    assert cpp == run_python_seed(repo_root, seed=0)  # the C++ example seeds with 0
