"""REINFORCE on CartPole-v1 beside PyTorch + Gymnasium (issue 13): wall time to reach a running
average return of 195 (the mean of the last 20 episodes, as in
examples/python/reinforce_cartpole.py), the episodes that took, and the time per episode and per
environment step (seeds differ in how fast they learn, so the figures are totals and medians
over seeds). One program, `train(lib, make_env, seed)`, runs on ember + ember.env and on
torch + gymnasium: the example's network (Linear 4-64, tanh, Linear 64-2), Categorical policy,
Adam (lr 1e-2), discount 0.99, normalised returns and seeds. The two libraries alternate seed by
seed and each side runs on one thread, so that a loaded machine disturbs both alike. The ratio is
ember's total time over torch's (below 1: ember faster; the issue's target is 0.5 or less).

PyTorch comes from Debian's /usr/bin/python3; ember and Gymnasium from the virtual environment,
through a folder of links (the .venv's own numpy 2 does not load torch 1.13):

    mkdir -p /tmp/rl && for p in ember gymnasium cloudpickle farama_notifications \
        typing_extensions.py; do ln -sfn <repo>/.venv/lib/python3.11/site-packages/$p /tmp/rl/; done
    cd /tmp && OMP_NUM_THREADS=1 PYTHONPATH=/tmp/rl /usr/bin/python3 \
        <repo>/benchmarks/python/bench_reinforce.py [--seeds 0 1 2 3 4] [--profile ember]

A benchmark, never a test: nothing here asserts a time.
"""
import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "python"))
from bench_support import import_library, set_blas_threads
from reinforce_cartpole import discounted_returns  # the example's, so both runs share it

TARGET, WINDOW, MAX_EPISODES = 195.0, 20, 1000
HIDDEN, LEARNING_RATE, GAMMA = 64, 1e-2, 0.99


def train(lib, make_env, seed):
    """The example's REINFORCE with `lib` (ember or torch) and `make_env()`'s environment; returns
    (seconds to reach the target or give up, episodes, environment steps, reached)."""
    nn = lib.nn
    start = time.perf_counter()
    lib.manual_seed(seed)
    env = make_env()

    class Policy(nn.Module):
        def __init__(self, observation_size, num_actions):
            super().__init__()
            self.hidden = nn.Linear(observation_size, HIDDEN)
            self.logits = nn.Linear(HIDDEN, num_actions)

        def forward(self, observation):
            return self.logits(lib.tanh(self.hidden(observation)))

    policy = Policy(env.observation_space.shape[0], env.action_space.n)
    optimizer = lib.optim.Adam(policy.parameters(), lr=LEARNING_RATE)
    episode_returns, steps = [], 0
    for episode in range(MAX_EPISODES):
        observation, _ = env.reset(seed=seed if episode == 0 else None)
        log_probs, rewards, done = [], [], False
        while not done:
            dist = lib.distributions.Categorical(logits=policy(lib.as_tensor(observation)))
            action = dist.sample()
            log_probs.append(dist.log_prob(action))
            observation, reward, terminated, truncated, _ = env.step(int(action))
            rewards.append(reward)
            done = terminated or truncated
        weights = lib.as_tensor(discounted_returns(rewards, GAMMA).astype(np.float32))
        loss = -(lib.stack(log_probs) * weights).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        steps += len(rewards)
        episode_returns.append(sum(rewards))
        if len(episode_returns) >= WINDOW and np.mean(episode_returns[-WINDOW:]) >= TARGET:
            break
    env.close()
    reached = np.mean(episode_returns[-WINDOW:]) >= TARGET
    return time.perf_counter() - start, len(episode_returns), steps, reached


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--profile", choices=["ember", "torch"],
                        help="run only this side under cProfile and print the top functions")
    args = parser.parse_args()
    libraries = {}
    for name in ("ember", "torch", "gymnasium"):
        library, reason = import_library(name)
        if library is None:
            sys.exit(f"{name} did not import: {reason}")
        libraries[name] = library
    import torch.distributions

    import ember.distributions
    import ember.env
    ember, torch, gym = libraries["ember"], libraries["torch"], libraries["gymnasium"]
    ember.set_num_threads(1)
    torch.set_num_threads(1)
    set_blas_threads(1)
    sides = {"ember": (ember, lambda: ember.env.make("CartPole-v1")),
             "torch": (torch, lambda: gym.make("CartPole-v1"))}

    if args.profile:
        lib, make_env = sides[args.profile]
        profiler = cProfile.Profile()
        profiler.runcall(train, lib, make_env, args.seeds[0])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return

    results = {name: [] for name in sides}
    for seed in args.seeds:
        for name, (lib, make_env) in sides.items():
            results[name].append(train(lib, make_env, seed))
    print(f"load average {os.getloadavg()[0]:.2f}; seeds {args.seeds}; target: the mean of the "
          f"last {WINDOW} returns >= {TARGET:.0f}\n")
    print("| side | seed | episodes | steps | seconds | ms / episode | us / step |")
    print("|---|---|---|---|---|---|---|")
    for name, runs in results.items():
        for seed, (seconds, episodes, steps, reached) in zip(args.seeds, runs):
            mark = "" if reached else " (target not reached)"
            print(f"| {name} | {seed} | {episodes}{mark} | {steps} | {seconds:.2f} | "
                  f"{seconds / episodes * 1e3:.2f} | {seconds / steps * 1e6:.0f} |")
    totals = {name: sum(run[0] for run in runs) for name, runs in results.items()}
    medians = {name: statistics.median(run[0] for run in runs) for name, runs in results.items()}
    episodes = {name: statistics.median(run[1] for run in runs) for name, runs in results.items()}
    per_step = {name: statistics.median(run[0] / run[2] for run in runs)
                for name, runs in results.items()}
    print(f"\nwall time to the target, all seeds: ember {totals['ember']:.2f} s, torch "
          f"{totals['torch']:.2f} s, ratio {totals['ember'] / totals['torch']:.2f} (target <= 0.5)")
    print(f"median over seeds of the wall time to the target: ember {medians['ember']:.2f} s "
          f"({episodes['ember']:.0f} episodes), torch {medians['torch']:.2f} s "
          f"({episodes['torch']:.0f} episodes), ratio {medians['ember'] / medians['torch']:.2f}")
    print(f"median time per environment step: ember {per_step['ember'] * 1e6:.0f} us, torch "
          f"{per_step['torch'] * 1e6:.0f} us, ratio {per_step['ember'] / per_step['torch']:.2f}")


if __name__ == "__main__":
    main()
