// make_data_loader over an in-memory MNIST-sized dataset (60,000 examples of [1, 28, 28] and a
// label), batch 256, Stack<> collation, 0 and 2 worker threads: batches per second over one
// epoch. bench/RESULTS.md "Issue 12: C++ DataLoader" compares it with PyTorch's DataLoader over
// a TensorDataset of the same tensors (benchmarks/python/dataloader_torch_reference.py).
#include <benchmark/benchmark.h>

#include "ember/data/data.h"
#include "ember/ops/ops.h"

namespace {

// Example i: images[i] and labels[i] (as datasets::MNIST holds them).
class InMemory : public ember::data::datasets::Dataset<InMemory> {
 public:
  InMemory() : images_(ember::rand({60000, 1, 28, 28})), labels_(ember::randint(10, {60000})) {}
  ember::data::Example<> get(size_t index) override {
    const auto i = static_cast<int64_t>(index);
    return {images_[i], labels_[i]};
  }
  std::optional<size_t> size() const override { return 60000; }

 private:
  ember::Tensor images_, labels_;
};

void BM_DataLoaderEpoch(benchmark::State& state) {
  const auto workers = static_cast<size_t>(state.range(0));
  auto loader = ember::data::make_data_loader(
      InMemory().map(ember::data::transforms::Stack<>()),
      ember::data::DataLoaderOptions().batch_size(256).workers(workers));
  int64_t batches = 0;
  for (auto _ : state) {
    for (auto& batch : *loader) {
      benchmark::DoNotOptimize(batch.data.data_ptr());
      ++batches;
    }
  }
  state.counters["batches/s"] =
      benchmark::Counter(static_cast<double>(batches), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DataLoaderEpoch)->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
