"""REINFORCE (Williams 1992) on CartPole-v1: a small policy network samples actions from a
Categorical over its logits, and each episode's log-probabilities are weighted by the
normalised discounted returns that followed them.

    python examples/python/reinforce_cartpole.py [episodes]

Stops early once the last 20 episodes average ``target`` (CartPole-v1's threshold is 475; 195
is CartPole-v0's). ``env`` may be any ember Env with a Box observation and a Discrete action
(examples/python/gymnasium_adapter_policy.py passes a Gymnasium env through the adapter).
"""
import sys

import numpy as np

import ember
import ember.env
import ember.nn as nn
from ember.distributions import Categorical


class Policy(nn.Module):
    def __init__(self, observation_size, num_actions, hidden=64):
        super().__init__()
        self.hidden = nn.Linear(observation_size, hidden)
        self.logits = nn.Linear(hidden, num_actions)

    def forward(self, observation):
        return self.logits(ember.tanh(self.hidden(observation)))


def discounted_returns(rewards, gamma):
    """The return after each step, G_t = r_t + gamma * G_{t+1}, normalised to mean 0, std 1."""
    returns = np.zeros(len(rewards))
    running = 0.0
    for t in reversed(range(len(rewards))):
        running = rewards[t] + gamma * running
        returns[t] = running
    return (returns - returns.mean()) / (returns.std() + 1e-8)


def run_episode(env, policy, seed=None):
    """One episode sampled from the policy: (log-probabilities of its actions, rewards)."""
    observation, _ = env.reset(seed=seed)
    log_probs, rewards = [], []
    done = False
    while not done:
        dist = Categorical(logits=policy(observation.float()))
        action = dist.sample()
        log_probs.append(dist.log_prob(action))
        observation, reward, terminated, truncated, _ = env.step(action)
        rewards.append(reward)
        done = terminated or truncated
    return log_probs, rewards


def train(episodes=600, seed=0, env=None, lr=1e-2, gamma=0.99, target=195.0, verbose=False):
    """Trains a policy; returns (policy, the return of every episode)."""
    ember.manual_seed(seed)
    env = env if env is not None else ember.env.make("CartPole-v1")
    policy = Policy(env.observation_space.shape[0], env.action_space.n)
    optimizer = ember.optim.Adam(policy.parameters(), lr=lr)
    episode_returns = []
    for episode in range(episodes):
        log_probs, rewards = run_episode(env, policy, seed=seed if episode == 0 else None)
        weights = ember.tensor(discounted_returns(rewards, gamma), dtype=ember.float32)
        loss = -(ember.stack(log_probs) * weights).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        episode_returns.append(sum(rewards))
        recent = float(np.mean(episode_returns[-20:]))
        if verbose and episode % 20 == 0:
            print(f"episode {episode} return {episode_returns[-1]:.0f} last-20 mean {recent:.1f}")
        if len(episode_returns) >= 20 and recent >= target:
            break
    env.close()
    return policy, episode_returns


if __name__ == "__main__":
    _, returns = train(int(sys.argv[1]) if len(sys.argv) > 1 else 600, verbose=True)
    print(f"{len(returns)} episodes, last-20 mean return {np.mean(returns[-20:]):.1f}")
