"""EnvSpec as Gymnasium's: reward_threshold, max_episode_steps, nondeterministic, entry_point and
kwargs on spec(id) and on env.spec after make; registry, pprint_registry and parse_env_id beside
Gymnasium's; `import ember` then `ember.env` without importing gymnasium."""
import subprocess
import sys

import gymnasium
import pytest

import ember


def test_builtin_specs_match_gymnasiums():
    for env_id in ("CartPole-v1", "MountainCar-v0", "Pendulum-v1", "Acrobot-v1"):
        ours = ember.env.spec(env_id)
        theirs = gymnasium.spec(env_id)
        assert ours.id == theirs.id
        assert ours.reward_threshold == theirs.reward_threshold
        assert ours.max_episode_steps == theirs.max_episode_steps
        assert ours.nondeterministic == theirs.nondeterministic
        env = ember.env.make(env_id)
        assert env.spec.reward_threshold == theirs.reward_threshold
        assert env.spec.max_episode_steps == theirs.max_episode_steps
        env.close()


def test_register_keeps_every_field_and_make_fills_env_spec():
    ember.env.register("test/Spec-v2", "ember.env:CartPoleEnv", max_episode_steps=17,
                       reward_threshold=3.5, nondeterministic=True,
                       kwargs={"sutton_barto_reward": True})
    try:
        spec = ember.env.spec("test/Spec-v2")
        assert (spec.id, spec.entry_point, spec.max_episode_steps) == (
            "test/Spec-v2", "ember.env:CartPoleEnv", 17)
        assert spec.reward_threshold == 3.5
        assert spec.nondeterministic is True
        assert spec.kwargs == {"sutton_barto_reward": True}
        assert ember.env.registry["test/Spec-v2"].reward_threshold == 3.5
        env = ember.env.make("test/Spec-v2", max_episode_steps=5)
        assert env.spec.max_episode_steps == 5
        assert env.spec.reward_threshold == 3.5
        assert env.spec.nondeterministic is True
        env.spec.reward_threshold = None
        assert env.spec.reward_threshold is None
    finally:
        ember._C._env.unregister_env("test/Spec-v2")
    assert "test/Spec-v2" not in ember.env.registry


def test_parse_env_id_is_gymnasiums():
    for env_id in ("CartPole-v1", "ns/My-Env-v10", "Plain", "a:b/c.d-v0"):
        assert ember.env.parse_env_id(env_id) == gymnasium.envs.registration.parse_env_id(env_id)
    with pytest.raises(ValueError, match=r"\[parse_env_id\] expected an id"):
        ember.env.parse_env_id("bad id with spaces")
    with pytest.raises(ValueError, match=r"\[parse_env_id\]"):
        ember.env.parse_env_id(3)


def test_pprint_registry_is_gymnasiums_layout(capsys):
    specs = {env_id: ember.env.spec(env_id) for env_id in ember.env.registry}
    gym_specs = {env_id: gymnasium.envs.registration.EnvSpec(
        env_id, entry_point=spec.entry_point) for env_id, spec in specs.items()}
    for columns in (1, 3):
        text = ember.env.pprint_registry(specs, num_cols=columns, disable_print=True)
        assert text == gymnasium.pprint_registry(gym_specs, num_cols=columns,
                                                 disable_print=True)
    assert ember.env.pprint_registry(exclude_namespaces=["env"], disable_print=True) == ""
    assert ember.env.pprint_registry() is None
    assert "CartPole-v1" in capsys.readouterr().out
    with pytest.raises(ValueError, match=r"\[pprint_registry\] expected num_cols"):
        ember.env.pprint_registry(num_cols=0)


def test_ember_env_is_a_lazy_attribute_of_ember():
    code = ("import sys, ember; assert 'ember.env' not in sys.modules; "
            "e = ember.env; assert 'ember.env' in sys.modules and e.CartPoleEnv; "
            "assert 'gymnasium' not in sys.modules; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    with pytest.raises(AttributeError, match="no attribute 'not_a_submodule'"):
        ember.not_a_submodule  # noqa: B018
