// Errors as a libtorch user meets them: every mistake throws a std::exception whose what() names
// the op, and the program carries on after catching it.
#include <ember/ember.h>

#include <string>

#include "check.h"

namespace torch = ember;

namespace {
// Runs fn, which must throw; returns what() of the exception.
template <typename Fn>
std::string message_of(Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

bool mentions(const std::string& message, const std::string& part) {
  return message.find(part) != std::string::npos;
}
}  // namespace

int main() {
  auto a = torch::randn({2, 3});
  auto b = torch::randn({4, 5});

  CHECK(mentions(message_of([&] { torch::mm(a, b); }), "mm"));
  CHECK(mentions(message_of([&] { a.matmul(b); }), "shapes cannot be multiplied (2x3 and 4x5)"));
  CHECK(mentions(message_of([&] { (void)(a + b); }), "[add] The size of tensor a (2) must match"));
  CHECK(mentions(message_of([&] { a.view({4}); }), "view"));
  CHECK(mentions(message_of([&] { a.sum(5); }), "sum"));
  // Typed access checks the dtype and the number of dims.
  CHECK(mentions(message_of([&] { a.data_ptr<double>(); }), "data_ptr"));
  CHECK(mentions(message_of([&] { a.accessor<float, 3>(); }), "accessor"));
  CHECK(mentions(message_of([&] { a.item<float>(); }), "item"));
  CHECK(mentions(message_of([&] { torch::tensor({1, 2}).requires_grad_(); }), "requires_grad"));
  CHECK(mentions(
      message_of([&] { torch::ones({2}, torch::dtype(torch::kLong).requires_grad(true)); }),
      "ones"));
  CHECK(mentions(message_of([&] { torch::tensor({{1, 2}, {3}}); }), "tensor"));
  CHECK(mentions(message_of([&] {
                   int64_t data[6] = {};
                   torch::from_blob(data, {2, 3}, {1}, torch::kLong);
                 }),
                 "from_blob"));
  CHECK(mentions(message_of([&] { torch::Device("gpu"); }), "gpu"));

  // Still usable after the errors.
  auto c = a.mm(b.narrow(0, 0, 3).narrow(1, 0, 2));
  CHECK(c.sizes() == std::vector<int64_t>({2, 2}));
  return 0;
}
