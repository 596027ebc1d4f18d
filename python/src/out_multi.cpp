#include "out_multi.h"

#include <string>
#include <vector>

#include "ember/ops/out_multi.h"
#include "out.h"

namespace ember::python {
namespace {

bool is_sequence(nb::handle object) {
  return nb::isinstance<nb::tuple>(object) || nb::isinstance<nb::list>(object);
}

std::vector<Tensor> out_tensors(std::string_view op, nb::handle outs) {
  std::vector<Tensor> tensors;
  for (nb::handle each : outs) tensors.push_back(out_tensor(op, each));
  return tensors;
}

std::string type_name_of(nb::handle object) {
  return nb::cast<std::string>(nb::str(nb::type_name(object.type())));
}

}  // namespace

void check_out_argument(std::string_view op, nb::handle out, ArrayRef<Tensor> inputs) {
  if (is_sequence(out)) {
    check_outs(op, out_tensors(op, out), inputs);
  } else {
    check_out(op, out_tensor(op, out), inputs);
  }
}

nb::object write_out_argument(std::string_view op, nb::handle result, nb::handle out,
                              ArrayRef<Tensor> inputs) {
  if (nb::isinstance<Tensor>(result)) {
    write_out(op, nb::cast<const Tensor&>(result), out_tensor(op, out), inputs);
    return nb::borrow(out);
  }
  const size_t count = nb::len(result);
  EMBER_CHECK_TYPE(is_sequence(out) && nb::len(out) == count, "[", op, "] out= must be a tuple of ",
                   count, " Tensors; got ",
                   is_sequence(out) ? std::to_string(nb::len(out)) + " in a " + type_name_of(out)
                                    : type_name_of(out));
  std::vector<Tensor> results;
  for (nb::handle each : result) results.push_back(nb::cast<Tensor>(each));
  write_outs(op, results, out_tensors(op, out), inputs);
  // The function's own named tuple (ember.return_types.sort, ...), holding the out tensors.
  const nb::tuple outs(out);
  if (result.type().is(reinterpret_cast<PyObject*>(&PyTuple_Type))) return outs;
  return result.type()(*outs);
}

}  // namespace ember::python
