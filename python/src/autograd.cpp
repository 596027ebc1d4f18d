// The autograd API from Python: Tensor.requires_grad/grad/grad_fn/backward/..., graph nodes as
// Python objects, ember._C._autograd (backward, grad, grad mode, anomaly mode) and the node
// behind ember.autograd.Function, which calls a Python backward.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <frameobject.h>

#include "convert.h"
#include "ember/autograd/engine.h"
#include "ember/autograd/function.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/gradcheck.h"
#include "ember/autograd/node.h"
#include "ember/autograd/record.h"
#include "ember/tensor/autograd_meta.h"

namespace ember::python {
namespace {

using autograd::Node;
using autograd::TensorList;

// The __dict__ key under which a tensor's Python object keeps its .grad's Python object alive.
constexpr const char* kGradObject = "_ember_grad";

// .grad's Python object is the grad impl's own (Note [Python objects]); the tensor object keeps
// it alive in its __dict__, so that p.grad is p.grad and attributes set on it stay while p lives.
nb::object keep_grad_object(nb::handle self, nb::object grad) {
  nb::dict attributes = nb::borrow<nb::dict>(nb::getattr(self, "__dict__"));
  if (!grad.is_none()) {
    attributes[kGradObject] = grad;
  } else if (attributes.contains(kGradObject)) {
    nb::del(attributes[kGradObject]);
  }
  return grad;
}

TensorList tensors_of(nb::handle sequence) {
  TensorList tensors;
  if (sequence.is_none()) return tensors;
  if (nb::isinstance<Tensor>(sequence)) return {nb::cast<Tensor>(sequence)};
  for (nb::handle item : sequence) {
    tensors.push_back(item.is_none() ? Tensor() : nb::cast<Tensor>(item));
  }
  return tensors;
}

// Where the current Python code is, for anomaly mode's "the forward call that created it".
std::string python_location() {
  if (!PyGILState_Check()) return "";
  PyFrameObject* frame = PyEval_GetFrame();
  if (frame == nullptr) return "";
  PyCodeObject* code = PyFrame_GetCode(frame);
  std::string location = nb::cast<std::string>(nb::handle(code->co_filename)) + ":" +
                         std::to_string(PyFrame_GetLineNumber(frame));
  Py_DECREF(code);
  return location;
}

// A Python callable registered as a gradient hook. A named type (not a lambda) so that the
// garbage collector's traversal can find the callable inside the std::function that holds it.
struct PythonHook {
  nb::object callable;
  Tensor operator()(const Tensor& grad) const {
    nb::gil_scoped_acquire gil;
    nb::object replaced = callable(grad);
    return replaced.is_none() ? Tensor() : nb::cast<Tensor>(replaced);
  }
};

// A Python callable registered as a post-accumulate-grad hook: called with the leaf's own object.
struct PythonPostAccumulateGradHook {
  nb::object callable;
  void operator()(const Tensor& leaf) const {
    nb::gil_scoped_acquire gil;
    callable(leaf);
  }
};

// The node of an ember.autograd.Function call: its backward is the Python staticmethod.
class PythonFunctionNode final : public Node {
 public:
  PythonFunctionNode(nb::object function_class, nb::object context, std::string name)
      : function_class_(std::move(function_class)),
        context_(std::move(context)),
        name_(std::move(name)) {}
  ~PythonFunctionNode() override {
    nb::gil_scoped_acquire gil;
    function_class_.reset();
    context_.reset();
  }

  std::string name() const override { return name_; }

