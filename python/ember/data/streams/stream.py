"""Stream: the Python face of a C++ stream (ember._C._streams.Stream)."""
from ember._C import _streams as _core

# "No timeout": the C++ waits take seconds; this is about 30 years.
_FOREVER = 1e9


class Batch(dict):
    """Records as tensors: field name -> (size, *shape) tensor, with the receive times
    (`timestamps`, float64 seconds since the epoch) and frame byte offsets (`offsets`)."""

    def __init__(self, fields, timestamps, offsets):
        super().__init__(fields)
        self.timestamps = timestamps
        self.offsets = offsets

    def __len__(self):
        return self.timestamps.shape[0]


class Record(dict):
    """One record: field name -> tensor of the field's shape, with its receive time
    (`timestamp`, seconds since the epoch) and its frame's byte offset (`offset`)."""

    def __init__(self, fields, timestamp, offset):
        super().__init__(fields)
        self.timestamp = timestamp
        self.offset = offset


class Stream:
    """A live stream of records of `schema` read from `source` (None: a push stream fed by
    push()). format: "binary", "ndjson" or "csv". backpressure when the buffer of `capacity`
    records is full: "block", "drop_oldest" or "drop_newest". on_disconnect: "reconnect" (with
    backoff doubling from backoff[0] to backoff[1] seconds, giving up with StreamDisconnected
    after max_reconnects failed attempts unless it is None), "raise" (StreamDisconnected once
    the buffer is drained) or "end" (a quiet end). on_malformed(offset, reason) is called on the
    I/O thread for each malformed frame; errors() keeps the last max_errors of them. A
    consumer waiting for records polls for `spin` seconds before it sleeps, so that a record
    arriving meanwhile reaches it without a wakeup; worth it only with a core to spare (on an
    oversubscribed machine the spinner loses whole time slices), hence 0 by default."""

    def __init__(self, source, schema, *, format="binary", capacity=1024, backpressure="block",
                 on_disconnect="reconnect", backoff=(0.05, 1.0), max_reconnects=None,
                 max_frame_bytes=1 << 20, csv_header=False, max_errors=64, on_malformed=None,
                 spin=0.0):
        self._stream = _core.Stream(
            schema, source, format, capacity, backpressure, on_disconnect, backoff[0],
            backoff[1], -1 if max_reconnects is None else max_reconnects, max_frame_bytes,
            csv_header, max_errors, on_malformed, spin)

    def another(self):
        """A new Stream of the same schema and options on its own connection (a tcp or unix
        client) or process (a subprocess) of this stream's source, for another consumer such as
        a DataLoader worker; RuntimeError naming the source for a listener, a file tail or a
        push stream, whose records reach only this stream."""
        stream = Stream.__new__(Stream)
        stream._stream = self._stream.another()
        return stream

    @property
    def schema(self):
        """The stream's Schema."""
        return self._stream.schema

    @property
    def port(self):
        """The bound port of a TCP server or UDP source (0 until bound); -1 for others."""
        return self._stream.port

    @property
    def finished(self):
        """True once the stream ended and every buffered record was read."""
        return self._stream.finished

    @property
    def counters(self):
        """received, dropped, malformed, bytes, consumed, reconnects, buffered, lag (seconds
        from the receive to the consumption of the last consumed record)."""
        return self._stream.counters()

    def errors(self):
        """The latest malformed frames as (byte offset, reason), oldest first."""
        return self._stream.errors()

    def _checked(self, result, timeout):
        if result is None and not self._stream.finished:
            raise TimeoutError(f"[streams.Stream] expected a record within {timeout} s; "
                               "none arrived")
        return result

    def next(self, timeout=None):
        """The next Record (a dict of field tensors), or None once the stream has ended;
        TimeoutError when none arrives within timeout seconds (None: wait for ever)."""
        result = self._checked(self._stream.next(_seconds(timeout)), timeout)
        return None if result is None else Record(*result)

    def next_batch(self, size, timeout=None):
        """A Batch of `size` records (fewer when the stream ends or the timeout passes after
        some arrived), or None once the stream has ended; TimeoutError when none arrived."""
        result = self._checked(self._stream.next_batch(size, _seconds(timeout)),
                               timeout)
        return None if result is None else Batch(*result)

    def next_window(self, size, stride=1, timeout=None):
        """The sliding window of the last `size` records as a Batch, moved on by `stride` new
        records per call; None once the stream has ended; TimeoutError otherwise."""
        result = self._checked(
            self._stream.next_window(size, stride, _seconds(timeout)), timeout)
        return None if result is None else Batch(*result)

    def next_time_window(self, duration):
        """A Batch of the records received in the next `duration` seconds (windows back to
        back; possibly empty)."""
        return Batch(*self._stream.next_time_window(duration))

    def push(self, record):
        """Adds a record (a dict of field values, or all values flattened in schema order);
        False once the stream is closed."""
        return self._stream.push(record)

    def push_frame(self, frame):
        """Feeds bytes in the stream's format (push streams only)."""
        self._stream.push_frame(bytes(frame))

    def close(self):
        """Stops the I/O thread and closes the source; buffered records stay readable."""
        self._stream.close()

    def __repr__(self):
        return f"Stream({self.schema!r}, counters={self.counters})"

    def __reduce__(self):
        raise TypeError("[streams.Stream] expected a stream to stay in the process that opened "
                        "it; got a request to pickle it (a DataLoader with the spawn start "
                        "method?): give StreamDataset a picklable function that opens the "
                        "stream instead")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __iter__(self):
        while (record := self.next()) is not None:
            yield record


def _seconds(timeout):
    return _FOREVER if timeout is None else timeout
