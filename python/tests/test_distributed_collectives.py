"""Every collective of ember.distributed against a local computation, on 2 and 3 processes, for
Gloo (through the launcher) and MPI (under mpirun, when this build has it); async_op, the object
collectives, new_group and the three init methods. Each worker checks its own results (every
rank knows every rank's input) and returns the list of mismatches, which must be empty."""

import datetime
import math
import os

import pytest
from distributed_harness import launch, mpirun_path

import ember
import ember.distributed as dist

N = 4


def backends():
    params = [pytest.param("gloo", marks=pytest.mark.skipif(
        not dist.is_gloo_available(), reason="this build has no Gloo"))]
    params.append(pytest.param("mpi", marks=pytest.mark.skipif(
        not dist.is_mpi_available() or mpirun_path() is None,
        reason="this build has no MPI or mpirun is missing")))
    return params


def _via(backend):
    return "mpirun" if backend == "mpi" else "launcher"


def _values(rank):
    return [float(i * (rank + 1) + rank) for i in range(N)]


def _input(rank):
    return ember.tensor(_values(rank), dtype=ember.float32)


class _Checks:
    def __init__(self):
        self.failures = []

    def equal(self, name, got, expected):
        if got != expected:
            self.failures.append(f"rank {dist.get_rank()} {name}: got {got}, expected {expected}")

    def close(self, name, got, expected):
        if len(got) != len(expected) or any(
                not math.isclose(a, b, rel_tol=1e-6) for a, b in zip(got, expected)):
            self.failures.append(f"rank {dist.get_rank()} {name}: got {got}, expected {expected}")


def _init(backend, init="env", path=None):
    timeout = datetime.timedelta(seconds=30)
    if backend == "mpi":
        dist.init_process_group("mpi", timeout=timeout)
    elif init == "env":
        dist.init_process_group(backend, timeout=timeout)
    elif init == "tcp":
        url = f"tcp://{os.environ['MASTER_ADDR']}:{os.environ['MASTER_PORT']}"
        dist.init_process_group(backend, init_method=url, rank=int(os.environ["RANK"]),
                                world_size=int(os.environ["WORLD_SIZE"]), timeout=timeout)
    elif init == "file":
        dist.init_process_group(backend, init_method=f"file://{path}",
                                rank=int(os.environ["RANK"]),
                                world_size=int(os.environ["WORLD_SIZE"]), timeout=timeout)
    elif init == "store":
        rank = int(os.environ["RANK"])
        store = dist.TCPStore(os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"]),
                              int(os.environ["WORLD_SIZE"]), rank == 0, timeout=timeout)
        dist.init_process_group(backend, store=store, rank=rank,
                                world_size=int(os.environ["WORLD_SIZE"]), timeout=timeout)


def worker_reductions(backend):
    _init(backend)
    check = _Checks()
    rank, size = dist.get_rank(), dist.get_world_size()
    every = [_values(r) for r in range(size)]
    columns = list(zip(*every))
    expected = {
        dist.ReduceOp.SUM: [sum(c) for c in columns],
        dist.ReduceOp.AVG: [sum(c) / size for c in columns],
        dist.ReduceOp.PRODUCT: [math.prod(c) for c in columns],
        dist.ReduceOp.MIN: [min(c) for c in columns],
        dist.ReduceOp.MAX: [max(c) for c in columns],
    }
    for op, want in expected.items():
        tensor = _input(rank)
        assert dist.all_reduce(tensor, op=op) is None
        check.close(f"all_reduce {op}", tensor.tolist(), want)
    integers = ember.tensor([rank + 1, 2 * rank], dtype=ember.int64)
    dist.all_reduce(integers)
    check.equal("all_reduce int64", integers.tolist(),
                [sum(r + 1 for r in range(size)), sum(2 * r for r in range(size))])

    dst = size - 1
    tensor = _input(rank)
    dist.reduce(tensor, dst=dst, op=dist.ReduceOp.MAX)
    check.close("reduce", tensor.tolist(), expected[dist.ReduceOp.MAX] if rank == dst
                else _values(rank))

    output = ember.zeros(N, dtype=ember.float32)
    dist.reduce_scatter(output, [_input(rank) + j for j in range(size)])
    check.close("reduce_scatter", output.tolist(),
                [sum(every[r][i] + rank for r in range(size)) for i in range(N)])

    output = ember.zeros(N, dtype=ember.float32)
    dist.reduce_scatter_tensor(output, ember.cat([_input(rank) * (j + 1) for j in range(size)]),
                               op=dist.ReduceOp.SUM)
    check.close("reduce_scatter_tensor", output.tolist(),
                [sum(every[r][i] * (rank + 1) for r in range(size)) for i in range(N)])
    dist.barrier()
    dist.destroy_process_group()
    return check.failures