  TensorList apply(TensorList&& grads) override {
    nb::gil_scoped_acquire gil;
    const bool materialize = nb::cast<bool>(context_.attr("materialize_grads"));
    nb::list arguments;
    arguments.append(context_);
    for (size_t i = 0; i < grads.size(); ++i) {
      Tensor grad = grads[i];
      // As in PyTorch, an output that got no gradient is passed as zeros unless the function
      // asked for None (ctx.set_materialize_grads(False)).
      if (!grad.defined() && materialize && i < output_shapes_.size()) {
        grad = zeros(output_shapes_[i], output_dtypes_[i]);
      }
      arguments.append(grad.defined() ? nb::cast(grad) : nb::none());
    }
    nb::object result = function_class_.attr("backward")(*nb::tuple(arguments));
    nb::tuple results =
        nb::isinstance<nb::tuple>(result) ? nb::borrow<nb::tuple>(result) : nb::make_tuple(result);
    // backward returns one value per forward argument; the node's edges are the tensor ones.
    nb::object tensor_arguments = context_.attr("_tensor_arguments");
    EMBER_CHECK(results.size() == nb::len(tensor_arguments), "[", name_,
                "] function backward returned an incorrect number of gradients (expected ",
                nb::len(tensor_arguments), ", got ", results.size(), ")");
    TensorList input_grads;
    size_t position = 0;
    for (nb::handle is_tensor : tensor_arguments) {
      if (nb::cast<bool>(is_tensor)) {
        input_grads.push_back(results[position].is_none() ? Tensor()
                                                          : nb::cast<Tensor>(results[position]));
      }
      ++position;
    }
    return input_grads;
  }

  void set_output_metadata(const TensorList& outputs) {
    for (const Tensor& output : outputs) {
      output_shapes_.push_back(output.defined() ? output.shape() : Shape());
      output_dtypes_.push_back(output.defined() ? output.dtype() : kFloat32);
    }
  }

  void release_saved() override {
    nb::gil_scoped_acquire gil;
    if (nb::hasattr(context_, "_release_saved")) context_.attr("_release_saved")();
  }

  // For the garbage collector (the GIL is held): what this node keeps alive from Python.
  int traverse(visitproc visit, void* arg) const {
    Py_VISIT(function_class_.ptr());
    Py_VISIT(context_.ptr());
    return 0;
  }
  void clear() {
    function_class_.reset();
    context_.reset();
  }

