"""The loop of a DataLoader worker process, its WorkerInfo and the wrapper that carries a
worker's exception (with its traceback) to the main process."""
import os
import pickle
import queue
import random
import sys
import traceback

import ember
from ember.utils.data import _shared_memory

# How often (seconds) a waiting worker checks that the main process still lives, and a waiting
# main process that its workers do.
STATUS_CHECK_INTERVAL = 1.0

_worker_info = None


class WorkerInfo:
    """What a worker process knows about itself: id, num_workers, seed and its dataset copy."""

    def __init__(self, **fields):
        self.__keys = tuple(fields)
        for key, value in fields.items():
            setattr(self, key, value)
        self.__initialized = True

    def __setattr__(self, key, value):
        if getattr(self, "_WorkerInfo__initialized", False):
            raise RuntimeError(f"Cannot assign attributes to {self.__class__.__name__} objects")
        super().__setattr__(key, value)

    def __repr__(self):
        fields = ", ".join(f"{key}={getattr(self, key)}" for key in self.__keys)
        return f"{self.__class__.__name__}({fields})"


def get_worker_info():
    """In a DataLoader worker process its WorkerInfo (id, num_workers, seed, dataset); None in
    the main process."""
    return _worker_info


class ExceptionWrapper:
    """An exception caught in a worker, with its formatted traceback, re-raised by reraise()
    in the main process as the same type when that type takes a message."""

    def __init__(self, exc_info, where):
        exc_type, exc_value, exc_traceback = exc_info
        self.exc_type_name = exc_type.__name__
        try:
            self.exc_type = exc_type if _picklable(exc_type) else RuntimeError
        except Exception:  # noqa: BLE001 - any failure to pickle the type falls back to RuntimeError
            self.exc_type = RuntimeError
        self.exc_msg = "".join(traceback.format_exception(exc_type, exc_value, exc_traceback))
        self.where = where

    def reraise(self):
        message = (f"Caught {self.exc_type_name} {self.where}.\nOriginal {self.exc_msg}")
        if self.exc_type is KeyError:
            message = _KeyErrorMessage(message)
        try:
            error = self.exc_type(message)
        except Exception:  # noqa: BLE001 - a type that takes no message: raise a RuntimeError
            raise RuntimeError(message) from None
        raise error


class _KeyErrorMessage(str):
    """KeyError shows repr() of its argument: keep the traceback readable."""

    def __repr__(self):
        return self


def _picklable(exc_type):
    return pickle.loads(pickle.dumps(exc_type)) is exc_type


class IterableDatasetStopIteration:
    """A worker's note that its iterable dataset is exhausted."""

    def __init__(self, worker_id):
        self.worker_id = worker_id


def _seed_worker(seed, worker_id, base_seed):
    # One thread per worker, as PyTorch's: the workers already use the cores.
    ember.set_num_threads(1)
    ember.manual_seed(seed)
    random.seed(seed)
    import numpy as np  # here: `import ember` does not pay for NumPy

    np.random.seed(np.random.SeedSequence([worker_id, base_seed]).generate_state(4))


def _fetch(dataset, iterator, indices, auto_collation, collate_fn):
    if iterator is not None:
        if auto_collation:
            data = []
            for _ in indices:
                try:
                    data.append(next(iterator))
                except StopIteration:
                    break
            if not data or (len(data) < len(indices) and indices.drop_last):
                raise StopIteration
        else:
            data = next(iterator)
        return collate_fn(data)
    if auto_collation:
        if callable(getattr(dataset, "__getitems__", None)):
            data = dataset.__getitems__(indices)
        else:
            data = [dataset[index] for index in indices]
    else:
        data = dataset[indices]
    return collate_fn(data)


class ResumeIteration:
    """Sent to persistent workers at the start of an epoch: restart the dataset's iterator and
    answer with this object, after every result of the previous epoch."""


class IterableBatch(list):
    """The slots of one batch of an iterable dataset (how many samples to take) and whether a
    short last batch is dropped."""

    def __init__(self, size, drop_last):
        super().__init__(range(size))
        self.drop_last = drop_last


def worker_loop(dataset, is_iterable, index_queue, result_queue, done_event, auto_collation,
                collate_fn, base_seed, worker_init_fn, worker_id, num_workers, segment_prefix,
                parent_pid):
    """Fetches the batches named on index_queue and puts (task index, batch or
    ExceptionWrapper) on result_queue until it receives None or the main process dies."""
    global _worker_info
    try:
        _shared_memory.enable_in_worker(f"{segment_prefix}{worker_id}-")
        seed = base_seed + worker_id
        _seed_worker(seed, worker_id, base_seed)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed,
                                  dataset=dataset)
        init_error = None
        try:
            if worker_init_fn is not None:
                worker_init_fn(worker_id)
            iterator = iter(dataset) if is_iterable else None
        except Exception:  # noqa: BLE001 - re-raised in the main process
            init_error = ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process "
                                          f"{worker_id}")
        exhausted = False
        while True:
            try:
                task = index_queue.get(timeout=STATUS_CHECK_INTERVAL)
            except queue.Empty:
                if os.getppid() != parent_pid or done_event.is_set():
                    break
                continue
            if task is None:
                break
            if isinstance(task, ResumeIteration):
                exhausted = False
                if init_error is None and is_iterable:
                    try:
                        iterator = iter(dataset)
                    except Exception:  # noqa: BLE001 - re-raised in the main process
                        init_error = ExceptionWrapper(sys.exc_info(), f"in DataLoader worker "
                                                      f"process {worker_id}")
                result_queue.put((None, task))
                continue
            if done_event.is_set() or exhausted:
                continue
            task_index, indices = task
            if init_error is not None:
                result, init_error = init_error, None
                exhausted = is_iterable
            else:
                try:
                    result = _fetch(dataset, iterator, indices, auto_collation, collate_fn)
                except StopIteration:
                    result = IterableDatasetStopIteration(worker_id)
                    exhausted = True
                except Exception:  # noqa: BLE001 - re-raised in the main process
                    result = ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process "
                                              f"{worker_id}")
            result_queue.put((task_index, result))
            del result
    except KeyboardInterrupt:
        pass  # the main process handles the interrupt and ends the workers
    if done_event.is_set() or os.getppid() != parent_pid:
        # Nobody will read what is still queued: exit without waiting to flush it.
        result_queue.cancel_join_thread()
        result_queue.close()
    if os.getppid() != parent_pid:
        _shared_memory.remove_leftovers(f"{segment_prefix}{worker_id}-")
