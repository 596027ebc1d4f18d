"""DataLoader as torch.utils.data's: batches of a dataset from the main process (num_workers=0)
or from worker processes, delivered in sampler order. A worker's batches reach the main process
through shared memory (_shared_memory), its exceptions with their tracebacks (_worker)."""
import contextlib
import gc
import itertools
import multiprocessing
import queue
import warnings
from collections.abc import Mapping

import ember
from ember.utils.data import _shared_memory, _worker
from ember.utils.data._collate import default_collate, default_convert
from ember.utils.data.dataset import IterableDataset
from ember.utils.data.sampler import BatchSampler, RandomSampler, SequentialSampler, _draw_seed

_loader_tokens = itertools.count()

# Seconds a shutting-down worker gets to exit before it is terminated.
_JOIN_TIMEOUT = 2.0


class _InfiniteBatches:
    """The 'indices' of an iterable dataset: how many samples each batch takes (forever)."""

    def __init__(self, batch_size, drop_last):
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        while True:
            yield (None if self.batch_size is None
                   else _worker.IterableBatch(self.batch_size, self.drop_last))


class DataLoader:
    """Iterates over batches of dataset: samples chosen by sampler (or batch_sampler), merged
    by collate_fn, fetched in num_workers processes (0: in this process)."""

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device=""):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in "
                             "multiprocessing.let num_workers > 0 to enable multiprocessing, "
                             "otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        if prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context

        if isinstance(dataset, IterableDataset):
            self._is_iterable = True
            if shuffle not in (False, None):
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                                 f"option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                                 f"option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        else:
            self._is_iterable = False
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None and not self._is_iterable:
            sampler = (RandomSampler(dataset, generator=generator) if shuffle
                       else SequentialSampler(dataset))
        if batch_size is not None and batch_sampler is None and not self._is_iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._iterator = None
        self.__initialized = True

    _FROZEN_AFTER_INIT = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                          "persistent_workers")

    def __setattr__(self, name, value):
        if getattr(self, "_DataLoader__initialized", False) and name in self._FROZEN_AFTER_INIT:
            raise ValueError(f"{name} attribute should not be set after "
                             f"{self.__class__.__name__} is initialized")
        super().__setattr__(name, value)

    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context):
        if context is not None and self.num_workers > 0:
            if isinstance(context, str):
                methods = multiprocessing.get_all_start_methods()
                if context not in methods:
                    raise ValueError("multiprocessing_context option should specify a valid "
                                     f"start method in {methods!r}, but got "
                                     f"multiprocessing_context={context!r}")
                context = multiprocessing.get_context(context)
            elif not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError("multiprocessing_context option should be a valid context "
                                "object or a string specifying the start method, but got "
                                f"multiprocessing_context={context}")
        self.__multiprocessing_context = context

    @property
    def _auto_collation(self):
        return self.batch_size is not None or self.batch_sampler is not None

    @property
    def _index_sampler(self):
        if self._is_iterable:
            return _InfiniteBatches(self.batch_size, self.drop_last)
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self):
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = _MultiProcessingIterator(self)
            else:
                self._iterator._reset(self)
            return self._iterator
        if self.num_workers == 0:
            return _SingleProcessIterator(self)
        return _MultiProcessingIterator(self)

    def __len__(self):
        if self._is_iterable:
            length = len(self.dataset)
            if self.batch_size is not None:
                if self.drop_last:
                    return length // self.batch_size
                return -(-length // self.batch_size)
            return length
        return len(self._index_sampler)


def _pin(data):
    """A batch with its tensors in pinned host memory, nested alike (PyTorch's pin_memory rules:
    mappings, named tuples, sequences, and any object with a pin_memory() method)."""
    if isinstance(data, ember.Tensor) or (hasattr(data, "pin_memory")
                                          and not isinstance(data, (str, bytes))):
        return data.pin_memory()
    if isinstance(data, Mapping):
        return type(data)({key: _pin(value) for key, value in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(_pin(part) for part in data))
    if isinstance(data, (tuple, list)):
        return type(data)(_pin(part) for part in data)
    return data


class _BaseIterator:
    def __init__(self, loader):
        # Pinned batches make host-to-device copies asynchronous; without a CUDA device there is
        # nothing to pin for, and PyTorch warns and goes on unpinned.
        self._pin_memory = loader.pin_memory and ember.cuda.is_available()
        if loader.pin_memory and not self._pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", stacklevel=3)
        self._dataset = loader.dataset
        self._is_iterable = loader._is_iterable
        self._auto_collation = loader._auto_collation
        self._collate_fn = loader.collate_fn
        self._timeout = loader.timeout
        self._generator = loader.generator
        self._loader_length = loader.__len__
        self._reset(loader)

    def _reset(self, loader):
        self._sampler_iter = iter(loader._index_sampler)
        self._num_yielded = 0
        # One draw per epoch from the loader's generator, as PyTorch's: the workers' seeds.
        self._base_seed = _draw_seed(loader.generator)

    def __iter__(self):
        return self

    def _next_index(self):
        return next(self._sampler_iter)

    def __next__(self):
        data = self._next_data()
        if self._pin_memory:
            data = _pin(data)
        self._num_yielded += 1
        return data

    def __len__(self):
        return self._loader_length()


class _SingleProcessIterator(_BaseIterator):
    def __init__(self, loader):
        super().__init__(loader)
        self._dataset_iter = iter(self._dataset) if self._is_iterable else None

    def _next_data(self):
        indices = self._next_index()
        return _worker._fetch(self._dataset, self._dataset_iter, indices, self._auto_collation,
                              self._collate_fn)


class _MultiProcessingIterator(_BaseIterator):
    def __init__(self, loader):
        self._shutdown = True  # until the workers exist
        self._num_workers = loader.num_workers
        self._prefetch_factor = loader.prefetch_factor
        self._persistent_workers = loader.persistent_workers
        super().__init__(loader)
        context = loader.multiprocessing_context or multiprocessing.get_context()
        self._segment_prefix = _shared_memory.loader_prefix(next(_loader_tokens))
        self._done_event = context.Event()
        self._result_queue = context.Queue()
        self._index_queues = []
        self._workers = []
        self._shutdown = False
        parent_pid = multiprocessing.current_process().pid
        # A forked worker must not collect the parent's garbage: a cycle holding a C++ object that
        # owns threads (a stream, a process group, a vector env) would run its destructor in a
        # child where those threads do not exist (seen as "terminate called after throwing an
        # instance of 'std::system_error'"). Objects frozen before the fork stay out of the
        # child's collections (Python's gc.freeze advice for fork); the parent unfreezes at once.
        gc.freeze()
        try:
            self._start_workers(context, loader, parent_pid)
        finally:
            gc.unfreeze()
        self._start_epoch(first=True)

    def _start_workers(self, context, loader, parent_pid):
        for worker_id in range(self._num_workers):
            index_queue = context.Queue()
            index_queue.cancel_join_thread()
            worker = context.Process(
                target=_worker.worker_loop,
                args=(self._dataset, self._is_iterable, index_queue, self._result_queue,
                      self._done_event, self._auto_collation, self._collate_fn, self._base_seed,
                      loader.worker_init_fn, worker_id, self._num_workers, self._segment_prefix,
                      parent_pid),
                daemon=True)
            worker.start()
            self._index_queues.append(index_queue)
            self._workers.append(worker)

    def _reset(self, loader):
        super()._reset(loader)
        if not self._shutdown:
            self._start_epoch(first=False)

    def _start_epoch(self, first):
        self._send_index = 0
        self._received_index = 0
        self._task_info = {}  # task index -> (worker id,) or (worker id, data received early)
        self._workers_active = [True] * self._num_workers
        self._worker_cycle = itertools.cycle(range(self._num_workers))
        if not first:
            # Persistent workers restart their iterators; results of the previous epoch that
            # arrive before a worker's answer are dropped.
            for index_queue in self._index_queues:
                index_queue.put(_worker.ResumeIteration())
            remaining = self._num_workers
            while remaining:
                task_index, data = self._get_data()
                if task_index is None and isinstance(data, _worker.ResumeIteration):
                    remaining -= 1
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_put_index(self):
        try:
            indices = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            worker_id = next(self._worker_cycle)
            if self._workers_active[worker_id]:
                break
        else:
            return
        self._index_queues[worker_id].put((self._send_index, indices))
        self._task_info[self._send_index] = (worker_id,)
        self._send_index += 1

    def _check_workers_alive(self):
        dead = [str(worker.pid) for worker_id, worker in enumerate(self._workers)
                if self._workers_active[worker_id] and not worker.is_alive()]
        if dead:
            self._shutdown_workers()
            raise RuntimeError(f"DataLoader worker (pid(s) {', '.join(dead)}) exited "
                               "unexpectedly")

    def _get_data(self):
        waited = 0.0
        while True:
            wait = _worker.STATUS_CHECK_INTERVAL
            if self._timeout > 0:
                wait = min(wait, self._timeout - waited)
            try:
                item = self._result_queue.get(timeout=wait)
                break
            except queue.Empty:
                waited += wait
                if self._timeout > 0 and waited >= self._timeout:
                    self._shutdown_workers()
                    raise RuntimeError(f"DataLoader timed out after {self._timeout} "
                                       "seconds") from None
                self._check_workers_alive()
        _shared_memory.message_received()
        return item

    def __next__(self):
        try:
            return super().__next__()
        except KeyboardInterrupt:
            self._shutdown_workers()
            raise

    def _next_data(self):
        while True:
            while self._received_index < self._send_index:
                info = self._task_info[self._received_index]
                if len(info) == 2 or self._workers_active[info[0]]:
                    break
                del self._task_info[self._received_index]
                self._received_index += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._received_index]) == 2:
                return self._process(self._task_info.pop(self._received_index)[1])
            if self._shutdown:
                raise StopIteration
            task_index, data = self._get_data()
            if isinstance(data, _worker.IterableDatasetStopIteration):
                self._workers_active[data.worker_id] = False
                if not self._persistent_workers:
                    self._index_queues[data.worker_id].put(None)
                self._try_put_index()
                continue
            if task_index != self._received_index:
                self._task_info[task_index] += (data,)
            else:
                del self._task_info[task_index]
                return self._process(data)

    def _process(self, data):
        self._received_index += 1
        self._try_put_index()
        if isinstance(data, _worker.ExceptionWrapper):
            # The traceback keeps this iterator alive: end its workers now, not when it dies.
            if not self._persistent_workers:
                self._shutdown_workers()
            data.reraise()
        return data

    def _shutdown_workers(self):
        if self._shutdown:
            return
        self._shutdown = True
        try:
            self._done_event.set()
            for index_queue in self._index_queues:
                index_queue.put(None)
            for worker in self._workers:
                worker.join(timeout=_JOIN_TIMEOUT)
                if worker.is_alive():
                    worker.terminate()
                    worker.join()
            for index_queue in self._index_queues:
                index_queue.close()
            self._result_queue.cancel_join_thread()
            self._result_queue.close()
        finally:
            _shared_memory.remove_leftovers(self._segment_prefix)

    def __del__(self):
        # At interpreter exit modules may be gone; the daemon workers end with the process.
        with contextlib.suppress(Exception):
            self._shutdown_workers()
