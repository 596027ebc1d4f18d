"""ember.optim.LBFGS: Rosenbrock's minimum with and without the strong-Wolfe line search, a
quadratic solved in one step, its state under PyTorch's keys, the history bound, and its
errors. The algorithm is C++'s (ember/optim/lbfgs.cpp); these check it through Python."""
import pickle

import numpy as np
import pytest

import ember
from ember import optim


def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def minimize(steps, **options):
    p = ember.tensor([-1.5, 2.0], dtype=ember.float64, requires_grad=True)
    opt = optim.LBFGS([p], **options)

    def closure():
        opt.zero_grad()
        loss = rosenbrock(p)
        loss.backward()
        return loss

    for _ in range(steps):
        opt.step(closure)
    return p, opt


def test_lbfgs_strong_wolfe_finds_rosenbrocks_minimum():
    p, opt = minimize(5, line_search_fn="strong_wolfe", history_size=10, max_iter=50)
    np.testing.assert_allclose(p.detach().numpy(), [1.0, 1.0], atol=1e-4)
    state = opt.state[p]
    assert {"func_evals", "n_iter", "d", "t", "old_dirs", "old_stps", "ro", "H_diag",
            "prev_flat_grad", "prev_loss"} <= set(state)
    assert len(state["old_dirs"]) <= 10 and state["n_iter"] > 10
    assert state["func_evals"] >= state["n_iter"]


def test_lbfgs_without_line_search_finds_rosenbrocks_minimum():
    p, _ = minimize(30, lr=0.5, max_iter=100)
    np.testing.assert_allclose(p.detach().numpy(), [1.0, 1.0], atol=2e-3)


def test_lbfgs_solves_a_quadratic_in_one_step_and_accepts_a_float_closure():
    x = ember.zeros(2, dtype=ember.float64, requires_grad=True)
    a = ember.tensor([1.0, 10.0], dtype=ember.float64)
    b = ember.tensor([1.0, 2.0], dtype=ember.float64)
    opt = optim.LBFGS([x], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = (0.5 * a * x * x - b * x).sum()
        loss.backward()
        return loss.item()

    assert float(opt.step(closure)) == 0.0
    np.testing.assert_allclose(x.detach().numpy(), [1.0, 0.2], atol=1e-6)
    saved = pickle.loads(pickle.dumps(opt.state_dict()))
    assert saved["param_groups"][0]["line_search_fn"] == "strong_wolfe"
    assert saved["param_groups"][0]["max_eval"] == 25
    assert "d" in saved["state"][0]


def test_lbfgs_continues_from_loaded_state():
    p, opt = minimize(1, history_size=5, max_iter=5)
    q = p.detach().clone().requires_grad_()
    opt2 = optim.LBFGS([q], history_size=5, max_iter=5)
    opt2.load_state_dict(opt.state_dict())

    def closure_for(param, optimizer):
        def closure():
            optimizer.zero_grad()
            loss = rosenbrock(param)
            loss.backward()
            return loss
        return closure

    opt.step(closure_for(p, opt))
    opt2.step(closure_for(q, opt2))
    np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


def test_lbfgs_errors():
    w = ember.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="only 'strong_wolfe'"):
        optim.LBFGS([w], line_search_fn="backtracking")
    with pytest.raises(ValueError, match="per-parameter options"):
        optim.LBFGS([{"params": [w]}, {"params": [ember.zeros(1, requires_grad=True)]}])
    with pytest.raises(ValueError, match="requires a closure"):
        optim.LBFGS([w]).step(None)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        optim.LBFGS([w], lr=-1)
