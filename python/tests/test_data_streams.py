"""ember.data.streams: live streams over loopback sockets, pipes and pushes, consumed through
StreamDataset and DataLoader. Every wait has a timeout, so a failure cannot hang the suite."""
import os
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest
from ember.data.streams.simulate import vehicle_schema
from ember.utils.data import DataLoader

import ember
from ember.data import streams

WAIT = 10.0  # seconds; reached only when something is broken


def pair_schema():
    return streams.Schema([("x", "float32"), ("y", ember.float64, (2,))])


def test_schema_describes_fields_and_rejects_bad_ones():
    schema = pair_schema()
    assert schema.names == ["x", "y"]
    assert schema.record_bytes == 4 + 16
    assert schema.fields[1] == ("y", ember.float64, (2,))
    with pytest.raises(ValueError, match="distinct field names"):
        streams.Schema([("x", "float32"), ("x", "int64")])
    with pytest.raises(ValueError, match="expected a dtype among"):
        streams.Schema([("x", "complex64")])


@pytest.mark.parametrize("fmt", ["binary", "ndjson", "csv"])
def test_dataloader_batches_the_simulated_vehicle_feed(simulator, fmt):
    port = simulator("--rate", "2000", "--format", fmt, "--ranges", "8", "--duration", "20")
    stream = streams.Stream(streams.tcp_client("127.0.0.1", port), vehicle_schema(8), format=fmt)
    with stream:
        dataset = streams.StreamDataset(stream, timeout=WAIT, max_items=24)
        batches = list(DataLoader(dataset, batch_size=8))
    assert len(batches) == 3
    batch = batches[0]
    assert batch["ranges"].shape == (8, 8) and batch["ranges"].dtype == ember.float32
    assert batch["accel"].shape == (8, 3)
    times = np.concatenate([b["t"].numpy() for b in batches])
    np.testing.assert_allclose(times, np.arange(24) / 2000.0)
    expected = streams.VehicleFeed(8, 2000.0, 0).next()  # the simulator's default seed
    np.testing.assert_allclose(batch["ranges"][0].numpy(), expected[-8:], rtol=1e-6)
    counters = stream.counters
    assert counters["received"] >= 24 and counters["malformed"] == 0
    assert counters["bytes"] > 0 and counters["lag"] >= 0


def test_batches_built_in_cpp_with_batch_size_none(simulator):
    port = simulator("--rate", "2000", "--format", "binary", "--duration", "20")
    with streams.Stream(streams.tcp_client("127.0.0.1", port), vehicle_schema()) as stream:
        loader = DataLoader(streams.StreamDataset(stream, batch_size=16, timeout=WAIT,
                                                  max_items=2, with_timestamps=True),
                            batch_size=None)
        batches = list(loader)
    assert [b["ranges"].shape for b in batches] == [(16, 16), (16, 16)]
    assert batches[1]["timestamp"].shape == (16,)
    assert np.all(np.diff(batches[1]["timestamp"].numpy()) >= 0)
    assert batches[1]["offset"].dtype == ember.int64


