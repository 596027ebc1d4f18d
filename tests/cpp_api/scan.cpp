// Scans, sorting and selection as a libtorch user writes them: torch::sort with and without
// the stable overload, topk, cumsum with a dtype, unique_consecutive, searchsorted and the
// values/indices tuples unpacked with std::tie and structured bindings.
#include <ember/ember.h>

#include <tuple>

#include "check.h"

namespace torch = ember;

int main() {
  auto x = torch::tensor({3.0, 1.0, 2.0, 1.0});

  torch::Tensor values, indices;
  std::tie(values, indices) = torch::sort(x, /*dim=*/-1, /*descending=*/false);
  CHECK(values[0].item<double>() == 1.0 && indices[0].item<int64_t>() == 1);
  CHECK(indices[1].item<int64_t>() == 3);  // equal elements keep their order
  auto [descending, order] = x.sort(/*stable=*/true, /*dim=*/0, /*descending=*/true);
  CHECK(descending[0].item<double>() == 3.0 && order[3].item<int64_t>() == 3);
  CHECK(torch::argsort(x)[0].item<int64_t>() == 1);

  auto [top, where] = torch::topk(x, /*k=*/2, /*dim=*/-1, /*largest=*/true, /*sorted=*/true);
  CHECK(top[0].item<double>() == 3.0 && where[1].item<int64_t>() == 2);
  auto [kth, kth_index] = x.kthvalue(2);
  CHECK(kth.item<double>() == 1.0 && kth_index.item<int64_t>() == 3);

  auto ints = torch::tensor({1, 2, 3}, torch::kInt32);
  auto sums = torch::cumsum(ints, /*dim=*/0, torch::kDouble);
  CHECK(sums.dtype() == torch::kDouble && sums[2].item<double>() == 6.0);
  CHECK(x.cumsum(0)[3].item<double>() == 7.0);
  auto [running_max, argmax] = torch::cummax(x, 0);
  CHECK(running_max[3].item<double>() == 3.0 && argmax[3].item<int64_t>() == 0);

  auto [runs, inverse, counts] =
      torch::unique_consecutive(torch::tensor({1, 1, 2, 2, 2, 1}), /*return_inverse=*/true,
                                /*return_counts=*/true);
  CHECK(runs.numel() == 3 && counts[1].item<int64_t>() == 3 && inverse[5].item<int64_t>() == 2);
  auto [unique, unique_inverse, unique_counts] = torch::_unique2(x, true, false, true);
  CHECK(unique.numel() == 3 && unique_counts[0].item<int64_t>() == 2);

  auto boundaries = torch::tensor({1.0, 2.0, 3.0});
  auto positions = torch::searchsorted(boundaries, torch::tensor({2.0, 2.5}), /*out_int32=*/false,
                                       /*right=*/true);
  CHECK(positions[0].item<int64_t>() == 2 && positions[1].item<int64_t>() == 2);
  CHECK(torch::bucketize(torch::tensor({0.5}), boundaries)[0].item<int64_t>() == 0);

  CHECK(torch::median(x).item<double>() == 1.0);
  CHECK(torch::quantile(x, 0.5).item<double>() == 1.5);
  CHECK(torch::count_nonzero(x).item<int64_t>() == 4);
  CHECK(torch::diff(x)[0].item<double>() == -2.0);
  return 0;
}