 private:
  nb::object function_class_;
  nb::object context_;
  std::string name_;
  std::vector<Shape> output_shapes_;
  std::vector<ScalarType> output_dtypes_;
};

// Function.apply's bookkeeping after forward ran under no_grad: the node, its edges to the
// tensor arguments and the outputs' new history (shared with C++ custom functions).
nb::object record_function(nb::object function_class, nb::object context, nb::tuple arguments,
                           nb::object outputs, nb::list dirty, nb::list non_differentiable) {
  TensorList inputs;
  bool any_requires_grad = false;
  for (nb::handle argument : arguments) {
    if (!nb::isinstance<Tensor>(argument)) continue;
    inputs.push_back(nb::cast<Tensor>(argument));
    any_requires_grad |= inputs.back().requires_grad();
  }
  if (!any_requires_grad || !autograd::is_grad_enabled()) return outputs;
  const bool single = nb::isinstance<Tensor>(outputs);
  nb::tuple output_tuple = single ? nb::make_tuple(outputs) : nb::borrow<nb::tuple>(outputs);
  TensorList output_tensors;
  for (nb::handle output : output_tuple) {
    output_tensors.push_back(nb::isinstance<Tensor>(output) ? nb::cast<Tensor>(output) : Tensor());
  }
  const std::string name = nb::cast<std::string>(function_class.attr("__name__")) + "Backward";
  auto node = std::make_shared<PythonFunctionNode>(function_class, context, name);
  node->set_output_metadata(output_tensors);
  if (autograd::is_anomaly_enabled()) node->set_creation_trace(python_location());
  autograd::attach_function_node(node, inputs, output_tensors, tensors_of(dirty),
                                 tensors_of(non_differentiable));
  nb::list results;
  for (size_t i = 0; i < output_tensors.size(); ++i) {
    results.append(output_tensors[i].defined() ? nb::cast(output_tensors[i])
                                               : nb::borrow(output_tuple[i]));
  }
  return single ? nb::borrow(results[0]) : nb::object(nb::tuple(results));
}

// Note [tensors and the garbage collector]: Python hooks (and a custom Function's class and
// context) are held from C++, so Python's cycle collector sees them only through these slots.
// A tensor object reports them when it is the only owner of its TensorImpl (and, for grad_fn's
// hooks and context, the impl the only owner of its node): only then does the object own them,
// so they are reported once, and an object that is unreachable garbage can drop them. The impl
// has one Python object (Note [Python objects]), so a count of one means that no C++ structure
// (a graph node, a saved tensor, a view's base, another tensor's .grad) holds it; such holders
// may still run the hooks after the object is gone, so nothing is reported while they exist (as
// in PyTorch).
const AutogradMeta* exclusive_meta(PyObject* self) {
  if (!nb::inst_ready(self)) return nullptr;
  const Tensor& tensor = *nb::inst_ptr<Tensor>(self);
  if (!tensor.defined() || tensor.impl()->pyobj() != self || tensor.impl()->use_count() != 1) {
    return nullptr;
  }
  return tensor.impl()->autograd_meta();
}

Node* exclusive_grad_fn(const AutogradMeta& meta) {
  return meta.grad_fn && meta.grad_fn.use_count() == 1 ? meta.grad_fn.get() : nullptr;
}

int tensor_traverse(PyObject* self, visitproc visit, void* arg) {
  Py_VISIT(Py_TYPE(self));
  if (PyObject** attributes = _PyObject_GetDictPtr(self)) Py_VISIT(*attributes);
  const AutogradMeta* meta = exclusive_meta(self);
  if (meta == nullptr) return 0;
  for (const auto& [handle, hook] : meta->hooks) {
    if (const auto* python = hook.target<PythonHook>()) Py_VISIT(python->callable.ptr());
  }
  for (const auto& [handle, hook] : meta->post_accumulate_grad_hooks) {
    if (const auto* python = hook->target<PythonPostAccumulateGradHook>()) {
      Py_VISIT(python->callable.ptr());
    }
  }
  if (Node* node = exclusive_grad_fn(*meta)) {
    int result = 0;
    node->for_each_pre_hook([&](const Node::PreHook& hook) {
      const auto* python = hook.target<PythonHook>();
      if (result == 0 && python != nullptr) result = visit(python->callable.ptr(), arg);
    });
    if (result != 0) return result;
    if (auto* function = dynamic_cast<PythonFunctionNode*>(node)) {
      return function->traverse(visit, arg);
    }
  }
  return 0;
}

int tensor_clear(PyObject* self) {
  if (PyObject** attributes = _PyObject_GetDictPtr(self)) Py_CLEAR(*attributes);
  auto* meta = const_cast<AutogradMeta*>(exclusive_meta(self));
  if (meta == nullptr) return 0;
  // Moved out first: releasing a callable can run arbitrary Python code.
  auto hooks = std::move(meta->hooks);
  meta->hooks.clear();
  hooks.clear();
  auto post_hooks = std::move(meta->post_accumulate_grad_hooks);
  meta->post_accumulate_grad_hooks.clear();
  post_hooks.clear();
  if (Node* node = exclusive_grad_fn(*meta)) {
    node->clear_pre_hooks();
    if (auto* function = dynamic_cast<PythonFunctionNode*>(node)) function->clear();
  }
  return 0;
}

PyType_Slot tensor_slots[] = {{Py_tp_traverse, reinterpret_cast<void*>(&tensor_traverse)},
                              {Py_tp_clear, reinterpret_cast<void*>(&tensor_clear)},
                              {Py_tp_init, reinterpret_cast<void*>(&tensor_init)},
                              {0, nullptr}};

// ember.autograd.gradcheck/gradgradcheck: the C++ checks on a Python callable. `inputs` may
// hold non-tensors; the C++ side sees the tensors only, and each call of the callable gets the
// original arguments back with the tensors in place (the user's own objects when unchanged).
std::string run_gradcheck(nb::callable function, nb::tuple inputs, nb::handle grad_outputs,
                          bool second_order, const autograd::GradcheckOptions& options) {
  std::vector<size_t> positions;
  TensorList tensors;
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (!nb::isinstance<Tensor>(inputs[k])) continue;
    positions.push_back(k);
    tensors.push_back(nb::cast<Tensor>(inputs[k]));
  }
  const autograd::MultiOutputFunction call = [&](const TensorList& values) {
    nb::gil_scoped_acquire gil;
    nb::list arguments;
    for (nb::handle argument : inputs) arguments.append(argument);
    for (size_t k = 0; k < positions.size(); ++k) {
      if (!values[k].is_same(tensors[k])) arguments[positions[k]] = nb::cast(values[k]);
    }
    nb::object result = function(*nb::tuple(arguments));
    TensorList outputs;
    if (nb::isinstance<Tensor>(result)) return TensorList{nb::cast<Tensor>(result)};
    if (nb::isinstance<nb::tuple>(result) || nb::isinstance<nb::list>(result)) {
      for (nb::handle item : result) {
        if (nb::isinstance<Tensor>(item)) outputs.push_back(nb::cast<Tensor>(item));
      }
    }
    return outputs;
  };
  const TensorList weights = tensors_of(grad_outputs);
  // The engine may run backward on other threads, which take the GIL for Python nodes and hooks.
  nb::gil_scoped_release release;
  return second_order ? autograd::gradgradcheck(call, tensors, weights, options)
                      : autograd::gradcheck(call, tensors, options);
}

}  // namespace

