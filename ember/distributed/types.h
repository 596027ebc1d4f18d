// Small value types shared by the stores, process groups and the reducer.
#pragma once

#include <chrono>
#include <string>

namespace ember::distributed {

using Duration = std::chrono::milliseconds;
// torch.distributed's default for CPU backends (30 minutes); tests and the launcher pass less.
inline constexpr Duration kDefaultTimeout = std::chrono::minutes(30);

// torch.distributed.ReduceOp's members that every backend here supports.
enum class ReduceOp { Sum, Avg, Product, Min, Max };

// "SUM", "AVG", ... as PyTorch prints them.
std::string to_string(ReduceOp op);

}  // namespace ember::distributed
