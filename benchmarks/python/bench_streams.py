"""ember.data.streams over loopback TCP, beside a plain-Python socket reader in the same run:
- small records per second: 3 float32 fields in binary frames, read into batches of 4096;
- MB/s for 1 MiB records (one float32 (262144,) field) read into batches of 8;
- latency from send to a batch on the training thread at 10k records/s: a sender process
  stamps each record with time.time() when it sends it and the consumer, taking batches of one
  record, subtracts that from its own clock when the batch arrives (p50 and p99), and the
  stream's own share, from the I/O thread's receive timestamp to the batch.
The baseline reads the same bytes with socket.recv_into into one preallocated buffer (no
framing, no tensors): the loopback ceiling from Python on this machine. Each throughput figure
is the best of --repeats runs, the two readers alternating; the latency is measured
--latency-runs times (the table gives the run with the median p99, and the range of the p99s:
on a machine with more runnable threads than cores a run's tail is set by the scheduler's time
slices, so single runs swing from under 1 ms to several). The issue's targets are absolute
(1M records/s, 1 GB/s, p99 <= 1 ms); the table gives each figure's ratio to its target.

It needs no PyTorch, so it runs with ember's virtual environment, from outside the repository
so that `import ember` finds the installed package:

    cd /tmp && <repo>/.venv/bin/python <repo>/benchmarks/python/bench_streams.py [--repeats 3]

A benchmark, never a test: nothing here asserts a time.
"""
import argparse
import socket
import subprocess
import sys
import threading
import time

import numpy as np

from ember.data.streams import Schema, Stream, encode_frame, tcp_server

SMALL_RECORDS = 2_000_000
LARGE_RECORDS, LARGE_FLOATS = 256, 1 << 18  # 256 records of 1 MiB
LATENCY_RATE, LATENCY_SECONDS = 10_000, 3.0

# The latency sender: paces records at RATE per second, each holding its send time.
LATENCY_SENDER = """
import socket, sys, time
from ember.data.streams import Schema, encode_frame
port, rate, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
schema = Schema([("sent", "float64"), ("x", "float32"), ("y", "float32")])
with socket.create_connection(("127.0.0.1", port)) as connection:
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    start = time.perf_counter()
    count = int(rate * seconds)
    for index in range(count):
        delay = start + index / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        connection.sendall(encode_frame("binary", schema, [time.time(), 1.0, 2.0]))
"""


