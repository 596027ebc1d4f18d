// make_data_loader (libtorch's torch::data::make_data_loader): a loader over a dataset with a
// sampler, or with a sampler of the sampler type (default: RandomSampler) built from the
// dataset's size. Iterate it with a range for:
//   auto loader = make_data_loader(dataset.map(transforms::Stack<>()),
//                                  DataLoaderOptions().batch_size(64).workers(2));
//   for (auto& batch : *loader) { ... batch.data ... batch.target ... }
#pragma once

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "ember/base/error.h"
#include "ember/data/dataloader/stateless.h"
#include "ember/data/dataloader_options.h"
#include "ember/data/samplers/random.h"

namespace ember::data {

template <typename Dataset, typename Sampler>
std::unique_ptr<StatelessDataLoader<Dataset, Sampler>> make_data_loader(Dataset dataset,
                                                                        Sampler sampler,
                                                                        DataLoaderOptions options) {
  return std::make_unique<StatelessDataLoader<Dataset, Sampler>>(
      std::move(dataset), std::move(sampler), std::move(options));
}

template <typename Sampler = samplers::RandomSampler, typename Dataset,
          typename = std::enable_if_t<std::is_constructible_v<Sampler, size_t>>>
std::unique_ptr<StatelessDataLoader<Dataset, Sampler>> make_data_loader(
    Dataset dataset, DataLoaderOptions options = DataLoaderOptions()) {
  const std::optional<size_t> size = dataset.size();
  EMBER_CHECK_VALUE(size.has_value(), "[make_data_loader] expected a dataset with a size (to ",
                    "build its sampler); got one without");
  Sampler sampler(*size);
  return make_data_loader(std::move(dataset), std::move(sampler), std::move(options));
}

}  // namespace ember::data