def worker_data_movement(backend):
    _init(backend)
    check = _Checks()
    rank, size = dist.get_rank(), dist.get_world_size()
    every = [_values(r) for r in range(size)]

    tensor = _input(rank)
    dist.broadcast(tensor, src=size - 1)
    check.equal("broadcast", tensor.tolist(), every[size - 1])

    outputs = [ember.zeros(N, dtype=ember.float32) for _ in range(size)]
    dist.all_gather(outputs, _input(rank))
    check.equal("all_gather", [t.tolist() for t in outputs], every)

    output = ember.zeros(size * N, dtype=ember.float32)
    dist.all_gather_into_tensor(output, _input(rank))
    check.equal("all_gather_into_tensor", output.tolist(), [v for values in every for v in values])

    dst = 1
    gathered = [ember.zeros(N, dtype=ember.float32) for _ in range(size)] if rank == dst else None
    dist.gather(_input(rank), gathered, dst=dst)
    if rank == dst:
        check.equal("gather", [t.tolist() for t in gathered], every)

    received = ember.zeros(2, dtype=ember.float32)
    pieces = [ember.full((2,), 100.0 + j) for j in range(size)] if rank == 0 else None
    dist.scatter(received, pieces, src=0)
    check.equal("scatter", received.tolist(), [100.0 + rank] * 2)

    outputs = [ember.zeros(2, dtype=ember.float32) for _ in range(size)]
    dist.all_to_all(outputs, [ember.full((2,), 10.0 * rank + j) for j in range(size)])
    check.equal("all_to_all", [t.tolist() for t in outputs],
                [[10.0 * s + rank] * 2 for s in range(size)])

    output = ember.zeros(size * 2, dtype=ember.float32)
    dist.all_to_all_single(output, ember.arange(size * 2, dtype=ember.float32) + 100 * rank)
    check.equal("all_to_all_single", output.tolist(),
                [100.0 * s + 2 * rank + k for s in range(size) for k in range(2)])

    # Uneven splits: rank r sends j + 1 elements to rank j, so it receives rank + 1 from each.
    send_sizes = [j + 1 for j in range(size)]
    source = ember.arange(sum(send_sizes), dtype=ember.float32) + 1000 * rank
    output = ember.zeros((rank + 1) * size, dtype=ember.float32)
    dist.all_to_all_single(output, source, [rank + 1] * size, send_sizes)
    offset = sum(range(1, rank + 1))
    check.equal("all_to_all_single uneven", output.tolist(),
                [1000.0 * s + offset + k for s in range(size) for k in range(rank + 1)])
    dist.destroy_process_group()
    return check.failures


def worker_point_to_point_and_async(backend):
    _init(backend)
    check = _Checks()
    rank, size = dist.get_rank(), dist.get_world_size()

    # A ring with isend/irecv.
    outgoing = _input(rank)
    incoming = ember.zeros(N, dtype=ember.float32)
    works = [dist.isend(outgoing, (rank + 1) % size), dist.irecv(incoming, (rank - 1) % size)]
    for work in works:
        assert work.wait() is True
        check.equal("isend/irecv completed", work.is_completed(), True)
    check.equal("ring", incoming.tolist(), _values((rank - 1) % size))

    # Blocking send/recv, the receiver naming no source.
    if rank == 0:
        dist.send(ember.full((3,), 7.0), dst=1, tag=5)
    elif rank == 1:
        buffer = ember.zeros(3)
        sender = dist.recv(buffer, tag=5)
        check.equal("recv from any", (sender, buffer.tolist()), (0, [7.0] * 3))

    tensor = _input(rank)
    work = dist.all_reduce(tensor, async_op=True)
    work.wait(timeout=datetime.timedelta(seconds=20))
    check.equal("async all_reduce", (work.is_completed(), work.is_success(), work.exception()),
                (True, True, None))
    check.close("async all_reduce value", tensor.tolist(),
                [sum(_values(r)[i] for r in range(size)) for i in range(N)])
    check.equal("async result", [t.tolist() for t in work.result()], [tensor.tolist()])
    works = [dist.broadcast(_input(rank), src=0, async_op=True),
             dist.barrier(async_op=True)]
    for work in works:
        work.wait()
    dist.destroy_process_group()
    return check.failures


