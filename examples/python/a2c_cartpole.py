"""A2C (synchronous advantage actor-critic) on 8 CartPole-v1 envs stepped together by a
SyncVectorEnv: one network with a policy head and a value head, n-step returns, an entropy bonus.

    python examples/python/a2c_cartpole.py [updates]

The vector env resets an env in Gymnasium's NEXT_STEP mode: the step after an episode ends
ignores that env's action and returns its first observation with reward 0. That transition
belongs to no episode, so its loss is masked out, and the return of the step that ended the
episode does not bootstrap across it (a truncated episode bootstraps from its final observation).
"""
import sys

import numpy as np

import ember
import ember.env
import ember.nn as nn
from ember.distributions import Categorical


class ActorCritic(nn.Module):
    def __init__(self, observation_size, num_actions, hidden=64):
        super().__init__()
        self.body = nn.Linear(observation_size, hidden)
        self.policy = nn.Linear(hidden, num_actions)
        self.value = nn.Linear(hidden, 1)

    def forward(self, observations):
        features = ember.tanh(self.body(observations))
        return self.policy(features), self.value(features).squeeze(-1)


def n_step_returns(rewards, terminations, truncations, values, gamma):
    """Returns (T, N) for T steps of N envs; values (T + 1, N) are V of every observation."""
    returns = np.zeros_like(rewards)
    running = values[-1]
    for t in reversed(range(len(rewards))):
        # After a done the next transition is an autoreset: bootstrap from the final observation
        # when truncated, from nothing when terminated.
        running = np.where(truncations[t], values[t + 1], running)
        running = rewards[t] + gamma * (1.0 - terminations[t]) * running
        returns[t] = running
    return returns


def train(updates=300, num_envs=8, n_steps=8, seed=0, lr=7e-3, gamma=0.99, entropy_coef=0.01,
          value_coef=0.5, target=195.0, verbose=False):
    """Trains an actor-critic; returns (model, the return of every finished episode in order)."""
    ember.manual_seed(seed)
    envs = ember.env.make_vec("CartPole-v1", num_envs=num_envs)
    model = ActorCritic(envs.single_observation_space.shape[0], envs.single_action_space.n)
    optimizer = ember.optim.Adam(model.parameters(), lr=lr)
    observations, _ = envs.reset(seed=seed)
    observations = observations.clone()
    autoreset = np.zeros(num_envs, dtype=bool)
    episode_return = np.zeros(num_envs)
    episode_returns = []
    for update in range(updates):
        rollout_observations, actions, valid = [observations], [], []
        rewards, terminations, truncations = [], [], []
        for _ in range(n_steps):
            with ember.no_grad():
                logits, _ = model(observations)
            action = Categorical(logits=logits).sample()
            observations, reward, terminated, truncated, _ = envs.step(action)
            # The vector env writes every step into the same tensors: keep copies.
            observations = observations.clone()
            reward, terminated, truncated = (reward.numpy().copy(), terminated.numpy().copy(),
                                             truncated.numpy().copy())
            valid.append(~autoreset)
            episode_return += np.where(autoreset, 0.0, reward)
            done = terminated | truncated
            episode_returns.extend(episode_return[done].tolist())
            episode_return[done] = 0.0
            autoreset = done
            rollout_observations.append(observations)
            actions.append(action)
            rewards.append(reward)
            terminations.append(terminated)
            truncations.append(truncated)
        logits, values = model(ember.stack(rollout_observations))
        returns = n_step_returns(np.array(rewards), np.array(terminations, dtype=np.float64),
                                 np.array(truncations), values.detach().double().numpy(), gamma)
        mask = ember.tensor(np.array(valid), dtype=ember.float32)
        count = mask.sum().clamp(min=1.0)
        returns = ember.tensor(returns, dtype=ember.float32)
        dist = Categorical(logits=logits[:-1])
        advantages = returns - values[:-1]
        policy_loss = -(dist.log_prob(ember.stack(actions)) * advantages.detach() * mask).sum()
        value_loss = (advantages.pow(2) * mask).sum()
        entropy = (dist.entropy() * mask).sum()
        loss = (policy_loss + value_coef * value_loss - entropy_coef * entropy) / count
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
        recent = float(np.mean(episode_returns[-20:])) if episode_returns else 0.0
        if verbose and update % 25 == 0:
            print(f"update {update} episodes {len(episode_returns)} last-20 mean {recent:.1f}")
        if len(episode_returns) >= 20 and recent >= target:
            break
    envs.close()
    return model, episode_returns


if __name__ == "__main__":
    _, returns = train(int(sys.argv[1]) if len(sys.argv) > 1 else 300, verbose=True)
    print(f"{len(returns)} episodes, last-20 mean return {np.mean(returns[-20:]):.1f}")