def test_a_training_loop_consumes_the_stream_like_a_dataset():
    stream = streams.Stream(None, streams.Schema([("x", "float32", (2,)), ("y", "float32")]),
                            capacity=256)
    rng = np.random.default_rng(0)
    for _ in range(256):
        x = rng.normal(size=2)
        stream.push({"x": x.tolist(), "y": float(3 * x[0] - 2 * x[1] + 1)})
    stream.close()  # the pushed records stay readable; iteration ends after them
    model = ember.nn.Linear(2, 1)
    optimizer = ember.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for batch in DataLoader(streams.StreamDataset(stream, batch_size=16, timeout=WAIT),
                            batch_size=None):
        loss = ((model(batch["x"]).squeeze(1) - batch["y"]) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert len(losses) == 16
    assert losses[-1] < 0.1 * losses[0]


def test_drop_oldest_keeps_the_freshest_records_and_counts_drops():
    stream = streams.Stream(None, pair_schema(), capacity=4, backpressure="drop_oldest")
    for i in range(10):
        assert stream.push([i, 0, 0])
    batch = stream.next_batch(4, timeout=WAIT)
    assert batch["x"].tolist() == [6, 7, 8, 9]
    assert stream.counters["dropped"] == 6 and stream.counters["received"] == 10
    newest = streams.Stream(None, pair_schema(), capacity=2, backpressure="drop_newest")
    for i in range(5):
        newest.push({"x": i, "y": [0, 0]})
    assert newest.next_batch(2, timeout=WAIT)["x"].tolist() == [0, 1]
    assert newest.counters["dropped"] == 3


def test_malformed_frames_are_counted_with_their_offsets():
    seen = []
    stream = streams.Stream(None, pair_schema(), format="csv",
                            on_malformed=lambda offset, reason: seen.append((offset, reason)))
    stream.push_frame(b"1,2,3\n1,2\n4,5,6\nx,1,1\n")
    assert stream.next_batch(2, timeout=WAIT)["x"].tolist() == [1, 4]
    assert stream.counters["malformed"] == 2
    assert [offset for offset, _ in stream.errors()] == [6, 16]
    assert seen == stream.errors()
    assert "expected 3 comma-separated values; got 2" in seen[0][1]


def test_server_source_reconnects_to_the_next_client():
    stream = streams.Stream(streams.tcp_server("127.0.0.1", 0), pair_schema(), format="ndjson",
                            backoff=(0.01, 0.05))
    deadline = time.monotonic() + WAIT
    while stream.port == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    for first in (0, 3):
        with socket.create_connection(("127.0.0.1", stream.port), timeout=WAIT) as client:
            for i in range(first, first + 3):
                client.sendall(streams.encode_frame("ndjson", pair_schema(), [i, 0, 0]))
            assert stream.next_batch(3, timeout=WAIT)["x"].tolist() == [first, first + 1,
                                                                        first + 2]
    deadline = time.monotonic() + WAIT
    while stream.counters["reconnects"] < 1 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert stream.counters["reconnects"] >= 1
    stream.close()


def test_a_disconnect_is_a_typed_error_when_asked():
    with socket.socket() as probe:  # a port with no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stream = streams.Stream(streams.tcp_client("127.0.0.1", port), pair_schema(),
                            on_disconnect="raise")
    with pytest.raises(streams.StreamDisconnected, match="cannot connect") as error:
        stream.next(timeout=WAIT)
    assert isinstance(error.value, ConnectionError)
    retried = streams.Stream(streams.tcp_client("127.0.0.1", port), pair_schema(),
                             backoff=(0.01, 0.02), max_reconnects=2)
    with pytest.raises(ConnectionError):
        retried.next(timeout=WAIT)


def test_bad_arguments_are_typed_errors():
    source = streams.udp("127.0.0.1", 0)
    streams.Stream(source, pair_schema()).close()
    with pytest.raises(ValueError, match="already feeds a stream"):
        streams.Stream(source, pair_schema())
    with pytest.raises(ValueError, match="expected format"):
        streams.Stream(None, pair_schema(), format="xml")
    with pytest.raises(ValueError, match="expected backpressure"):
        streams.Stream(None, pair_schema(), backpressure="drop_all")
    stream = streams.Stream(None, pair_schema())
    with pytest.raises(ValueError, match="expected 3 values"):
        stream.push([1, 2])
    with pytest.raises(TypeError, match="expected numbers, tensors or sequences"):
        stream.push(["a", 1, 2])
    with pytest.raises(TimeoutError):
        stream.next(timeout=0.01)
    with pytest.raises(ValueError, match="at most one of"):
        streams.StreamDataset(stream, batch_size=2, window=(4, 1))


