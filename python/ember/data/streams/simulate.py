"""A synthetic vehicle feed over loopback, for the streams' examples and tests.

    python -m ember.data.streams.simulate --rate 200 --port 5555 --format ndjson --duration 10

Each record holds the time, speed (m/s), steering angle (rad), accelerations (3, m/s^2) and a
ring of --ranges range readings (m) around the vehicle, from a smooth drive with noise
(ember/data/streams/vehicle_feed.h; vehicle_schema() describes it). TCP (default): listens on
--host:--port (0: any free port) and sends to one client at a time, printing
"listening HOST PORT" first; with --clients N it feeds up to N clients at once, each its own
feed (seed --seed + the client's number), as DataLoader workers that each connect need; UDP:
sends one datagram per record to --host:--port. The feed and its frames come from C++; this
module paces and sends them.
"""
import argparse
import socket
import sys
import threading
import time

from ember._C import _streams as _core


def vehicle_schema(ranges=16):
    """The simulator's record: t, speed, steering, accel (3,) and ranges (ranges,)."""
    return _core.VehicleFeed(ranges, 1.0, 0).schema


def _frames(args, seed=None):
    feed = _core.VehicleFeed(args.ranges, args.rate, args.seed if seed is None else seed)
    period = 1.0 / args.rate
    start = time.monotonic()
    sent = 0
    while args.duration is None or time.monotonic() - start < args.duration:
        target = start + sent * period
        delay = target - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        yield feed.next_frame(args.format)
        sent += 1


def _serve_tcp(args):
    with socket.create_server((args.host, args.port)) as server:
        print("listening", args.host, server.getsockname()[1], flush=True)
        frames = _frames(args)
        while True:
            server.settimeout(args.duration)
            try:
                client, _ = server.accept()
            except (TimeoutError, socket.timeout):
                return
            with client:
                try:
                    for frame in frames:
                        client.sendall(frame)
                    return
                except (BrokenPipeError, ConnectionResetError):
                    continue  # the next client gets the rest of the feed


def _serve_each_client(args):
    """Up to --clients clients at once, each fed in its own thread until the feed ends or the
    client leaves; returns once no client connects within --duration."""
    def feed(client, number):
        with client:
            try:
                for frame in _frames(args, args.seed + number):
                    client.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                pass
        slots.release()

    slots = threading.Semaphore(args.clients)
    with socket.create_server((args.host, args.port)) as server:
        print("listening", args.host, server.getsockname()[1], flush=True)
        server.settimeout(args.duration)
        for number in range(sys.maxsize):
            slots.acquire()
            try:
                client, _ = server.accept()
            except (TimeoutError, socket.timeout):
                return
            threading.Thread(target=feed, args=(client, number), daemon=True).start()


def _send_udp(args):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        for frame in _frames(args):
            sender.sendto(frame, (args.host, args.port))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0, help="records per second")
    parser.add_argument("--port", type=int, default=5555)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--format", choices=("binary", "ndjson", "csv"), default="binary")
    parser.add_argument("--duration", type=float, default=None, help="seconds (default: forever)")
    parser.add_argument("--transport", choices=("tcp", "udp"), default="tcp")
    parser.add_argument("--ranges", type=int, default=16, help="range readings per record")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--clients", type=int, default=1,
                        help="TCP clients fed at once, each its own feed")
    args = parser.parse_args(argv)
    if args.rate <= 0:
        parser.error(f"--rate must be positive; got {args.rate}")
    if args.clients < 1:
        parser.error(f"--clients must be at least 1; got {args.clients}")
    if args.transport == "tcp" and args.clients > 1:
        _serve_each_client(args)
    elif args.transport == "tcp":
        _serve_tcp(args)
    else:
        _send_udp(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
