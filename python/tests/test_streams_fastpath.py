"""ember.data.streams' fast path (issue 13): 1 MiB binary records read straight into their
buffers, batches of one that adopt them, malformed-frame offsets and backpressure on that path,
and float16/bfloat16 fields in every framing. Loopback only; every wait is bounded."""
import socket
import threading

import numpy as np
import pytest

import ember
from ember.data import streams

WAIT = 10.0  # seconds; reached only when something is broken
FLOATS = 1 << 18  # 1 MiB records


def large_schema():
    return streams.Schema([("samples", "float32", (FLOATS,))])


def bound_port(stream):
    for _ in range(5000):
        if stream.port > 0:
            return stream.port
        threading.Event().wait(0.002)
    raise AssertionError("the stream did not bind a port")


def send_from_thread(port, data):
    def send():
        with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as connection:
            connection.sendall(data)

    thread = threading.Thread(target=send)
    thread.start()
    return thread


def bad_frame():
    return (8).to_bytes(4, "little") + bytes(8)


@pytest.mark.parametrize("backpressure", ["block", "drop_oldest", "drop_newest"])
def test_megabyte_records_keep_values_offsets_and_policies(backpressure):
    frames = [streams.encode_frame("binary", large_schema(), np.full(FLOATS, float(i)).tolist())
              for i in range(5)]
    data = frames[0] + bad_frame() + b"".join(frames[1:])
    with streams.Stream(streams.tcp_server("127.0.0.1", 0), large_schema(), capacity=2,
                        backpressure=backpressure, on_disconnect="end",
                        max_frame_bytes=len(frames[0])) as stream:
        sender = send_from_thread(bound_port(stream), data)
        if backpressure != "block":  # overflow the buffer of 2 before reading
            sender.join()
            for _ in range(5000):
                if stream.counters["received"] == 5:
                    break
                threading.Event().wait(0.002)
        values, offsets = [], []
        while (batch := stream.next_batch(1, timeout=WAIT)) is not None:
            samples = batch["samples"]
            assert samples.shape == (1, FLOATS)
            assert samples[0, 0].item() == samples[0, -1].item()
            values.append(samples[0, 0].item())
            offsets.append(batch.offsets.tolist()[0])
        sender.join()
        counters = stream.counters
    size, bad = len(frames[0]), len(bad_frame())
    assert counters["malformed"] == 1 and counters["bytes"] == len(data)
    assert stream.errors()[0][0] == size
    assert offsets == [0 if v == 0 else int(v) * size + bad for v in values]
    if backpressure == "block":
        assert values == [0, 1, 2, 3, 4]
    else:
        assert len(values) == 2 and counters["dropped"] == 3
        assert values[-1] == (4 if backpressure == "drop_oldest" else 1)


def test_batches_of_several_megabyte_records_and_single_records():
    frames = b"".join(streams.encode_frame("binary", large_schema(),
                                           np.full(FLOATS, float(i)).tolist())
                      for i in range(6))
    with streams.Stream(streams.tcp_server("127.0.0.1", 0), large_schema(), on_disconnect="end",
                        max_frame_bytes=1 << 21) as stream:
        sender = send_from_thread(bound_port(stream), frames)
        batch = stream.next_batch(4, timeout=WAIT)
        record = stream.next(timeout=WAIT)
        last = stream.next_batch(4, timeout=WAIT)
        sender.join()
    assert batch["samples"][:, 7].tolist() == [0, 1, 2, 3]
    assert record["samples"].shape == (FLOATS,) and record["samples"][5].item() == 4
    assert last["samples"].shape == (1, FLOATS) and last["samples"].sum().item() == 5 * FLOATS


def half_schema():
    return streams.Schema([("h", "float16", (2,)), ("b", ember.bfloat16)])


@pytest.mark.parametrize("fmt", ["binary", "ndjson", "csv"])
def test_float16_and_bfloat16_fields_in_every_format(fmt):
    schema = half_schema()
    assert schema.fields[0] == ("h", ember.float16, (2,))
    assert schema.record_bytes == 6
    stream = streams.Stream(None, schema, format=fmt)
    # 1.00390625 lies halfway between two bfloat16 values: it rounds to even, 1.0.
    stream.push_frame(streams.encode_frame(fmt, schema, [0.1, -65504.0, 1.00390625]))
    stream.push_frame(streams.encode_frame(fmt, schema, {"h": [1e6, 3.0], "b": 3.14159}))
    batch = stream.next_batch(2, timeout=WAIT)
    assert batch["h"].dtype == ember.float16 and batch["b"].dtype == ember.bfloat16
    h = batch["h"].to(ember.float32).numpy()
    np.testing.assert_array_equal(h[0], np.array([0.1, -65504.0], np.float16).astype(np.float32))
    assert np.isinf(h[1, 0]) and h[1, 1] == 3.0
    assert batch["b"].to(ember.float32).tolist() == [1.0, 3.140625]


def test_pushed_values_round_to_float16():
    stream = streams.Stream(None, half_schema())
    stream.push({"h": [2049.0, 0.5], "b": 257.0})  # 2049 and 257 are ties: round to even
    record = stream.next(timeout=WAIT)
    assert record["h"].to(ember.float32).tolist() == [2048.0, 0.5]
    assert record["b"].to(ember.float32).item() == 256.0


def test_a_spinning_consumer_gets_records_and_timeouts_as_a_sleeping_one():
    stream = streams.Stream(None, streams.Schema([("x", "int64")]), spin=1e-3)
    pusher = threading.Timer(0.01, lambda: [stream.push([i]) for i in range(3)])
    pusher.start()
    assert stream.next_batch(3, timeout=WAIT)["x"].tolist() == [0, 1, 2]
    pusher.join()
    with pytest.raises(TimeoutError):
        stream.next(timeout=0.01)