def test_udp_feed_from_the_simulator():
    stream = streams.Stream(streams.udp("127.0.0.1", 0), vehicle_schema(4), format="csv")
    deadline = time.monotonic() + WAIT
    while stream.port == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    sender = subprocess.Popen([sys.executable, "-m", "ember.data.streams.simulate", "--transport",
                               "udp", "--port", str(stream.port), "--format", "csv", "--ranges",
                               "4", "--rate", "500", "--duration", "5"])
    try:
        record = stream.next(timeout=WAIT)
        assert record["ranges"].shape == (4,)
    finally:
        sender.kill()
        sender.wait(timeout=WAIT)
        stream.close()


def test_subprocess_and_file_tail_sources():
    code = "import sys; sys.stdout.write('1,2,3\\n4,5,6\\n')"
    stream = streams.Stream(streams.subprocess([sys.executable, "-c", code]), pair_schema(),
                            format="csv", on_disconnect="end")
    records = list(streams.StreamDataset(stream, timeout=WAIT, with_timestamps=True))
    assert [r["x"].item() for r in records] == [1, 4]
    assert [r["offset"].item() for r in records] == [0, 6]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "feed.csv")
        with open(path, "w") as feed:
            feed.write("1,2,3\n")
        with streams.Stream(streams.file_tail(path), pair_schema(), format="csv") as tail:
            assert tail.next(timeout=WAIT)["y"].tolist() == [2, 3]
            with open(path, "a") as feed:
                feed.write("7,8,9\n")
            assert tail.next(timeout=WAIT)["x"].item() == 7


def test_windows_over_a_push_stream():
    stream = streams.Stream(None, pair_schema())
    for i in range(6):
        stream.push([i, 0, 0])
    windows = streams.StreamDataset(stream, window=(4, 2), timeout=0.05, stop_on_timeout=True)
    assert [w["x"].tolist() for w in windows] == [[0, 1, 2, 3], [2, 3, 4, 5]]
    stream.push([9, 0, 0])
    assert len(stream.next_time_window(0.02)) == 1


def test_unix_socket_with_binary_frames():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "feed.sock")
        with streams.Stream(streams.unix_server(path), pair_schema()) as stream:
            deadline = time.monotonic() + WAIT
            while not os.path.exists(path) and time.monotonic() < deadline:
                time.sleep(0.005)
            with socket.socket(socket.AF_UNIX) as client:
                client.settimeout(WAIT)
                client.connect(path)
                client.sendall(streams.encode_frame("binary", pair_schema(), [5, 6, 7]))
                assert stream.next(timeout=WAIT)["y"].tolist() == [6, 7]


def test_stream_datasets_refuse_worker_processes():
    stream = streams.Stream(None, pair_schema())
    stream.push([1, 2, 3])
    loader = DataLoader(streams.StreamDataset(stream, timeout=WAIT), batch_size=1, num_workers=1)
    with pytest.raises(RuntimeError, match="num_workers=0"):
        next(iter(loader))


def test_a_slow_consumer_under_drop_oldest_sees_fresh_records(simulator):
    port = simulator("--rate", "5000", "--format", "binary", "--ranges", "4", "--duration", "20")
    with streams.Stream(streams.tcp_client("127.0.0.1", port), vehicle_schema(4), capacity=8,
                        backpressure="drop_oldest") as stream:
        first = stream.next(timeout=WAIT)["t"].item()
        deadline = time.monotonic() + WAIT
        while stream.counters["dropped"] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)  # the consumer falls behind a 5 kHz feed
        counters = stream.counters
        batch = stream.next_batch(8, timeout=WAIT)
    assert counters["dropped"] > 0 and counters["buffered"] <= 8
    # The batch starts after every record dropped so far: the oldest were evicted, not the newest
    # (records are 1/5000 s apart; under drop_newest the batch would start at the next record).
    records_after_first = round((batch["t"][0].item() - first) * 5000)
    assert records_after_first >= counters["dropped"] + 1
