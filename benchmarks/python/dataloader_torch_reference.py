"""PyTorch's reference for benchmarks/cpp/dataloader_bench.cpp: DataLoader over a TensorDataset
of 60,000 [1, 28, 28] images and labels, batch 256, shuffle, 0 and 2 workers; batches per second
over one epoch (best of 3). Run with /usr/bin/python3 (torch)."""
import time

import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    dataset = TensorDataset(torch.rand(60000, 1, 28, 28), torch.randint(10, (60000,)))
    for workers in (0, 2):
        loader = DataLoader(dataset, batch_size=256, shuffle=True, num_workers=workers,
                            persistent_workers=workers > 0)
        best = 0.0
        for _ in range(3):
            start = time.perf_counter()
            batches = sum(1 for _ in loader)
            best = max(best, batches / (time.perf_counter() - start))
        print(f"torch DataLoader workers={workers}: {best:.1f} batches/s")


if __name__ == "__main__":
    main()