PyType_Slot* tensor_type_slots() { return tensor_slots; }

void init_autograd(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  autograd::install_recorder();
  autograd::set_creation_trace_provider(&python_location);

  nb::class_<Node>(module, "Node", "A recorded operation of the autograd graph (a grad_fn).")
      .def("name", &Node::name)
      .def_prop_ro("next_functions",
                   [](const Node& node) {
                     nb::list functions;
                     for (const autograd::Edge& edge : node.next_edges()) {
                       functions.append(nb::make_tuple(
                           edge.function ? nb::cast(edge.function) : nb::none(), edge.input_nr));
                     }
                     return nb::tuple(functions);
                   })
      .def("register_hook",
           [](Node& node, nb::object hook) { return node.add_pre_hook(0, PythonHook{hook}); })
      .def("__repr__", [](const Node& node) { return "<" + node.name() + " object>"; });
  // .variable is the leaf's own Python object while it has one (a Parameter stays a Parameter).
  nb::class_<autograd::AccumulateGrad, Node>(
      module, "AccumulateGrad", "The node that adds the gradients reaching a leaf into its .grad.")
      .def_prop_ro("variable", &autograd::AccumulateGrad::leaf,
                   "The leaf tensor whose .grad this node accumulates into.");

  tensor_class
      .def_prop_rw(
          "requires_grad",
          [](const Tensor& t) {
            // A view of a base that an in-place write gave history requires grad from then on
            // (Note [in-place on views]); its flag catches up when its history is next read.
            autograd::refresh_view_history(t);
            return t.requires_grad();
          },
          [](Tensor& t, bool value) { t.requires_grad_(value); },
          "Whether autograd records operations on this tensor.")
      .def(
          "requires_grad_",
          [](Tensor& t, bool value) -> Tensor& { return t.requires_grad_(value); },
          nb::arg("requires_grad") = true, nb::rv_policy::reference_internal,
          nb::sig("def requires_grad_(self, requires_grad=True) -> Tensor"),
          "Sets whether autograd records operations on this leaf, in place.")
      .def_prop_rw(
          "grad",
          [](nb::handle self) {
            const Tensor grad = nb::cast<const Tensor&>(self).grad();
            return keep_grad_object(self, grad.defined() ? nb::cast(grad) : nb::none());
          },
          [](nb::handle self, nb::handle grad) {
            nb::cast<const Tensor&>(self).set_grad(grad.is_none() ? Tensor()
                                                                  : nb::cast<Tensor>(grad));
            keep_grad_object(self, nb::borrow(grad));
          },
          nb::arg("grad").none(), "The gradient accumulated by backward(), or None.")
      .def_prop_ro(
          "grad_fn",
          [](const Tensor& t) -> nb::object {
            auto node = t.grad_fn();
            return node ? nb::cast(node) : nb::none();
          },
          "The autograd node that created this tensor, or None for a leaf.")
      .def_prop_ro(
          "is_leaf", &Tensor::is_leaf,
          "Whether the tensor was created by the user rather than by a recorded operation.")
      .def_prop_ro("retains_grad", &Tensor::retains_grad,
                   "Whether retain_grad() was called on this non-leaf.")
      .def_prop_ro("output_nr", &Tensor::output_nr, "Which output of its grad_fn this tensor is.")
      .def_prop_rw(
          "data", [](const Tensor& t) { return t.detach(); },
          [](Tensor& t, const Tensor& value) {
            autograd::NoGradGuard no_grad;
            t.copy_(value);
          },
          "The tensor without history; assigning copies into it without recording.")
      .def("retain_grad", &Tensor::retain_grad, nb::sig("def retain_grad(self) -> None"),
           "Keeps .grad for this non-leaf tensor after backward().")
      .def("detach", &Tensor::detach, nb::sig("def detach(self) -> Tensor"),
           "A tensor sharing the data, without history (requires_grad False).")
      .def("detach_", &Tensor::detach_, nb::rv_policy::reference_internal,
           nb::sig("def detach_(self) -> Tensor"), "Detaches self from its history in place.")
      .def(
          "backward",
          [](const Tensor& t, nb::handle gradient, std::optional<bool> retain_graph,
             bool create_graph, nb::handle inputs) {
            const Tensor grad = gradient.is_none() ? Tensor() : to_operand(gradient);
            const TensorList wrt = tensors_of(inputs);
            nb::gil_scoped_release release;
            t.backward(grad, retain_graph, create_graph, wrt);
          },
          nb::arg("gradient").none() = nb::none(), nb::arg("retain_graph").none() = nb::none(),
          nb::arg("create_graph") = false, nb::arg("inputs").none() = nb::none(),
          nb::sig("def backward(self, gradient=None, retain_graph=None, create_graph=False, "
                  "inputs=None) -> None"),
          "Accumulates the gradient of self into the leaves' .grad.")
      .def(
          "register_hook",
          [](nb::handle self, nb::object hook) {
            const int64_t handle = nb::cast<const Tensor&>(self).register_hook(PythonHook{hook});
            static nb::handle handle_type =
                nb::object(nb::module_::import_("ember.autograd.graph").attr("RemovableHandle"))
                    .release();
            // The handle refers to this object, not to a second one for the same tensor (which
            // would hide the tensor's references from the garbage collector).
            return handle_type(self, handle);
          },
          nb::arg("hook"),
          nb::sig("def register_hook(self, hook) -> ember.autograd.graph.RemovableHandle"),
          "hook(grad) runs when this tensor's gradient is computed; a returned tensor replaces it.")
      .def(
          "register_post_accumulate_grad_hook",
          [](nb::handle self, nb::object hook) {
            const int64_t handle = autograd::register_post_accumulate_grad_hook(
                nb::cast<const Tensor&>(self), PythonPostAccumulateGradHook{hook});
            static nb::handle handle_type =
                nb::object(nb::module_::import_("ember.autograd.graph").attr("RemovableHandle"))
                    .release();
            return handle_type(self, handle);
          },
          nb::arg("hook"),
          nb::sig("def register_post_accumulate_grad_hook(self, hook) -> "
                  "ember.autograd.graph.RemovableHandle"),
          "hook(tensor) runs after backward accumulated into this leaf's .grad.")
      .def("_remove_hook", &Tensor::remove_hook);

  nb::module_ autograd_module = module.def_submodule("_autograd", "autograd engine entry points");
  autograd_module.def(
      "backward",
      [](nb::handle tensors, nb::handle grad_tensors, std::optional<bool> retain_graph,
         bool create_graph, nb::handle inputs) {
        TensorList outputs = tensors_of(tensors), grads = tensors_of(grad_tensors);
        TensorList wrt = tensors_of(inputs);
        nb::gil_scoped_release release;
        autograd::backward(outputs, grads, retain_graph, create_graph, wrt);
      },
      nb::arg("tensors"), nb::arg("grad_tensors").none(), nb::arg("retain_graph").none(),
      nb::arg("create_graph"), nb::arg("inputs").none());
  autograd_module.def(
      "grad",
      [](nb::handle outputs, nb::handle inputs, nb::handle grad_outputs,
         std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
        TensorList out = tensors_of(outputs), in = tensors_of(inputs),
                   grads = tensors_of(grad_outputs);
        TensorList result;
        {
          nb::gil_scoped_release release;
          result = autograd::grad(out, in, grads, retain_graph, create_graph, allow_unused);
        }
        nb::list values;
        for (const Tensor& t : result) values.append(t.defined() ? nb::cast(t) : nb::none());
        return nb::tuple(values);
      },
      nb::arg("outputs"), nb::arg("inputs"), nb::arg("grad_outputs").none(),
      nb::arg("retain_graph").none(), nb::arg("create_graph"), nb::arg("allow_unused"));
  autograd_module.def("is_grad_enabled", &autograd::is_grad_enabled);
  autograd_module.def("set_grad_enabled", &autograd::set_grad_enabled);
  autograd_module.def("is_anomaly_enabled", &autograd::is_anomaly_enabled);
  autograd_module.def("set_anomaly_enabled", &autograd::set_anomaly_enabled);
  autograd_module.def("record_function", &record_function);
  // The saved tensors of ember.autograd.Function's ctx: C++'s version-checked SavedTensors,
  // saved when called (not when forward returns, as in C++): the Python ctx has no node yet.
  nb::class_<autograd::AutogradContext>(autograd_module, "AutogradContext")
      .def(nb::init<>())
      .def("save_for_backward",
           [](autograd::AutogradContext& context, nb::handle tensors) {
             context.save_for_backward(tensors_of(tensors));
             context.save_variables(nullptr);
           })
      .def("saved_tensors",
           [](const autograd::AutogradContext& context) {
             nb::list values;
             for (const Tensor& t : context.get_saved_variables()) {
               values.append(t.defined() ? nb::cast(t) : nb::none());
             }
             return nb::tuple(values);
           })
      .def("release_saved", &autograd::AutogradContext::release_saved);
  autograd_module.def(
      "gradcheck",
      [](nb::callable function, nb::tuple inputs, nb::handle grad_outputs, bool second_order,
         double eps, double atol, double rtol, double nondet_tol, bool fast_mode,
         bool check_grad_dtypes, uint64_t seed) {
        const autograd::GradcheckOptions options{
            eps, atol, rtol, nondet_tol, fast_mode, check_grad_dtypes, seed};
        return run_gradcheck(std::move(function), std::move(inputs), grad_outputs, second_order,
                             options);
      },
      nb::arg("function"), nb::arg("inputs"), nb::arg("grad_outputs").none(),
      nb::arg("second_order"), nb::arg("eps"), nb::arg("atol"), nb::arg("rtol"),
      nb::arg("nondet_tol"), nb::arg("fast_mode"), nb::arg("check_grad_dtypes"), nb::arg("seed"));
}

}  // namespace ember::python
