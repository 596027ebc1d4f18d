"""C++ and Python compute the same values: tests/cpp_api/distributions.cpp --print writes seeded
draws and log_prob/entropy/cdf/icdf of ember::distributions' Normal, Categorical and Bernoulli;
ember.distributions must reproduce them exactly (same C++ math, same generator). The C++ output is
recorded below; when the cpp_api program is built (ctest's cpp_api_build), it is also run and must
still print exactly the recording."""

import subprocess

import numpy as np
import pytest

import ember
import ember.distributions as dists

# Output of `tests/cpp_api/distributions --print`.
CPP_OUTPUT = [
    'normal_sample 0.48230146664949591 -2.1626878766222677 2.5115415078810317 1.410082785730538 -1.2955515938704625 -1.5596188707731127',  # noqa: E501
    'normal_log_prob -1.0439385332046727 -2.2257913526447273 -2.1120857137646181',
    'normal_entropy 1.4189385332046727 0.72579135264472738 2.1120857137646181',
    'normal_cdf 0.30853753872598688 0.97724986805182079 0.15865525393145707',
    'normal_icdf -0.78155156554460081 -1 4.5631031310892016',
    'categorical_sample 0 0 2 1 2 0 1 1',
    'categorical_log_prob -0.69314718055994529 -0.5108256237659905',
    'categorical_entropy 1.0296530140645737 0.89794572485677981',
    'bernoulli_sample 1 1 1 1 0 1 1 0 1',
    'bernoulli_log_prob -1.3132616875182228 -0.69314718055994529 -0.12692801104297249',
    'bernoulli_entropy 0.58220310888821791 0.69314718055994529 0.36533385508720784',
]


def _recorded():
    values = {}
    for line in CPP_OUTPUT:
        name, *numbers = line.split()
        values[name] = np.array([float(n) for n in numbers])
    return values


def _f64(values):
    return ember.tensor(values, dtype=ember.float64)


def _python_values():
    values = {}
    normal = dists.Normal(_f64([0.5, -1.0, 2.0]), _f64([1.0, 0.5, 2.0]))
    ember.manual_seed(123)
    values["normal_sample"] = normal.sample((2,))
    zeros = _f64([0.0, 0.0, 0.0])
    values["normal_log_prob"] = normal.log_prob(zeros)
    values["normal_entropy"] = normal.entropy()
    values["normal_cdf"] = normal.cdf(zeros)
    values["normal_icdf"] = normal.icdf(_f64([0.1, 0.5, 0.9]))
    categorical = dists.Categorical(_f64([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]))
    ember.manual_seed(123)
    values["categorical_sample"] = categorical.sample((4,))
    values["categorical_log_prob"] = categorical.log_prob(ember.tensor([2, 0]))
    values["categorical_entropy"] = categorical.entropy()
    bernoulli = dists.Bernoulli(logits=_f64([-1.0, 0.0, 2.0]))
    ember.manual_seed(123)
    values["bernoulli_sample"] = bernoulli.sample((3,))
    values["bernoulli_log_prob"] = bernoulli.log_prob(_f64([1.0, 0.0, 1.0]))
    values["bernoulli_entropy"] = bernoulli.entropy()
    return {name: value.to(ember.float64).reshape(-1).numpy() for name, value in values.items()}


def test_python_reproduces_the_cpp_values_exactly():
    recorded = _recorded()
    computed = _python_values()
    assert computed.keys() == recorded.keys()
    for name, value in computed.items():
        np.testing.assert_array_equal(value, recorded[name], err_msg=name)


def test_the_cpp_program_still_prints_the_recording(cpp_build_dir):
    program = cpp_build_dir / "tests" / "cpp_api" / "distributions" if cpp_build_dir else None
    if program is None or not program.is_file():
        pytest.skip("tests/cpp_api/distributions is not built (ctest's cpp_api_build builds it)")
    result = subprocess.run([str(program), "--print"], capture_output=True, text=True, check=True,
                            timeout=60)
    assert result.stdout.splitlines() == CPP_OUTPUT
