// The CUDA kernel bodies of the attention, recurrent and sampler family run in the CPU grid
// emulator and must give what the primitives' eval_cpu gives (Note [CUDA attention, recurrent
// layers and sampling]). The samplers share their per-element math with the CPU loops
// (elementwise/sampling_math.h) and read per-element Philox streams, so on the emulator they
// agree bit for bit, on the launch's grid and on a single warp, for empty and odd sizes, both
// rejection branches and seeds and offsets with their high words set. Attention's CUDA kernel
// is a composite of ember ops (attention_composite.h): here it runs on CPU tensors and must match
// the fused CPU kernel to rounding. The recurrent layers' drivers (rnn_kernels.cuh) run their gate
// bodies in the emulator and their products on CPU tensors, against eval_cpu to rounding.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/attention_composite.h"
#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/backend/cuda/rnn_kernels.cuh"
#include "ember/backend/cuda/sampling_kernels.cuh"
#include "ember/ops/ops.h"

namespace ember::cuda {
namespace {

const std::vector<PhiloxState> kStates = {
    {0, 0}, {42, 7}, {0x123456789abcdef0ULL, 0xfedcba9876543210ULL}};
const std::vector<int64_t> kSizes = {0, 1, 7, 1001};

// A float64 CPU tensor of n elements cycling through `values`.
Tensor cycled(const std::vector<double>& values, int64_t n) {
  const Tensor out = empty({n}, TensorOptions(kFloat64));
  double* data = out.data_ptr<double>();
  for (int64_t i = 0; i < n; ++i) data[i] = values[static_cast<size_t>(i) % values.size()];
  return out;
}

// Runs `run(inputs, out, launch)` on the emulator (full grid and one warp) and `primitive`'s
// eval_cpu, and compares the three outputs byte for byte.
template <typename Run>
void expect_matches_cpu(const Primitive& primitive, const std::vector<Tensor>& inputs,
                        const Run& run, const std::string& what) {
  const int64_t n = inputs[0].numel();
  const Tensor out = full({n}, 3.0, TensorOptions(kFloat64));
  const Tensor one_warp_out = full({n}, 3.0, TensorOptions(kFloat64));
  const Tensor expected = full({n}, 3.0, TensorOptions(kFloat64));
  run(TensorSpan(inputs), out, EmulatedLauncher{"seq"});
  run(TensorSpan(inputs), one_warp_out, OneWarpEmulatedLauncher{"seq"});
  primitive.eval_cpu(TensorSpan(inputs), TensorSpan(&expected, 1));
  EXPECT_EQ(std::memcmp(out.data_ptr(), expected.data_ptr(), out.nbytes()), 0) << what;
  EXPECT_EQ(std::memcmp(one_warp_out.data_ptr(), expected.data_ptr(), out.nbytes()), 0)
      << what << " on one warp";
}

// alpha < 1 (the boost), = 1, moderate and large, and tiny (log-space boost).
const std::vector<double> kAlphas = {0.3, 1.0, 2.5, 17.0, 1e-3, 250.0, 0.999, 5e4};

TEST(KernelEmulationSeq, StandardGammaMatchesTheCpuBitForBit) {
  for (int64_t n : kSizes) {
    for (const PhiloxState& state : kStates) {
      const StandardGamma op(state);
      expect_matches_cpu(
          op, {cycled(kAlphas, n)},
          [&](TensorSpan in, const Tensor& out, auto launch) {
            run_standard_gamma(op, in, out, launch);
          },
          "standard_gamma n=" + std::to_string(n) + " seed=" + std::to_string(state.seed));
    }
  }
}

TEST(KernelEmulationSeq, StandardGammaGradMatchesTheCpuBitForBit) {
  // Samples of the alphas (so the series runs in the bulk), alpha >= 1000 (the Wilson-Hilferty
  // branch) and x = 0.
  for (int64_t n : kSizes) {
    const std::vector<double> alphas = {0.3, 1.0, 2.5, 17.0, 1e-3, 2000.0, 4.0};
    const std::vector<double> xs = {0.05, 1.3, 0.4, 20.0, 1e-200, 1950.0, 0.0};
    const StandardGammaGrad op;
    expect_matches_cpu(
        op, {cycled(alphas, n), cycled(xs, n)},
        [&](TensorSpan in, const Tensor& out, auto launch) {
          run_standard_gamma_grad(op, in, out, launch);
        },
        "standard_gamma_grad n=" + std::to_string(n));
  }
}

TEST(KernelEmulationSeq, BinomialMatchesTheCpuBitForBit) {
  // Zero counts and the edge probabilities; inversion (count * p < 10) and BTRS, each with
  // p above 1/2 (the flipped draw).
  const std::vector<double> counts = {0, 5, 12, 1000, 1000, 3, 40, 1e6, 7};
  const std::vector<double> probs = {0.5, 0.0, 1.0, 0.3, 0.7, 0.9, 0.99, 0.5, 0.002};
  for (int64_t n : kSizes) {
    for (const PhiloxState& state : kStates) {
      const Binomial op(state);
      expect_matches_cpu(
          op, {cycled(counts, n), cycled(probs, n)},
          [&](TensorSpan in, const Tensor& out, auto launch) { run_binomial(op, in, out, launch); },
          "binomial n=" + std::to_string(n) + " seed=" + std::to_string(state.seed));
    }
  }
}

TEST(KernelEmulationSeq, SamplersRejectOperandsOutsideTheContract) {
  const Tensor alpha = full({4}, 2.0, TensorOptions(kFloat32));
  const Tensor out = empty({4}, TensorOptions(kFloat64));
  EXPECT_THROW(run_standard_gamma(StandardGamma({1, 2}), TensorSpan(&alpha, 1), out,
                                  EmulatedLauncher{"seq"}),
               NotImplementedError);
}

// Every element of `actual` within atol + rtol * |expected|, infinities equal only to themselves.
void expect_close(const Tensor& actual, const Tensor& expected, double tolerance,
                  const std::string& what) {
  ASSERT_EQ(actual.shape(), expected.shape()) << what;
  const Tensor a = actual.to(kFloat64).contiguous(), e = expected.to(kFloat64).contiguous();
  const double *pa = a.data_ptr<double>(), *pe = e.data_ptr<double>();
  for (int64_t i = 0; i < a.numel(); ++i) {
    if (std::isinf(pe[i])) {
      EXPECT_EQ(pa[i], pe[i]) << what << " at " << i;
    } else {
      EXPECT_NEAR(pa[i], pe[i], tolerance * (1 + std::fabs(pe[i]))) << what << " at " << i;
    }
  }
}

struct AttentionCase {
  bool is_causal;
  int mask;  // 0: none, 1: bool, 2: additive
  double dropout_p;
  int64_t queries, keys;
};

TEST(KernelEmulationSeq, AttentionCompositeMatchesTheCpuKernel) {
  // Two batches of three heads; masks broadcast over the heads (expanded, not copied), with a
  // fully masked query row; L < S, L > S and causal, dropout with a high-word state.
  const std::vector<AttentionCase> cases = {
      {false, 0, 0.0, 5, 7}, {true, 0, 0.0, 5, 7},  {true, 0, 0.0, 7, 3},
      {false, 1, 0.0, 5, 7}, {false, 2, 0.0, 4, 9}, {true, 1, 0.0, 6, 6},
      {false, 0, 0.3, 5, 7}, {true, 1, 0.25, 6, 8}, {false, 0, 0.0, 1, 1}};
  const PhiloxState dropout_state{0x123456789abcdef0ULL, 0xfedcba9876543210ULL};
  for (ScalarType dtype : {kFloat64, kFloat32}) {
    const double tolerance = dtype == kFloat64 ? 1e-10 : 2e-4;
    for (const AttentionCase& c : cases) {
      ember::manual_seed(7);
      const int64_t batch = 6, L = c.queries, S = c.keys, E = 4, Ev = 3;
      const TensorOptions options(dtype);
      const Tensor q = ember::randn({batch, L, E}, options),
                   k = ember::randn({batch, S, E}, options);
      const Tensor v = ember::randn({batch, S, Ev}, options);
      std::vector<Tensor> inputs = {q, k, v};
      if (c.mask == 1) {
        Tensor keep = ember::rand({2, 1, L, S}).gt(Scalar(0.3));
        keep.select(0, 1).select(0, 0).select(0, 0).fill_(false);
        inputs.push_back(keep.expand({2, 3, L, S}));
      } else if (c.mask == 2) {
        inputs.push_back(ember::randn({2, 1, L, S}, options).expand({2, 3, L, S}));
      }
      const std::string what =
          std::string(dtype_name(dtype)) + " causal=" + std::to_string(c.is_causal) +
          " mask=" + std::to_string(c.mask) + " dropout=" + std::to_string(c.dropout_p) +
          " L=" + std::to_string(L) + " S=" + std::to_string(S);
      const double scale = 0.7;
      const ScaledDotProductAttention forward(scale, c.is_causal, c.mask != 0, c.dropout_p,
                                              dropout_state);
      const std::vector<Tensor> expected = {empty({batch, L, Ev}, options),
                                            empty({batch, L}, options)};
      const std::vector<Tensor> actual = {empty({batch, L, Ev}, options),
                                          empty({batch, L}, options)};
      forward.eval_cpu(TensorSpan(inputs), TensorSpan(expected));
      attention_forward(forward, TensorSpan(inputs), TensorSpan(actual));
      expect_close(actual[0], expected[0], tolerance, "out " + what);
      expect_close(actual[1], expected[1], tolerance, "lse " + what);

      const ScaledDotProductAttentionBackward backward(scale, c.is_causal, c.mask != 0, c.dropout_p,
                                                       dropout_state);
      std::vector<Tensor> backward_inputs = {
          ember::randn({batch, L, Ev}, options), q, k, v, expected[0], expected[1]};
      if (c.mask != 0) backward_inputs.push_back(inputs[3]);
      const std::vector<Tensor> expected_grads = {
          empty(q.shape(), options), empty(k.shape(), options), empty(v.shape(), options)};
      const std::vector<Tensor> grads = {empty(q.shape(), options), empty(k.shape(), options),
                                         empty(v.shape(), options)};
      backward.eval_cpu(TensorSpan(backward_inputs), TensorSpan(expected_grads));
      attention_backward(backward, TensorSpan(backward_inputs), TensorSpan(grads));
      expect_close(grads[0], expected_grads[0], tolerance, "grad_q " + what);
      expect_close(grads[1], expected_grads[1], tolerance, "grad_k " + what);
      expect_close(grads[2], expected_grads[2], tolerance, "grad_v " + what);
    }
  }
}

struct RnnCase {
  RnnCellKind kind;
  bool reverse, bias, projection;
};

// Fresh outputs of the given shapes.
std::vector<Tensor> empties(const std::vector<Shape>& shapes, TensorOptions options) {
  std::vector<Tensor> result;
  for (const Shape& shape : shapes) result.push_back(ember::full(shape, 5.0, options));
  return result;
}

void expect_all_close(const std::vector<Tensor>& actual, const std::vector<Tensor>& expected,
                      double tolerance, const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < actual.size(); ++i) {
    expect_close(actual[i], expected[i], tolerance, what + " output " + std::to_string(i));
  }
}

std::vector<Shape> shapes_of(const std::vector<Tensor>& tensors) {
  std::vector<Shape> shapes;
  for (const Tensor& tensor : tensors) shapes.push_back(tensor.shape());
  return shapes;
}

// Every kind, both directions, with and without biases, LSTM with a projection; packed batch
// sizes (3, 3, 2, 1), and an empty sequence.
TEST(KernelEmulationSeq, RnnLayerMatchesTheCpu) {
  const std::vector<RnnCase> cases = {
      {RnnCellKind::Tanh, false, true, false}, {RnnCellKind::Relu, true, false, false},
      {RnnCellKind::Lstm, false, true, false}, {RnnCellKind::Lstm, true, true, true},
      {RnnCellKind::Lstm, false, false, true}, {RnnCellKind::Gru, false, true, false},
      {RnnCellKind::Gru, true, false, false}};
  for (ScalarType dtype : {kFloat64, kFloat32}) {
    const double tolerance = dtype == kFloat64 ? 1e-12 : 1e-5;
    const TensorOptions options(dtype);
    for (const RnnCase& c : cases) {
      for (const std::vector<int64_t>& sizes :
           {std::vector<int64_t>{3, 3, 2, 1}, std::vector<int64_t>{}}) {
        ember::manual_seed(11);
        const int64_t batch = sizes.empty() ? 3 : sizes[0], hidden = 4;
        const int64_t out = c.projection ? 3 : hidden, gates = rnn_gate_count(c.kind) * hidden;
        int64_t total = 0;
        for (int64_t size : sizes) total += size;
        const RnnLayer forward(c.kind, c.reverse, sizes, c.bias, c.projection);
        std::vector<Tensor> inputs = {ember::randn({total, gates}, options),
                                      ember::randn({batch, out}, options),
                                      ember::randn({gates, out}, options)};
        if (forward.is_lstm()) inputs.push_back(ember::randn({batch, hidden}, options));
        if (c.bias) inputs.push_back(ember::randn({gates}, options));
        if (c.projection) inputs.push_back(ember::randn({out, hidden}, options));
        std::vector<Shape> shapes = {
            {total, out}, {batch, out}, {total, forward.workspace_size(hidden, out)}};
        if (forward.is_lstm()) shapes.push_back({batch, hidden});
        const std::vector<Tensor> expected = empties(shapes, options);
        const std::vector<Tensor> actual = empties(shapes, options);
        forward.eval_cpu(TensorSpan(inputs), TensorSpan(expected));
        run_rnn_layer(forward, TensorSpan(inputs), TensorSpan(actual), EmulatedLauncher{"seq"});
        const std::string what =
            std::string(dtype_name(dtype)) + " " + std::string(forward.name()) +
            " kind=" + std::to_string(static_cast<int>(c.kind)) +
            " reverse=" + std::to_string(c.reverse) + " steps=" + std::to_string(sizes.size());
        expect_all_close(actual, expected, tolerance, "forward " + what);

        const RnnLayerBackward backward(c.kind, c.reverse, sizes, c.bias, c.projection);
        std::vector<Tensor> grad_inputs = {ember::randn({total, out}, options),
                                           ember::randn({batch, out}, options), expected[2],
                                           inputs[2]};
        if (forward.is_lstm()) grad_inputs.push_back(ember::randn({batch, hidden}, options));
        if (c.projection) grad_inputs.push_back(inputs.back());
        std::vector<Shape> grad_shapes = {{total, gates}, {batch, out}, {gates, out}, {gates}};
        if (forward.is_lstm()) grad_shapes.push_back({batch, hidden});
        if (c.projection) grad_shapes.push_back({out, hidden});
        const std::vector<Tensor> expected_grads = empties(grad_shapes, options);
        const std::vector<Tensor> grads = empties(grad_shapes, options);
        backward.eval_cpu(TensorSpan(grad_inputs), TensorSpan(expected_grads));
        run_rnn_layer_backward(backward, TensorSpan(grad_inputs), TensorSpan(grads),
                               EmulatedLauncher{"seq"});
        expect_all_close(grads, expected_grads, tolerance, "backward " + what);
      }
    }
  }
}

TEST(KernelEmulationSeq, RnnCellMatchesTheCpu) {
  for (ScalarType dtype : {kFloat64, kFloat32}) {
    const double tolerance = dtype == kFloat64 ? 1e-12 : 1e-5;
    const TensorOptions options(dtype);
    for (RnnCellKind kind :
         {RnnCellKind::Tanh, RnnCellKind::Relu, RnnCellKind::Lstm, RnnCellKind::Gru}) {
      for (bool bias : {true, false}) {
        ember::manual_seed(13);
        const int64_t batch = 5, in = 3, hidden = 4, gates = rnn_gate_count(kind) * hidden;
        const RnnLayer forward(kind, false, {batch}, bias, false, true);
        std::vector<Tensor> inputs = {
            ember::randn({batch, in}, options), ember::randn({batch, hidden}, options),
            ember::randn({gates, in}, options), ember::randn({gates, hidden}, options)};
        if (forward.is_lstm()) inputs.push_back(ember::randn({batch, hidden}, options));
        if (bias) {
          inputs.push_back(ember::randn({gates}, options));
          inputs.push_back(ember::randn({gates}, options));
        }
        std::vector<Shape> shapes = {{batch, hidden},
                                     {batch, forward.workspace_size(hidden, hidden)}};
        if (forward.is_lstm()) shapes.push_back({batch, hidden});
        const std::vector<Tensor> expected = empties(shapes, options);
        const std::vector<Tensor> actual = empties(shapes, options);
        forward.eval_cpu(TensorSpan(inputs), TensorSpan(expected));
        run_rnn_layer(forward, TensorSpan(inputs), TensorSpan(actual), EmulatedLauncher{"seq"});
        const std::string what = std::string(dtype_name(dtype)) + " " +
                                 std::string(forward.name()) + " bias=" + std::to_string(bias);
        expect_all_close(actual, expected, tolerance, "forward " + what);

        const RnnLayerBackward backward(kind, false, {batch}, bias, false, true);
        std::vector<Tensor> grad_inputs = {ember::randn({batch, hidden}, options), expected[1],
                                           inputs[0], inputs[2], inputs[3]};
        if (forward.is_lstm()) grad_inputs.push_back(ember::randn({batch, hidden}, options));
        std::vector<Tensor> grad_like = {inputs[0], inputs[1], inputs[2], inputs[3]};
        if (forward.is_lstm()) grad_like.push_back(inputs[4]);
        if (bias) {
          grad_like.push_back(ember::zeros({gates}, options));
          grad_like.push_back(ember::zeros({gates}, options));
        }
        const std::vector<Tensor> expected_grads = empties(shapes_of(grad_like), options);
        const std::vector<Tensor> grads = empties(shapes_of(grad_like), options);
        backward.eval_cpu(TensorSpan(grad_inputs), TensorSpan(expected_grads));
        run_rnn_layer_backward(backward, TensorSpan(grad_inputs), TensorSpan(grads),
                               EmulatedLauncher{"seq"});
        expect_all_close(grads, expected_grads, tolerance, "backward " + what);
      }
    }
  }
}

}  // namespace
}  // namespace ember::cuda
