// libtorch's enum-like option values (torch::kSum, ...): each a distinct empty type, so that an
// options field holds a std::variant of the values it accepts and a wrong one does not compile.
#pragma once

namespace ember {
namespace enumtype {
struct kNone {};
struct kMean {};
struct kSum {};
struct kBatchMean {};
struct kConstant {};
struct kReflect {};
struct kReplicate {};
struct kCircular {};
struct kMax {};
}  // namespace enumtype

inline constexpr enumtype::kNone kNone{};
inline constexpr enumtype::kMean kMean{};
inline constexpr enumtype::kSum kSum{};
inline constexpr enumtype::kBatchMean kBatchMean{};
inline constexpr enumtype::kConstant kConstant{};
inline constexpr enumtype::kReflect kReflect{};
inline constexpr enumtype::kReplicate kReplicate{};
inline constexpr enumtype::kCircular kCircular{};
inline constexpr enumtype::kMax kMax{};

}  // namespace ember
