"""ember.env.make / register / spec / registry."""
import pytest
from ember._C import _env

import ember.env as envs


def test_make_applies_the_registered_time_limit():
    env = envs.make("CartPole-v1")
    assert isinstance(env, envs.wrappers.TimeLimit)
    assert env.max_episode_steps == 500
    assert env.spec.id == "CartPole-v1" and env.spec.max_episode_steps == 500
    assert envs.make("CartPole-v1", max_episode_steps=10).max_episode_steps == 10
    assert envs.spec("CartPole-v1").max_episode_steps == 500
    assert "CartPole-v1" in envs.registry
    assert envs.registration.reward_threshold("CartPole-v1") == 475.0


def test_make_passes_kwargs_and_render_mode():
    env = envs.make("CartPole-v1", render_mode="rgb_array", sutton_barto_reward=True)
    assert env.render_mode == "rgb_array"
    assert env.spec.kwargs == {"render_mode": "rgb_array", "sutton_barto_reward": True}
    env.reset(seed=0)
    assert env.step(0)[1] == 0.0  # Sutton and Barto's reward: 0 until the pole falls


class Constant(envs.Env):
    def __init__(self, value=1.0):
        super().__init__()
        self.value = value
        self.observation_space = envs.spaces.Box(-10.0, 10.0, shape=(1,))
        self.action_space = envs.spaces.Discrete(2)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return envs.spaces.Box(self.value, self.value, shape=(1,)).sample(), {}

    def step(self, action):
        return envs.spaces.Box(self.value, self.value, shape=(1,)).sample(), self.value, False, \
            False, {}


def test_register_a_python_entry_point():
    envs.register("test/Constant-v0", Constant, max_episode_steps=2, kwargs={"value": 3.0})
    envs.register("test/ConstantByName-v0", "test_env_registration:Constant")
    try:
        env = envs.make("test/Constant-v0")
        assert isinstance(env.env, Constant)
        env.reset(seed=0)
        assert env.step(0)[1] == 3.0
        assert env.step(0)[3]  # truncated by the registered limit
        assert envs.make("test/Constant-v0", value=5.0).env.value == 5.0
        assert envs.spec("test/ConstantByName-v0").entry_point == "test_env_registration:Constant"
        assert isinstance(envs.make("test/ConstantByName-v0"), Constant)
    finally:
        _env.unregister_env("test/Constant-v0")
        _env.unregister_env("test/ConstantByName-v0")


def test_make_errors():
    with pytest.raises(ValueError, match=r"\[make\] expected a registered env id .*CartPole-v1"):
        envs.make("NoSuchEnv-v0")
    with pytest.raises(TypeError, match=r"\[make\] expected the kwarg 'sutton_barto_reward'"):
        envs.make("CartPole-v1", sutton_barto_reward="yes")
    envs.register("test/Bad-v0", "no_colon")
    try:
        with pytest.raises(ValueError, match=r"\[register\] expected an entry point"):
            envs.make("test/Bad-v0")
    finally:
        _env.unregister_env("test/Bad-v0")
    with pytest.raises(TypeError, match=r"\[register\] expected the id to be a str"):
        envs.register(3, Constant)


BUILTIN_IDS = ["CartPole-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1",
               "Acrobot-v1"]


@pytest.mark.parametrize("env_id", BUILTIN_IDS)
def test_builtin_specs_match_gymnasiums(env_id):
    gym = pytest.importorskip("gymnasium")
    theirs = gym.spec(env_id)
    ours = envs.spec(env_id)
    assert ours.max_episode_steps == theirs.max_episode_steps
    assert envs.registration.reward_threshold(env_id) == theirs.reward_threshold
    env = envs.make(env_id)
    assert env.max_episode_steps == theirs.max_episode_steps
    env.reset(seed=0)
    env.step(env.action_space.sample())


def test_builtin_kwargs_reach_the_env():
    pendulum = envs.make("Pendulum-v1", g=9.81)
    assert pendulum.spec.kwargs == {"g": 9.81}
    car = envs.make("MountainCar-v0", goal_velocity=0.1)
    assert car.spec.kwargs["goal_velocity"] == 0.1
