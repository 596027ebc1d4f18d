"""StreamDataset: a live stream as an IterableDataset, so that a DataLoader and a training loop
consume it as they consume a dataset."""
import ember
from ember.data.streams.stream import Record, Stream
from ember.utils.data import IterableDataset, get_worker_info


class StreamDataset(IterableDataset):
    """Iterates over `stream`: records (dicts of field tensors) when batch_size is None, for
    DataLoader(..., batch_size=k) to collate; else Batches of batch_size records built in C++
    (each record copied once, into the batch tensors), for DataLoader(..., batch_size=None).
    window=(size, stride) yields sliding count windows instead, time_window=seconds tumbling
    time windows. Iteration ends when the stream ends, after max_items items, or (with
    stop_on_timeout) when nothing arrives within `timeout` seconds; otherwise that timeout
    raises TimeoutError. with_timestamps adds each item's receive times ("timestamp", float64)
    and frame offsets ("offset", int64) as entries, which DataLoader's collation keeps.

    `stream` is a Stream, or a callable returning one that each iteration calls to open its
    own stream (closed when the iteration ends). With DataLoader(num_workers > 0) each worker
    iterates its copy of the dataset, as for any IterableDataset (get_worker_info()), on a
    stream of its own: the callable's, or Stream.another() of a Stream whose source can give
    one (a tcp or unix client: each worker connects, and a server such as the simulator feeds
    each client; a subprocess: each worker runs one). A listener, a file tail or a push stream
    delivers its records to one stream only: iterating it in a worker raises RuntimeError
    naming the source; use num_workers=0. max_items then counts each worker's items."""

    def __init__(self, stream, *, batch_size=None, window=None, time_window=None, timeout=None,
                 max_items=None, stop_on_timeout=False, with_timestamps=False):
        if sum(option is not None for option in (batch_size, window, time_window)) > 1:
            raise ValueError("[StreamDataset] expected at most one of batch_size, window and "
                             f"time_window; got batch_size={batch_size}, window={window}, "
                             f"time_window={time_window}")
        if not isinstance(stream, Stream) and not callable(stream):
            raise TypeError("[StreamDataset] expected a Stream or a callable returning one; got "
                            f"{type(stream).__name__}")
        if isinstance(stream, Stream):
            self._check_names(stream, with_timestamps)
        self.stream = stream
        self.with_timestamps = with_timestamps
        self.batch_size = batch_size
        self.window = window
        self.time_window = time_window
        self.timeout = timeout
        self.max_items = max_items
        self.stop_on_timeout = stop_on_timeout

    @staticmethod
    def _check_names(stream, with_timestamps):
        if with_timestamps and {"timestamp", "offset"} & set(stream.schema.names):
            raise ValueError("[StreamDataset] expected no field named 'timestamp' or 'offset' "
                             f"with with_timestamps=True; got {stream.schema.names}")

    def _open(self):
        """The stream this iteration reads and whether the iteration owns (and closes) it."""
        if not isinstance(self.stream, Stream):
            stream = self.stream()
            if not isinstance(stream, Stream):
                raise TypeError("[StreamDataset] expected the stream factory to return a "
                                f"Stream; got {type(stream).__name__}")
            self._check_names(stream, self.with_timestamps)
            return stream, True
        if get_worker_info() is not None:
            return self.stream.another(), True
        return self.stream, False

    def _next_item(self, stream):
        if self.batch_size is not None:
            return stream.next_batch(self.batch_size, self.timeout)
        if self.window is not None:
            return stream.next_window(*self.window, timeout=self.timeout)
        if self.time_window is not None:
            return None if stream.finished else stream.next_time_window(self.time_window)
        return stream.next(self.timeout)

    def __iter__(self):
        stream, owned = self._open()
        try:
            produced = 0
            while self.max_items is None or produced < self.max_items:
                try:
                    item = self._next_item(stream)
                except TimeoutError:
                    if self.stop_on_timeout:
                        return
                    raise
                if item is None:
                    return
                produced += 1
                yield self._with_timestamps(item) if self.with_timestamps else item
        finally:
            if owned:
                stream.close()

    @staticmethod
    def _with_timestamps(item):
        if isinstance(item, Record):
            return {**item, "timestamp": ember.tensor(item.timestamp, dtype=ember.float64),
                    "offset": ember.tensor(item.offset)}
        return {**item, "timestamp": item.timestamps, "offset": item.offsets}
