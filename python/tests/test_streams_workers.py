"""StreamDataset under DataLoader(num_workers > 0) (issue 13): each worker reads a stream of
its own, from a stream factory or Stream.another() of a client or subprocess source; a
listener, a file tail or a push stream raises RuntimeError naming it. Loopback only; every wait
is bounded."""
import os
import pickle
import socket
import sys
import tempfile
import threading

import numpy as np
import pytest
from ember.data.streams.simulate import vehicle_schema
from ember.utils.data import DataLoader

from ember.data import streams

WAIT = 10.0  # seconds; reached only when something is broken
PER_CLIENT = 5


def id_schema():
    return streams.Schema([("client", "int64"), ("index", "int64")])


class FeedEachClient:
    """A loopback server that sends each client PER_CLIENT records tagged with the client's
    number (in connection order), then closes that connection."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(WAIT)
        self.port = self.server.getsockname()[1]
        self.clients = 0
        self.connected = threading.Semaphore(0)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            number, self.clients = self.clients, self.clients + 1
            frames = b"".join(streams.encode_frame("binary", id_schema(), [number, i])
                              for i in range(PER_CLIENT))
            with client:
                client.sendall(frames)
            self.connected.release()

    def close(self):
        self.server.close()


@pytest.fixture
def feed():
    server = FeedEachClient()
    yield server
    server.close()


def records_by_client(loader):
    seen = {}
    for batch in loader:
        for client, index in zip(batch["client"].tolist(), batch["index"].tolist()):
            seen.setdefault(client, []).append(index)
    return seen


def test_workers_open_their_own_connections_from_a_client_stream(feed):
    stream = streams.Stream(streams.tcp_client("127.0.0.1", feed.port), id_schema(),
                            on_disconnect="end")
    with stream:
        assert feed.connected.acquire(timeout=WAIT)  # the process's own stream: client 0
        dataset = streams.StreamDataset(stream, timeout=WAIT)
        seen = records_by_client(DataLoader(dataset, batch_size=2, num_workers=2))
        assert stream.next_batch(PER_CLIENT, timeout=WAIT)["client"].tolist() == [0] * 5
    assert sorted(seen) == [1, 2]
    assert all(indices == list(range(PER_CLIENT)) for indices in seen.values())


@pytest.mark.parametrize("num_workers", [0, 2])
def test_a_stream_factory_gives_each_iteration_its_stream(feed, num_workers):
    opened = []

    def open_stream():
        stream = streams.Stream(streams.tcp_client("127.0.0.1", feed.port), id_schema(),
                                on_disconnect="end")
        opened.append(stream)
        return stream

    dataset = streams.StreamDataset(open_stream, batch_size=PER_CLIENT, timeout=WAIT)
    seen = records_by_client(DataLoader(dataset, batch_size=None, num_workers=num_workers))
    assert len(seen) == max(1, num_workers)
    assert all(indices == list(range(PER_CLIENT)) for indices in seen.values())
    if num_workers == 0:  # the iteration closed the stream it opened
        assert len(opened) == 1 and opened[0].finished


def test_each_worker_runs_its_own_subprocess():
    schema = streams.Schema([("x", "int64")])
    source = streams.subprocess([sys.executable, "-c", "print(1); print(2); print(3)"])
    with streams.Stream(source, schema, format="csv", on_disconnect="end") as stream:
        loader = DataLoader(streams.StreamDataset(stream, timeout=WAIT), batch_size=None,
                            num_workers=2)
        values = sorted(record["x"].item() for record in loader)
    assert values == [1, 1, 2, 2, 3, 3]


def test_sources_that_feed_one_stream_refuse_workers_naming_themselves():
    schema = streams.Schema([("x", "int64")])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "feed.csv")
        with open(path, "w") as file:
            file.write("1\n")
        cases = [(streams.tcp_server("127.0.0.1", 0), "tcp server 127.0.0.1:0"),
                 (streams.file_tail(path), "tail " + path),
                 (None, "a push stream")]
        for source, name in cases:
            with streams.Stream(source, schema, format="csv") as stream:
                loader = DataLoader(streams.StreamDataset(stream, timeout=WAIT), num_workers=1)
                with pytest.raises(RuntimeError, match="num_workers=0") as raised:
                    next(iter(loader))
                assert name in str(raised.value)


def test_the_dataset_rejects_what_is_not_a_stream():
    with pytest.raises(TypeError, match="a Stream or a callable"):
        streams.StreamDataset(42)
    dataset = streams.StreamDataset(lambda: "not a stream")
    with pytest.raises(TypeError, match="to return a Stream; got str"):
        next(iter(dataset))


def test_the_simulator_feeds_each_worker_its_own_feed(simulator):
    port = simulator("--rate", "2000", "--clients", "3", "--ranges", "4", "--duration", "20")
    schema = vehicle_schema(4)
    with streams.Stream(streams.tcp_client("127.0.0.1", port), schema) as stream:
        dataset = streams.StreamDataset(stream, batch_size=8, timeout=WAIT, max_items=2)
        batches = list(DataLoader(dataset, batch_size=None, num_workers=2))
        own = stream.next_batch(1, timeout=WAIT)
    assert len(batches) == 4 and all(batch["ranges"].shape == (8, 4) for batch in batches)
    firsts = {tuple(batch["ranges"][0].tolist()) for batch in batches[:2]}
    expected = {tuple(np.float32(streams.VehicleFeed(4, 2000.0, seed).next()[-4:]).tolist())
                for seed in (1, 2)}
    assert firsts | {tuple(own["ranges"][0].tolist())} == expected | {
        tuple(np.float32(streams.VehicleFeed(4, 2000.0, 0).next()[-4:]).tolist())}


def test_a_stream_refuses_pickling_and_points_to_a_factory():
    with streams.Stream(None, id_schema()) as stream, pytest.raises(
            TypeError, match="picklable function that opens the stream"):
        pickle.dumps(stream)