def send_in_thread(port, frame, count):
    """A thread that connects to port and sends `frame` count times (chunked, GIL released)."""
    per_chunk = max(1, (4 << 20) // len(frame))
    chunk = frame * per_chunk

    def send():
        with socket.create_connection(("127.0.0.1", port)) as connection:
            sent = 0
            while sent < count:
                now = min(per_chunk, count - sent)
                connection.sendall(chunk if now == per_chunk else frame * now)
                sent += now

    thread = threading.Thread(target=send)
    thread.start()
    return thread


def bound_port(stream):
    while stream.port <= 0:
        time.sleep(0.001)
    return stream.port


def ember_rate(schema, frame, count, batch):
    """Records per second read through a Stream into batches of `batch`."""
    with Stream(tcp_server("127.0.0.1", 0), schema, capacity=1 << 16 if batch > 8 else 64,
                on_disconnect="end", max_frame_bytes=len(frame) + 64) as stream:
        sender = send_in_thread(bound_port(stream), frame, count)
        received = 0
        start = None
        while received < count:
            result = stream.next_batch(batch, 10.0)
            if result is None:
                break
            if start is None:  # time from the first batch: the connect is not the stream's
                start, first = time.perf_counter(), len(result)
            received += len(result)
        elapsed = time.perf_counter() - start
        sender.join()
    return (received - first) / elapsed


def socket_rate(frame, count):
    """Records per second of a plain recv_into loop reading the same bytes."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        sender = send_in_thread(server.getsockname()[1], frame, count)
        connection, _ = server.accept()
        buffer = bytearray(1 << 20)
        view = memoryview(buffer)
        total, expected = 0, len(frame) * count
        start = time.perf_counter()
        with connection:
            while total < expected:
                got = connection.recv_into(view)
                if not got:
                    break
                total += got
        elapsed = time.perf_counter() - start
        sender.join()
    return total / len(frame) / elapsed


def latency_ms():
    """Each record's latencies (ms) at LATENCY_RATE, batches of one: send to batch, and the
    stream's own part, receive (the I/O thread's timestamp) to batch."""
    schema = Schema([("sent", "float64"), ("x", "float32"), ("y", "float32")])
    latencies, handoffs = [], []
    with Stream(tcp_server("127.0.0.1", 0), schema, on_disconnect="end") as stream:
        sender = subprocess.Popen([sys.executable, "-c", LATENCY_SENDER, str(bound_port(stream)),
                                   str(LATENCY_RATE), str(LATENCY_SECONDS)])
        while (batch := stream.next_batch(1, 10.0)) is not None:
            arrived = time.time()
            latencies.extend(arrived - sent for sent in batch["sent"].tolist())
            handoffs.extend(arrived - received for received in batch.timestamps.tolist())
        sender.wait()
    return np.array(latencies) * 1000, np.array(handoffs) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--latency-runs", type=int, default=1)
    args = parser.parse_args()
    small_schema = Schema([("a", "float32"), ("b", "float32"), ("c", "float32")])
    small_frame = encode_frame("binary", small_schema, [1.0, 2.0, 3.0])
    large_schema = Schema([("samples", "float32", (LARGE_FLOATS,))])
    large_frame = encode_frame("binary", large_schema, np.ones(LARGE_FLOATS).tolist())
    small = [0.0, 0.0]
    large = [0.0, 0.0]
    for _ in range(args.repeats):
        small[0] = max(small[0], ember_rate(small_schema, small_frame, SMALL_RECORDS, 4096))
        small[1] = max(small[1], socket_rate(small_frame, SMALL_RECORDS))
        large[0] = max(large[0], ember_rate(large_schema, large_frame, LARGE_RECORDS, 8))
        large[1] = max(large[1], socket_rate(large_frame, LARGE_RECORDS))
    megabytes = len(large_frame) / 1e6
    runs = sorted((latency_ms() for _ in range(args.latency_runs)),
                  key=lambda run: np.percentile(run[0], 99))
    latencies, handoffs = runs[len(runs) // 2]
    p50, p99 = np.percentile(latencies, [50, 99])
    handoff_p50, handoff_p99 = np.percentile(handoffs, [50, 99])
    p99s = [np.percentile(run[0], 99) for run in runs]

    print(f"best of {args.repeats}; small frame {len(small_frame)} B, large {len(large_frame)} B;"
          f" latency over {len(latencies)} records, median p99 of {len(runs)} runs (p99 from "
          f"{p99s[0]:.3f} to {p99s[-1]:.3f} ms)\n")
    print("| case | unit | ember streams | recv_into baseline | ember / target |")
    print("|---|---|---|---|---|")
    print(f"| 3 x float32 records, batches of 4096 | records/s | {small[0]:.3g} | {small[1]:.3g} |"
          f" {small[0] / 1e6:.2f} of 1M/s |")
    print(f"| 1 MiB records into tensors, batches of 8 | MB/s | {large[0] * megabytes:.0f} | "
          f"{large[1] * megabytes:.0f} | {large[0] * megabytes / 1e3:.2f} of 1 GB/s |")
    print(f"| send -> batch latency at {LATENCY_RATE} records/s | ms | p50 {p50:.3f}, "
          f"p99 {p99:.3f} | - | p99 {p99:.2f} of 1 ms |")
    print(f"| of which receive -> batch (the stream's handoff) | ms | p50 {handoff_p50:.3f}, "
          f"p99 {handoff_p99:.3f} | - | p99 {handoff_p99:.2f} of 1 ms |")


if __name__ == "__main__":
    main()
