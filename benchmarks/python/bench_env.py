"""ember.env beside Gymnasium in the same run: CartPole-v1 `step` calls per second from Python on
one environment, and environment steps per second of a 256-env synchronous vector env (ember's
C++ SyncVectorEnv against gymnasium.vector.SyncVectorEnv). Both sides take the same random
actions and reset when an episode ends (the vector envs autoreset). The two libraries alternate
and each figure is the best of --repeats runs, so that a loaded machine disturbs both alike.
Prints a markdown table (ratio above 1: ember faster) with the issue's targets.

Gymnasium is a test dependency installed in ember's virtual environment (tools/setup.sh), and
this benchmark needs no PyTorch, so it runs with that environment's interpreter, from outside
the repository so that `import ember` finds the installed package:

    cd /tmp && <repo>/.venv/bin/python <repo>/benchmarks/python/bench_env.py [--repeats 5]

A benchmark, never a test: nothing here asserts a time.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import import_library

NUM_ENVS = 256
TARGETS = {"single": 5.0, "vector": 50.0}
OTHER_ENVS = ["MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1", "Acrobot-v1"]


def single_env_steps_per_second(env, actions):
    """`step` calls per second over the actions, resetting at each episode's end."""
    env.reset(seed=0)
    start = time.perf_counter()
    for action in actions:
        _, _, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            env.reset()
    return len(actions) / (time.perf_counter() - start)


def vector_env_steps_per_second(env, actions):
    """Environment steps per second (vector steps times envs) over the action rows."""
    env.reset(seed=0)
    start = time.perf_counter()
    for row in actions:
        env.step(row)
    return actions.size / (time.perf_counter() - start)


def best_alternating(runs, repeats):
    """Each run's best figure over `repeats` rounds, the runs alternating within a round."""
    best = [0.0] * len(runs)
    for _ in range(repeats):
        for index, run in enumerate(runs):
            best[index] = max(best[index], run())
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--single-steps", type=int, default=20_000)
    parser.add_argument("--vector-steps", type=int, default=200)
    parser.add_argument("--all-envs", action="store_true",
                        help="also the other built-in envs' 256-env SyncVectorEnv (no target)")
    args = parser.parse_args()
    libraries = {}
    for name in ("ember", "gymnasium"):
        library, reason = import_library(name)
        if library is None:
            sys.exit(f"{name} did not import: {reason}")
        libraries[name] = library
    import ember.env
    gym = libraries["gymnasium"]
    rng = np.random.default_rng(0)

    single_actions = [int(a) for a in rng.integers(0, 2, args.single_steps)]
    ours, theirs = ember.env.make("CartPole-v1"), gym.make("CartPole-v1")
    single = best_alternating([lambda: single_env_steps_per_second(ours, single_actions),
                               lambda: single_env_steps_per_second(theirs, single_actions)],
                              args.repeats)

    vector_actions = rng.integers(0, 2, (args.vector_steps, NUM_ENVS))
    ours = ember.env.make_vec("CartPole-v1", num_envs=NUM_ENVS, vectorization_mode="sync")
    theirs = gym.vector.SyncVectorEnv([lambda: gym.make("CartPole-v1")] * NUM_ENVS)
    vector = best_alternating([lambda: vector_env_steps_per_second(ours, vector_actions),
                               lambda: vector_env_steps_per_second(theirs, vector_actions)],
                              args.repeats)

    print(f"gymnasium {gym.__version__}, best of {args.repeats}\n")
    print("| case | unit | ember | gymnasium | ratio | target |")
    print("|---|---|---|---|---|---|")
    for case, key, (ember_rate, gym_rate) in (
            ("CartPole-v1 single-env step from Python", "single", single),
            (f"CartPole-v1 SyncVectorEnv x{NUM_ENVS}", "vector", vector)):
        ratio = ember_rate / gym_rate
        verdict = "met" if ratio >= TARGETS[key] else "MISSED"
        print(f"| {case} | steps/s | {ember_rate:.3g} | {gym_rate:.3g} | {ratio:.1f}x | "
              f">= {TARGETS[key]:.0f}x {verdict} |")
    for env_id in OTHER_ENVS if args.all_envs else ():
        ours = ember.env.make_vec(env_id, num_envs=NUM_ENVS)
        theirs = gym.vector.SyncVectorEnv([lambda env_id=env_id: gym.make(env_id)] * NUM_ENVS)
        ours.action_space.seed(0)
        actions = np.stack([ours.action_space.sample().numpy()
                            for _ in range(args.vector_steps)])
        ember_rate, gym_rate = best_alternating(
            [lambda env=ours, rows=actions: vector_env_steps_per_second(env, rows),
             lambda env=theirs, rows=actions: vector_env_steps_per_second(env, rows)],
            args.repeats)
        print(f"| {env_id} SyncVectorEnv x{NUM_ENVS} | steps/s | {ember_rate:.3g} | "
              f"{gym_rate:.3g} | {ember_rate / gym_rate:.1f}x | - |")


if __name__ == "__main__":
    main()
