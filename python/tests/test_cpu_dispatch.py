"""The run-time SIMD dispatch seen from Python: EMBER_CPU_CAPABILITY picks the kernel table (read
once, so each setting runs in a fresh interpreter), and every table computes the same values."""
import os
import pathlib
import subprocess
import sys

import pytest

SCRIPT = """
import ember
x = ember.arange(100003, dtype=ember.float32) / 1000.0
print(ember._C._cpu_capability())
print(repr(x.sum().item()), repr(x.exp().sum().item()), x.argmax().item(),
      repr(ember.matmul(x[:4096].reshape(64, 64), x[:4096].reshape(64, 64)).sum().item()))
"""


def run_with(capability):
    env = dict(os.environ)
    env.pop("EMBER_CPU_CAPABILITY", None)
    if capability is not None:
        env["EMBER_CPU_CAPABILITY"] = capability
    return subprocess.run([sys.executable, "-c", SCRIPT], check=False, env=env,
                          capture_output=True, text=True, timeout=120)


def test_default_is_the_widest_supported():
    import ember

    cpuinfo = pathlib.Path("/proc/cpuinfo")
    flags = cpuinfo.read_text() if cpuinfo.exists() else ""
    if "avx512f" in flags and "avx512bw" in flags and "avx512dq" in flags and "avx512vl" in flags:
        expected = "avx512"
    elif " avx2" in flags and " fma" in flags:
        expected = "avx2"
    else:
        expected = "default"
    if "EMBER_CPU_CAPABILITY" not in os.environ:
        assert ember._C._cpu_capability() == expected


def test_override_picks_the_table_and_values_agree():
    native = run_with(None)
    assert native.returncode == 0, native.stderr
    native_capability, native_values = native.stdout.split("\n", 1)
    for capability in ("default", "avx2"):
        forced = run_with(capability)
        assert forced.returncode == 0, forced.stderr
        name, values = forced.stdout.split("\n", 1)
        expected_name = capability if (capability == "default" or native_capability != "default") \
            else "default"
        assert name == expected_name
        # Reductions split work by shape alone, so their bits agree on every table.
        sum_value, exp_sum, argmax, _ = values.split()
        native_sum, native_exp_sum, native_argmax, _ = native_values.split()
        assert sum_value == native_sum
        assert argmax == native_argmax
        assert float(exp_sum) == pytest.approx(float(native_exp_sum), rel=1e-5)


def test_unknown_capability_raises_value_error():
    result = run_with("avx1024")
    assert result.returncode != 0
    assert "ValueError" in result.stderr and "EMBER_CPU_CAPABILITY" in result.stderr
