// Uses the installed ember: a small matrix product printed like PyTorch would.
#include <ember/ember.h>

#include <iostream>

int main() {
  ember::Tensor a = ember::tensor({{1, 2}, {3, 4}});
  std::cout << a.mm(a) << "\n";
  return 0;
}
