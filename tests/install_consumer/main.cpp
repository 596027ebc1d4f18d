// Uses the installed ember: a small matrix product printed like PyTorch would.
#include <ember/ember.h>

#include <iostream>

int main() {
  ember::Tensor a = ember::tensor({{1.0, 2.0}, {3.0, 4.0}});
  std::cout << a.mm(a) << "\n";
  return 0;
}
