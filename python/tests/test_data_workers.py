"""DataLoader with worker processes: in-order delivery, per-worker seeding, IterableDataset
sharding through get_worker_info, batches in shared memory mapped without copies, a worker's
exception re-raised with its traceback, timeout, no child process left after an exception,
KeyboardInterrupt or an early break, persistent workers, and the spawn start method. Datasets
stay tiny: CI has two cores."""
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from ember.utils.data import DataLoader, Dataset, IterableDataset, TensorDataset, get_worker_info

import ember

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX processes")


class Identity(Dataset):
    def __init__(self, n):
        self.n = n

    def __getitem__(self, index):
        return ember.tensor([index, os.getpid()])

    def __len__(self):
        return self.n


class RandomDraws(Dataset):
    """Draws from ember's, Python's and NumPy's generators and says which worker drew them."""

    def __getitem__(self, index):
        info = get_worker_info()
        return (ember.rand(1).item(), random.random(), float(np.random.rand()), info.id,
                info.seed, info.num_workers)

    def __len__(self):
        return 4


class Shards(IterableDataset):
    """0..n-1 split between the workers by get_worker_info."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))

    def __len__(self):
        return self.n


class WorkerError(Exception):
    pass


class FailsAt(Dataset):
    def __init__(self, bad_index, error=WorkerError):
        self.bad_index, self.error = bad_index, error

    def __getitem__(self, index):
        if index == self.bad_index:
            raise self.error(f"sample {index} is broken")
        return index

    def __len__(self):
        return 8


class Slow(Dataset):
    def __getitem__(self, index):
        time.sleep(3)
        return index

    def __len__(self):
        return 4


class Exits(Dataset):
    def __getitem__(self, index):
        os._exit(3)

    def __len__(self):
        return 4


def children_gone(pids, wait=5.0):
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if _running(pid)]
        if not alive:
            return True
        time.sleep(0.05)
    return False


def _running(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def worker_pids(iterator):
    return [worker.pid for worker in iterator._workers]


def test_batches_arrive_in_sampler_order_from_all_workers():
    loader = DataLoader(Identity(10), batch_size=2, num_workers=2)
    batches = list(loader)
    assert [batch[:, 0].tolist() for batch in batches] == [[0, 1], [2, 3], [4, 5], [6, 7],
                                                           [8, 9]]
    pids = {int(batch[0, 1]) for batch in batches}
    assert len(pids) == 2 and os.getpid() not in pids


def test_shuffled_order_matches_the_single_process_loader():
    dataset = TensorDataset(ember.arange(12))
    ember.manual_seed(5)
    single = [batch[0].tolist() for batch in DataLoader(dataset, batch_size=3, shuffle=True)]
    ember.manual_seed(5)
    multi = [batch[0].tolist() for batch in DataLoader(dataset, batch_size=3, shuffle=True,
                                                       num_workers=2)]
    assert multi == single


def test_batches_come_through_shared_memory_without_copies():
    loader = DataLoader(TensorDataset(ember.arange(64.0).reshape(16, 4)), batch_size=8,
                        num_workers=1)
    batch = next(iter(loader))[0]
    assert batch.tolist() == ember.arange(32.0).reshape(8, 4).tolist()
    address = batch.data_ptr()
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    mapping = [region for region in regions
               if int(region[0].split("-")[0], 16) <= address < int(region[0].split("-")[1], 16)]
    assert mapping and "ember-dataloader" in mapping[0][-2], mapping
    # The main process unlinked the file: nothing is left behind.
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    if shm:
        assert not [name for name in os.listdir(shm)
                    if name.startswith(f"ember-dataloader-{os.getpid()}-")]


def test_seeds_differ_per_worker_and_follow_manual_seed():
    def draws():
        ember.manual_seed(11)
        loader = DataLoader(RandomDraws(), batch_size=None, num_workers=2)
        return list(loader)

    first = draws()
    assert draws() == first
    by_worker = {sample[3]: sample for sample in first}
    assert set(by_worker) == {0, 1}
    assert by_worker[1][4] == by_worker[0][4] + 1
    for column in range(3):
        assert by_worker[0][column] != by_worker[1][column]
    ember.manual_seed(11)
    base_seed = int(ember.empty((), dtype=ember.int64).random_().item())
    assert by_worker[0][4] == base_seed and by_worker[0][5] == 2


def test_loader_generator_sets_the_base_seed():
    generator = ember.Generator().manual_seed(3)
    seeds = [sample[4] for sample in DataLoader(RandomDraws(), batch_size=None, num_workers=1,
                                                generator=generator)]
    expected = ember.empty((), dtype=ember.int64).random_(
        generator=ember.Generator().manual_seed(3)).item()
    assert seeds == [expected] * 4


def test_iterable_dataset_sharded_by_worker_info():
    loader = DataLoader(Shards(7), batch_size=2, num_workers=2)
    values = sorted(value for batch in loader for value in batch.tolist())
    assert values == list(range(7))
    loader = DataLoader(Shards(7), batch_size=None, num_workers=2)
    assert sorted(item for item in loader) == list(range(7))


def _record_worker(worker_id):
    info = get_worker_info()
    assert info.id == worker_id
    info.dataset.initialised_by = worker_id


class Initialised(Dataset):
    initialised_by = None

    def __getitem__(self, index):
        return self.initialised_by

    def __len__(self):
        return 4


def test_worker_init_fn_runs_in_each_worker():
    loader = DataLoader(Initialised(), batch_size=None, num_workers=2,
                        worker_init_fn=_record_worker)
    assert list(loader) == [0, 1, 0, 1]


def test_worker_exception_is_reraised_with_its_type_and_traceback():
    loader = DataLoader(FailsAt(5), batch_size=2, num_workers=2)
    iterator = iter(loader)
    pids = worker_pids(iterator)
    with pytest.raises(WorkerError) as caught:
        for _ in iterator:
            pass
    message = str(caught.value)
    assert "in DataLoader worker process 0" in message
    assert "sample 5 is broken" in message and "Traceback" in message and "__getitem__" in message
    del iterator, caught
    assert children_gone(pids)


def test_key_error_from_a_worker_stays_a_key_error():
    with pytest.raises(KeyError, match="in DataLoader worker process"):
        list(DataLoader(FailsAt(0, KeyError), num_workers=1))


def _fail_to_initialise(worker_id):
    raise ValueError(f"worker {worker_id} cannot start")


def test_worker_init_fn_exception_is_reraised():
    with pytest.raises(ValueError, match="worker 0 cannot start"):
        list(DataLoader(Identity(4), num_workers=1, worker_init_fn=_fail_to_initialise))


def test_unpicklable_exception_type_arrives_as_runtime_error():
    class LocalError(Exception):
        pass

    with pytest.raises(RuntimeError, match="Caught LocalError in DataLoader worker process 0"):
        list(DataLoader(FailsAt(1, LocalError), num_workers=1))


def test_timeout_raises_and_ends_the_workers():
    loader = DataLoader(Slow(), num_workers=1, timeout=0.5)
    iterator = iter(loader)
    pids = worker_pids(iterator)
    with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0.5 seconds"):
        next(iterator)
    assert children_gone(pids)


def test_a_dying_worker_is_reported():
    iterator = iter(DataLoader(Exits(), num_workers=1))
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited "
                                           "unexpectedly"):
        next(iterator)


def test_early_break_leaves_no_child_processes():
    pids = []
    for _ in DataLoader(Identity(40), batch_size=2, num_workers=2):
        pids = [child.pid for child in multiprocessing.active_children()]
        break
    assert len(pids) == 2 and children_gone(pids)


def test_keyboard_interrupt_leaves_no_child_processes():
    pids = []
    # Python keeps SIGINT ignored when it starts that way (a job started with & by a shell
    # without job control), so the test installs Python's own handler.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            for _ in DataLoader(Identity(40), batch_size=2, num_workers=2):
                pids = [child.pid for child in multiprocessing.active_children()]
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(1)  # the interrupt arrives here, as a user's Ctrl-C would
    finally:
        signal.signal(signal.SIGINT, previous)
    assert len(pids) == 2 and children_gone(pids)


def test_keyboard_interrupt_while_waiting_for_a_batch_ends_the_workers():
    iterator = iter(DataLoader(Slow(), num_workers=1))
    pids = worker_pids(iterator)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            next(iterator)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert children_gone(pids)


_KILLED_PARENT = """
import os, signal, sys
import ember
from ember.utils.data import DataLoader, TensorDataset
iterator = iter(DataLoader(TensorDataset(ember.arange(40)), batch_size=2, num_workers=2))
next(iterator)
print(os.getpid(), *(worker.pid for worker in iterator._workers), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_exit_when_the_main_process_is_killed():
    child = subprocess.run([sys.executable, "-c", _KILLED_PARENT], capture_output=True,
                           text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    parent, *pids = (int(pid) for pid in child.stdout.split())
    assert len(pids) == 2 and children_gone(pids, wait=10.0)
    # The workers removed the shared-memory batches that the dead process never received.
    if os.path.isdir("/dev/shm"):
        prefix = f"ember-dataloader-{parent}-"
        assert not [name for name in os.listdir("/dev/shm") if name.startswith(prefix)]


def test_persistent_workers_are_reused_across_epochs():
    loader = DataLoader(Identity(6), batch_size=2, num_workers=2, persistent_workers=True)
    first = list(loader)
    pids = worker_pids(loader._iterator)
    second = list(loader)
    assert worker_pids(loader._iterator) == pids
    assert [b[:, 0].tolist() for b in first] == [b[:, 0].tolist() for b in second]
    assert {int(b[0, 1]) for b in second} == set(pids)
    # An epoch ended early: the next one starts from the beginning.
    for _ in loader:
        break
    assert [b[:, 0].tolist() for b in loader] == [[0, 1], [2, 3], [4, 5]]
    iterable = DataLoader(Shards(5), batch_size=None, num_workers=2, persistent_workers=True)
    assert sorted(iterable) == list(range(5)) and sorted(iterable) == list(range(5))
    del loader._iterator
    assert children_gone(pids)


def test_prefetch_factor_and_len():
    loader = DataLoader(Identity(9), batch_size=2, num_workers=2, prefetch_factor=1)
    iterator = iter(loader)
    assert len(loader) == 5 and len(iterator) == 5 and len(list(iterator)) == 5


def test_spawn_start_method():
    dataset = TensorDataset(ember.arange(6.0))
    loader = DataLoader(dataset, batch_size=3, num_workers=1, multiprocessing_context="spawn")
    assert [batch[0].tolist() for batch in loader] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_non_tensor_and_odd_tensors_pass_through_workers():
    class_free = DataLoader(FailsAt(-1), batch_size=4, num_workers=1,
                            collate_fn=lambda batch: {"items": batch, "view": ember.arange(
                                10.0)[::2], "empty": ember.zeros(0), "bf16": ember.ones(
                                2, dtype=ember.bfloat16)})
    batch = next(iter(class_free))
    assert batch["items"] == [0, 1, 2, 3] and batch["view"].tolist() == [0.0, 2.0, 4.0, 6.0,
                                                                          8.0]
    assert batch["empty"].shape == (0,) and batch["bf16"].dtype == ember.bfloat16


class _FinalizedInChild:
    """Garbage in a reference cycle whose finalizer notes the process it ran in."""

    def __init__(self, marker):
        self.marker = marker
        self.cycle = self

    def __del__(self):
        with open(self.marker, "a") as out:
            out.write(f"{os.getpid()}\n")


class _CollectingDataset(Dataset):
    """Each item runs a full collection in the worker, as a busy worker's collector would."""

    def __getitem__(self, index):
        import gc

        gc.collect()
        return ember.tensor([index])

    def __len__(self):
        return 4


def test_a_forked_worker_never_finalizes_the_parents_garbage(tmp_path):
    # A cycle holding a C++ object with threads (a stream, a process group) must not have its
    # destructor run in a child, where those threads do not exist.
    import gc

    marker = tmp_path / "finalized"
    gc.disable()
    try:
        _FinalizedInChild(str(marker))  # garbage at once, collectable only by the collector
        batches = list(DataLoader(_CollectingDataset(), batch_size=2, num_workers=2,
                                  multiprocessing_context="fork"))
    finally:
        gc.enable()
    gc.collect()
    assert len(batches) == 2
    assert marker.read_text().split() == [str(os.getpid())]
