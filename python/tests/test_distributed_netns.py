"""The 2-process Gloo test across two network namespaces joined by a veth pair: the ranks reach
each other only through the virtual link, as two machines would through a network. The test makes
the namespaces itself and skips where it may not (no root, no CAP_NET_ADMIN, no `ip`)."""
import os
import shutil
import subprocess
import sys
import textwrap
import uuid

import pytest

import ember.distributed as dist

pytestmark = pytest.mark.skipif(not dist.is_gloo_available(), reason="ember built without Gloo")

WORKER = textwrap.dedent("""
    import datetime, sys
    import ember
    import ember.distributed as dist

    rank = int(sys.argv[1])
    dist.init_process_group("gloo", init_method=sys.argv[2], rank=rank, world_size=2,
                            timeout=datetime.timedelta(seconds=20))
    tensor = ember.arange(4, dtype=ember.float32) + 10 * rank
    dist.all_reduce(tensor)
    gathered = [ember.zeros(2, dtype=ember.int64) for _ in range(2)]
    dist.all_gather(gathered, ember.full((2,), rank, dtype=ember.int64))
    dist.destroy_process_group()
    print(tensor.tolist(), [g.tolist() for g in gathered])
""")


def _run(*args):
    subprocess.run(args, check=True, capture_output=True, timeout=10)


@pytest.fixture
def two_namespaces():
    """Namespaces A (10.231.0.1) and B (10.231.0.2) joined by a veth pair; removed afterwards."""
    if shutil.which("ip") is None or os.geteuid() != 0:
        pytest.skip("needs root and iproute2 to make network namespaces")
    tag = uuid.uuid4().hex[:6]
    names = (f"emb_a{tag}", f"emb_b{tag}")
    links = (f"eva{tag}", f"evb{tag}")
    try:
        _run("ip", "netns", "add", names[0])
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as failure:
        pytest.skip(f"cannot make a network namespace here: {failure}")
    try:
        _run("ip", "netns", "add", names[1])
        _run("ip", "link", "add", links[0], "type", "veth", "peer", "name", links[1])
        for index, (name, link) in enumerate(zip(names, links)):
            _run("ip", "link", "set", link, "netns", name)
            _run("ip", "-n", name, "addr", "add", f"10.231.0.{index + 1}/24", "dev", link)
            _run("ip", "-n", name, "link", "set", link, "up")
            _run("ip", "-n", name, "link", "set", "lo", "up")
        yield names, links
    finally:
        for name in names:
            subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=10)


def test_two_ranks_in_two_network_namespaces_all_reduce_over_the_veth_link(two_namespaces):
    names, links = two_namespaces
    init_method = "tcp://10.231.0.1:29511"
    workers = []
    for rank, (name, link) in enumerate(zip(names, links)):
        env = dict(os.environ, GLOO_SOCKET_IFNAME=link)
        workers.append(subprocess.Popen(
            ["ip", "netns", "exec", name, sys.executable, "-c", WORKER, str(rank), init_method],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = []
    try:
        for worker in workers:
            out, err = worker.communicate(timeout=60)
            assert worker.returncode == 0, err
            outputs.append(out.strip())
    finally:
        for worker in workers:
            worker.kill()
    expected = "[10.0, 12.0, 14.0, 16.0] [[0, 0], [1, 1]]"
    assert outputs == [expected, expected]
