"""Online regression on a live sensor stream: a small network learns the vehicle feed's lateral
acceleration from its speed and steering angle while the records arrive.

The feed's lateral acceleration is speed^2 * tan(steering) / 2.7 plus noise (a 2.7 m wheelbase;
ember/data/streams/vehicle_feed.cpp), so the target is learnable from the other two fields. The
vehicle-feed simulator (`python -m ember.data.streams.simulate`) runs as a subprocess on a
loopback port chosen by the system; the records come through ember.data.streams' Stream,
StreamDataset and DataLoader in batches, each used for one Adam step as it arrives. Every
--report batches the example prints the mean loss of that window, the stream's lag (seconds
from a record's receive to its consumption) and its counts of received and dropped records.
It stops after --seconds or --records, whichever comes first. The C++ program
examples/cpp/online_regression.cpp trains the same network over ember::data::streams, fed by
the in-process push API instead of a subprocess.

Usage: python online_regression.py [--seconds 4] [--records 8000] [--rate 2000] [--batch 32]
"""
import argparse
import subprocess
import sys
import time

from ember.data.streams.simulate import vehicle_schema
from ember.utils.data import DataLoader

import ember as torch
from ember.data.streams import Stream, StreamDataset, tcp_client

# Scales that bring the fields and the target near unit size: speed is 10 +- 3 m/s, steering
# +-0.2 rad, the lateral acceleration within about +-13 m/s^2.
SPEED_MEAN, SPEED_SCALE, STEERING_SCALE, TARGET_SCALE = 10.0, 3.0, 0.2, 5.0


def start_simulator(rate, seconds):
    """The simulator subprocess and the port it listens on (it prints "listening HOST PORT")."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ember.data.streams.simulate", "--port", "0", "--rate", str(rate),
         "--duration", str(seconds + 5)],
        stdout=subprocess.PIPE, text=True)
    _, host, port = process.stdout.readline().split()
    return process, host, int(port)


def features_and_target(batch):
    """(batch, 2) scaled speed and steering; (batch, 1) scaled lateral acceleration."""
    inputs = torch.stack([(batch["speed"] - SPEED_MEAN) / SPEED_SCALE,
                          batch["steering"] / STEERING_SCALE], dim=1)
    return inputs, batch["accel"][:, 1:2] / TARGET_SCALE


def train(seconds=4.0, records=8000, rate=2000.0, batch_size=32, report=50, log=None):
    """Learns from the live feed; returns the mean loss of each report window and the stream's
    final counters."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = torch.nn.MSELoss()
    process, host, port = start_simulator(rate, seconds)
    window_losses, window, seen = [], [], 0
    try:
        with Stream(tcp_client(host, port), vehicle_schema(), capacity=4096,
                    backpressure="drop_oldest", on_disconnect="end") as stream:
            dataset = StreamDataset(stream, batch_size=batch_size, timeout=2.0,
                                    stop_on_timeout=True)
            start = time.monotonic()
            for batch in DataLoader(dataset, batch_size=None):
                inputs, target = features_and_target(batch)
                loss = loss_fn(model(inputs), target)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                window.append(loss.item())
                seen += inputs.shape[0]
                if len(window) == report:
                    window_losses.append(sum(window) / len(window))
                    window = []
                    counters = stream.counters
                    if log:
                        log(f"records {seen} loss {window_losses[-1]:.5f} "
                            f"lag {counters['lag'] * 1000:.3f} ms "
                            f"received {counters['received']} dropped {counters['dropped']}")
                if seen >= records or time.monotonic() - start >= seconds:
                    break
            counters = stream.counters
    finally:
        process.terminate()
        process.wait()
    if log:
        log(f"done: {seen} records; received {counters['received']} dropped "
            f"{counters['dropped']} malformed {counters['malformed']} lag "
            f"{counters['lag'] * 1000:.3f} ms")
    return window_losses, counters


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--records", type=int, default=8000)
    parser.add_argument("--rate", type=float, default=2000.0, help="records per second")
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    train(args.seconds, args.records, args.rate, args.batch, log=print)


if __name__ == "__main__":
    main()