def worker_objects(backend):
    _init(backend)
    check = _Checks()
    rank, size = dist.get_rank(), dist.get_world_size()
    objects = [{"step": 3, "name": "ckpt", "weights": ember.ones(2)}, [1, 2.5, None], "x"] \
        if rank == 0 else [None, None, None]
    dist.broadcast_object_list(objects, src=0)
    check.equal("broadcast_object_list", (objects[0]["step"], objects[0]["name"],
                                          objects[0]["weights"].tolist(), objects[1:]),
                (3, "ckpt", [1.0, 1.0], [[1, 2.5, None], "x"]))

    gathered = [None] * size
    dist.all_gather_object(gathered, {"rank": rank, "text": "r" * (rank + 1)})
    check.equal("all_gather_object", gathered,
                [{"rank": r, "text": "r" * (r + 1)} for r in range(size)])

    gathered = [None] * size if rank == 0 else None
    dist.gather_object((rank, rank * 2), gathered, dst=0)
    if rank == 0:
        check.equal("gather_object", gathered, [(r, 2 * r) for r in range(size)])

    output = [None]
    dist.scatter_object_list(output, [f"item {j}" * (j + 1) for j in range(size)]
                             if rank == 0 else None, src=0)
    check.equal("scatter_object_list", output[0], f"item {rank}" * (rank + 1))

    if rank == 0:
        try:
            dist.broadcast_object_list([object()], src=0)
            check.failures.append("broadcast_object_list of an object() did not raise")
        except TypeError:
            pass
    dist.destroy_process_group()
    return check.failures


def worker_groups(backend):
    _init(backend)
    check = _Checks()
    rank, size = dist.get_rank(), dist.get_world_size()
    members = [0, size - 1]
    group = dist.new_group(members)
    if rank in members:
        check.equal("group rank/size", (dist.get_rank(group), dist.get_world_size(group)),
                    (members.index(rank), 2))
        tensor = ember.tensor([float(rank)])
        dist.all_reduce(tensor, group=group)
        check.equal("group all_reduce", tensor.tolist(), [float(sum(members))])
        tensor = ember.tensor([float(rank)])
        dist.broadcast(tensor, src=size - 1, group=group)
        check.equal("group broadcast from a global rank", tensor.tolist(), [float(size - 1)])
        check.equal("group ranks", dist.get_process_group_ranks(group), members)
    else:
        check.equal("non-member", (group, dist.get_rank(group), dist.get_world_size(group),
                                   dist.all_reduce(ember.ones(1), group=group)),
                    (dist.GroupMember.NON_GROUP_MEMBER, -1, -1, None))
    check.equal("WORLD", (dist.group.WORLD.size(), dist.GroupMember.WORLD.rank()), (size, rank))
    check.equal("backend", dist.get_backend(), backend)
    dist.barrier()
    dist.destroy_process_group()
    check.equal("destroyed", dist.is_initialized(), False)
    return check.failures


WORKERS = ["worker_reductions", "worker_data_movement", "worker_point_to_point_and_async",
           "worker_objects", "worker_groups"]


@pytest.mark.parametrize("nproc", [2, 3])
@pytest.mark.parametrize("backend", backends())
@pytest.mark.parametrize("worker", WORKERS)
def test_collectives_match_local_computation(worker, backend, nproc):
    job = launch(f"test_distributed_collectives:{worker}", nproc, via=_via(backend),
                 kwargs={"backend": backend}, timeout=90)
    assert len(job.results) == nproc, job.output
    for rank in range(nproc):
        assert job.value(rank) == [], job.output


def worker_init_method(init, path=None):
    _init("gloo", init, path)
    tensor = ember.ones(2) * (dist.get_rank() + 1)
    dist.all_reduce(tensor)
    result = (dist.get_rank(), dist.get_world_size(), tensor.tolist())
    dist.destroy_process_group()
    return result


@pytest.mark.skipif(not dist.is_gloo_available(), reason="this build has no Gloo")
@pytest.mark.parametrize("init", ["env", "tcp", "file", "store"])
def test_init_methods(init, tmp_path):
    job = launch("test_distributed_collectives:worker_init_method", 3, via="env", timeout=60,
                 kwargs={"init": init, "path": str(tmp_path / "rendezvous")})
    assert job.values() == [[r, 3, [6.0, 6.0]] for r in range(3)]
