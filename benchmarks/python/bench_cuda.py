"""ember beside PyTorch on one CUDA GPU, in the same run (issue 14's GPU benchmarks): matmul 4096
in float32 (TF32 off on both sides) and bfloat16, elementwise add and exp over 256M float32
elements (with the DRAM bandwidth they reach), conv2d, an LSTM, and training steps of a CNN and a
Transformer encoder. Each figure is the median of --repeats timed runs after warm-up, with the
device synchronized around them. A case a library cannot run yet (an op without a CUDA kernel)
shows n/a with the reason instead of stopping the run.

tools/gpu_check.sh runs it on a machine with a GPU and appends the table to bench/RESULTS.md
(--write). Never run for figures on a machine without a GPU: it exits saying so.

    python benchmarks/python/bench_cuda.py [--repeats 20] [--write bench/RESULTS.md]

A benchmark, never a test: nothing here asserts a time.
"""
import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import import_library

ELEMENTS = 256 * 1024 * 1024


def synchronize(lib):
    lib.cuda.synchronize()


def median_seconds(lib, run, repeats, warmup=3):
    for _ in range(warmup):
        run()
    synchronize(lib)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        synchronize(lib)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def matmul_case(dtype_name):
    def build(lib):
        dtype = getattr(lib, dtype_name)
        a = lib.randn(4096, 4096, device="cuda").to(dtype)
        b = lib.randn(4096, 4096, device="cuda").to(dtype)
        return lambda: lib.matmul(a, b)

    return f"matmul 4096 {dtype_name}", "TFLOP/s", build, 2 * 4096**3 / 1e12


def elementwise_case(name):
    def build(lib):
        x = lib.rand(ELEMENTS, device="cuda")
        y = lib.rand(ELEMENTS, device="cuda")
        return (lambda: lib.add(x, y)) if name == "add" else (lambda: lib.exp(x))

    moved = ELEMENTS * 4 * (3 if name == "add" else 2)
    return f"{name} 256M float32", "GB/s", build, moved / 1e9


def conv2d_case():
    def build(lib):
        conv = lib.nn.Conv2d(64, 64, 3, padding=1).cuda()
        x = lib.randn(32, 64, 56, 56, device="cuda")
        return lambda: conv(x)

    return "conv2d 32x64x56x56 3x3", "ms", build, None


def lstm_case():
    def build(lib):
        lstm = lib.nn.LSTM(256, 512, num_layers=2).cuda()
        x = lib.randn(100, 64, 256, device="cuda", requires_grad=True)

        def step():
            output, _ = lstm(x)
            output.sum().backward()

        return step

    return "LSTM 2x512, seq 100, batch 64, fwd+bwd", "ms", build, None


def training_step(lib, model, inputs, targets):
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = lib.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss_fn(model(inputs), targets).backward()
        optimizer.step()

    return step


def cnn_case():
    def build(lib):
        nn = lib.nn
        model = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, 10)).cuda()
        inputs = lib.randn(256, 3, 32, 32, device="cuda")
        targets = lib.randint(0, 10, (256,), device="cuda")
        return training_step(lib, model, inputs, targets)

    return "CNN training step, batch 256, 32x32", "ms", build, None


def transformer_case():
    def build(lib):
        nn = lib.nn
        layer = nn.TransformerEncoderLayer(512, 8, 2048, batch_first=True)
        model = nn.Sequential(nn.TransformerEncoder(layer, 4), nn.Flatten(),
                              nn.Linear(512 * 64, 10)).cuda()
        inputs = lib.randn(32, 64, 512, device="cuda")
        targets = lib.randint(0, 10, (32,), device="cuda")
        return training_step(lib, model, inputs, targets)

    return "Transformer encoder x4 training step, 32x64x512", "ms", build, None


CASES = [matmul_case("float32"), matmul_case("bfloat16"), elementwise_case("add"),
         elementwise_case("exp"), conv2d_case(), lstm_case(), cnn_case(), transformer_case()]


def measure(lib, build, amount, repeats):
    """(figure, reason): throughput when amount is given, else milliseconds per call."""
    try:
        run = build(lib)
        seconds = median_seconds(lib, run, repeats)
    except Exception as error:  # noqa: BLE001 - a missing kernel is a result, not a crash
        return None, f"{type(error).__name__}: {str(error).splitlines()[0][:80]}"
    return (amount / seconds if amount is not None else seconds * 1e3), ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--write", type=Path, help="append the table to this markdown file")
    args = parser.parse_args()
    ember, reason = import_library("ember")
    if ember is None:
        sys.exit(f"ember did not import: {reason}")
    if not ember.cuda.is_available():
        sys.exit("no CUDA device: GPU figures are measured only on a GPU")
    torch, torch_reason = import_library("torch")
    if torch is not None and not torch.cuda.is_available():
        torch, torch_reason = None, "PyTorch has no CUDA here"
    if torch is not None:
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    rows = []
    for name, unit, build, amount in CASES:
        ours, our_reason = measure(ember, build, amount, args.repeats)
        theirs, their_reason = (measure(torch, build, amount, args.repeats) if torch is not None
                                else (None, torch_reason))
        ratio = "n/a"
        if ours is not None and theirs is not None:
            # Above 1: ember faster (throughput higher, or milliseconds lower).
            ratio = f"{(ours / theirs if amount is not None else theirs / ours):.2f}"
        show = lambda value, why: f"{value:.3g}" if value is not None else f"n/a ({why})"  # noqa: E731
        rows.append(f"| {name} | {unit} | {show(ours, our_reason)} | {show(theirs, their_reason)} "
                    f"| {ratio} |")
    device = ember.cuda.get_device_name(0)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    table = "\n".join([
        f"### GPU check: {device}, {stamp}", "",
        "| case | unit | ember | PyTorch | ratio (above 1: ember faster) |",
        "|---|---|---|---|---|", *rows, ""])
    print(table)
    if args.write:
        with args.write.open("a") as out:
            out.write("\n" + table)


if __name__ == "__main__":
    main()
