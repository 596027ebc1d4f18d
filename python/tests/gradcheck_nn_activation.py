"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
nn.functional's activation ops, the softmax family, dropout and distances.
"""
import ember
import ember.nn.functional as F  # noqa: N812 (PyTorch's idiom)

NON_DIFFERENTIABLE = {  # op_db name -> why it is not gradient-checked
    "nn.functional.one_hot": "integer result",
}
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def seeded(function):
    """function with the global generator reset first, so that every evaluation of a random op
    (dropout, rrelu in training, gumbel_softmax) draws the same mask."""

    def call(*args):
        ember.manual_seed(1234)
        return function(*args)

    return call


# op name -> (note, fn) cases on a (3, 4) input, besides the standard ones.
ELEMENTWISE = {
    "relu": lambda x: F.relu(x),
    "relu6": lambda x: F.relu6(x * 4),
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "elu": lambda x: F.elu(x, 0.7),
    "selu": lambda x: F.selu(x),
    "celu": lambda x: F.celu(x, 1.5),
    "silu": lambda x: F.silu(x),
    "mish": lambda x: F.mish(x),
    "hardtanh": lambda x: F.hardtanh(x, -0.75, 1.25),
    "hardsigmoid": lambda x: F.hardsigmoid(x * 2),
    "hardswish": lambda x: F.hardswish(x * 2),
    "softsign": lambda x: F.softsign(x),
    "softshrink": lambda x: F.softshrink(x, 0.3),
    "hardshrink": lambda x: F.hardshrink(x, 0.3),
    "tanhshrink": lambda x: F.tanhshrink(x),
    "threshold": lambda x: F.threshold(x, 0.1, -1.5),
    "logsigmoid": lambda x: F.logsigmoid(x * 4),
    "rrelu": lambda x: F.rrelu(x, 0.1, 0.3),
    "sigmoid": lambda x: F.sigmoid(x),
    "tanh": lambda x: F.tanh(x),
}


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    for name, fn in (("softmax", F.softmax), ("log_softmax", F.log_softmax),
                     ("softmin", F.softmin)):
        op = f"nn.functional.{name}"
        add(op, "dim1", lambda x, fn=fn: fn(x, 1), real(3, 4))
        add(op, "dim0", lambda x, fn=fn: fn(x, 0), real(4, 3))
        add(op, "3-d-inner", lambda x, fn=fn: fn(x, 1), real(2, 3, 4))
        add(op, "expanded", lambda x, fn=fn: fn(x.expand(3, 4), -1), real(4))
        add(op, "0-d", lambda x, fn=fn: fn(x, 0), real(), layouts=("contiguous",))
    add("nn.functional.softmax", "method", lambda x: x.softmax(-1), real(3, 4))
    add("nn.functional.log_softmax", "top-level", lambda x: ember.log_softmax(x, 0), real(3, 4))

    for name, fn in ELEMENTWISE.items():
        op = f"nn.functional.{name}"
        add(op, "3x4", fn, real(3, 4))
        add(op, "expanded", lambda x, fn=fn: fn(x.expand(3, 4)), real(4))
        add(op, "0-d", fn, real(), layouts=("contiguous",))
    for name in ("relu", "leaky_relu", "elu", "selu", "celu", "hardtanh", "threshold", "rrelu"):
        inplace = getattr(F, f"{name}_")
        args = {"threshold": (0.1, -1.5)}.get(name, ())
        add(f"nn.functional.{name}", "inplace", lambda x, f=inplace, a=args: f(x * 1, *a),
            real(3, 4))
    add("nn.functional.leaky_relu", "inplace-keyword",
        lambda x: F.leaky_relu(x * 1, 0.3, inplace=True), real(3, 4))
    add("nn.functional.gelu", "none", lambda x: F.gelu(x), real(3, 4))
    add("nn.functional.gelu", "tanh", lambda x: F.gelu(x, approximate="tanh"), real(3, 4))
    add("nn.functional.gelu", "expanded", lambda x: F.gelu(x.expand(3, 4)), real(4))
    add("nn.functional.softplus", "default", lambda x: F.softplus(x), real(3, 4))
    add("nn.functional.softplus", "beta-threshold",
        lambda x: F.softplus(x * 3, beta=2.0, threshold=5.0), real(3, 4))
    add("nn.functional.rrelu", "training", seeded(lambda x: F.rrelu(x, training=True)),
        real(3, 4))
    add("nn.functional.glu", "dim-1", lambda x: F.glu(x), real(3, 4))
    add("nn.functional.glu", "dim0", lambda x: F.glu(x, 0), real(4, 3))
    add("nn.functional.prelu", "per-channel", lambda x, w: F.prelu(x, w), real(2, 3, 4), real(3))
    add("nn.functional.prelu", "shared", lambda x, w: F.prelu(x, w), real(2, 3), real(1))

    add("nn.functional.dropout", "p0.5", seeded(lambda x: F.dropout(x, 0.5)), real(3, 4))
    add("nn.functional.dropout", "inplace",
        seeded(lambda x: F.dropout(x * 1, 0.3, inplace=True)), real(3, 4))
    add("nn.functional.alpha_dropout", "training",
        seeded(lambda x: F.alpha_dropout(x, 0.4, training=True)), real(3, 4))
    add("nn.functional.feature_alpha_dropout", "training",
        seeded(lambda x: F.feature_alpha_dropout(x, 0.4, training=True)), real(2, 3, 4))
    add("nn.functional.dropout1d", "batched", seeded(lambda x: F.dropout1d(x, 0.5)),
        real(2, 3, 4))
    add("nn.functional.dropout2d", "unbatched", seeded(lambda x: F.dropout2d(x, 0.5)),
        real(3, 2, 2))
    add("nn.functional.dropout3d", "batched", seeded(lambda x: F.dropout3d(x, 0.5)),
        real(2, 2, 2, 2, 2))

    add("nn.functional.normalize", "dim1", lambda x: F.normalize(x), real(3, 4))
    add("nn.functional.normalize", "p1-dim0", lambda x: F.normalize(x, 1.0, 0), real(3, 4))
    add("nn.functional.cosine_similarity", "dim1",
        lambda a, b: F.cosine_similarity(a, b), real(3, 4), real(3, 4))
    add("nn.functional.cosine_similarity", "broadcast",
        lambda a, b: F.cosine_similarity(a, b, dim=-1), real(3, 4), real(4))
    add("nn.functional.pairwise_distance", "p2",
        lambda a, b: F.pairwise_distance(a, b), real(3, 4), real(3, 4))
    add("nn.functional.pairwise_distance", "p1-broadcast",
        lambda a, b: F.pairwise_distance(a, b, p=1.0), real(3, 4), real(4))
    add("nn.functional.pdist", "p2", lambda x: F.pdist(x), real(4, 3))
    add("nn.functional.pdist", "p3", lambda x: F.pdist(x, 3.0), real(3, 2))
    add("nn.functional.gumbel_softmax", "soft",
        seeded(lambda x: F.gumbel_softmax(x, tau=0.7)), real(3, 4))
    add("nn.functional.gumbel_softmax", "dim0",
        seeded(lambda x: F.gumbel_softmax(x, dim=0)), real(3, 4))
    # hard=True is straight-through: its gradient is the soft sample's by design, not the
    # derivative of its piecewise-constant value (test_nn_activation.py checks it).
