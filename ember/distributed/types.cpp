#include "ember/distributed/types.h"

namespace ember::distributed {

std::string to_string(ReduceOp op) {
  switch (op) {
    case ReduceOp::Sum:
      return "SUM";
    case ReduceOp::Avg:
      return "AVG";
    case ReduceOp::Product:
      return "PRODUCT";
    case ReduceOp::Min:
      return "MIN";
    case ReduceOp::Max:
      return "MAX";
  }
  return "UNKNOWN";
}

}  // namespace ember::distributed
