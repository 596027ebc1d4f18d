"""DQN (Mnih et al. 2015) on CartPole-v1 with ember.env's replay buffer.

An epsilon-greedy MLP Q-network acts; every transition goes into ember.env.ReplayBuffer; each step
trains on a uniformly sampled batch towards r + gamma * max_a' Q_target(s', a') (zero after a
termination, not after a time-limit truncation), with the Huber loss and Adam. The target network
copies the online one every `target_every` steps. Random play averages about 22 steps.
"""
import sys

import ember
from ember import env as ember_env
from ember import nn, optim


def q_network(obs_size, actions, hidden):
    return nn.Sequential(nn.Linear(obs_size, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                         nn.ReLU(), nn.Linear(hidden, actions))


def train(steps=6000, seed=0, batch_size=64, capacity=10000, gamma=0.99, lr=1e-3, hidden=64,
          learning_starts=500, epsilon_steps=3000, final_epsilon=0.02, target_every=250,
          log=None):
    """Trains a DQN agent; returns (q-network, the returns of every finished episode)."""
    ember.manual_seed(seed)
    env = ember_env.make("CartPole-v1")
    obs_size = env.observation_space.shape[0]
    actions = env.action_space.n
    online = q_network(obs_size, actions, hidden)
    target = q_network(obs_size, actions, hidden)
    target.load_state_dict(online.state_dict())
    optimizer = optim.Adam(online.parameters(), lr=lr)
    buffer = ember_env.ReplayBuffer(capacity, ember_env.transition_fields([obs_size]))
    sampler = ember.Generator().manual_seed(seed)
    env.action_space.seed(seed)

    obs, _ = env.reset(seed=seed)
    returns, episode_return = [], 0.0
    for step in range(steps):
        epsilon = max(final_epsilon, 1.0 - step / epsilon_steps)
        if ember.rand(1, generator=sampler).item() < epsilon:
            action = env.action_space.sample()
        else:
            with ember.no_grad():
                action = online(obs.unsqueeze(0)).argmax(1).item()
        next_obs, reward, terminated, truncated, _ = env.step(action)
        buffer.add(obs=obs, action=action, reward=reward, next_obs=next_obs, done=terminated)
        episode_return += reward
        obs = next_obs
        if terminated or truncated:
            returns.append(episode_return)
            if log is not None and len(returns) % 10 == 0:
                log(f"step {step:5d}  episode {len(returns):4d}  return {episode_return:6.1f}")
            obs, _ = env.reset()
            episode_return = 0.0

        if step >= learning_starts:
            batch = buffer.sample(batch_size, generator=sampler)
            with ember.no_grad():
                next_q = target(batch["next_obs"]).max(1).values
                not_done = 1.0 - batch["done"].float()
                goal = batch["reward"] + gamma * not_done * next_q
            q = online(batch["obs"]).gather(1, batch["action"].unsqueeze(1)).squeeze(1)
            loss = nn.functional.smooth_l1_loss(q, goal)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if step % target_every == 0:
            target.load_state_dict(online.state_dict())
    return online, returns


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
    _, returns = train(steps=steps, log=print)
    last = returns[-10:]
    print(f"{len(returns)} episodes; mean return of the last {len(last)}: "
          f"{sum(last) / len(last):.1f}")
