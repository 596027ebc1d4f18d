"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
nn.functional's loss ops. Each is checked w.r.t. its floating inputs, the target included where
PyTorch differentiates it; class indices and +-1 labels are fixed tensors.
"""
import ember
from ember.nn import functional as F  # noqa: N812 (PyTorch's spelling)

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def indices(*values):
    return ember.tensor(list(values), dtype=ember.int64)


def labels(*values):
    return ember.tensor(list(values), dtype=ember.float64)


SIGNS = labels(1.0, -1.0, -1.0, 1.0)


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    for name in ("l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss"):
        op = getattr(F, name)
        name = f"nn.functional.{name}"
        for reduction in ("none", "mean", "sum"):
            add(name, reduction, lambda x, y, op=op, r=reduction: op(x, y, reduction=r),
                real(3, 4), real(3, 4))
        add(name, "broadcast", lambda x, y, op=op: op(x, y), real(3, 4), real(4))
    add("nn.functional.smooth_l1_loss", "beta", lambda x, y: F.smooth_l1_loss(x, y, beta=0.4),
        real(3, 4), real(3, 4))
    add("nn.functional.huber_loss", "delta", lambda x, y: F.huber_loss(x, y, delta=0.4),
        real(3, 4), real(3, 4))
    add("nn.functional.soft_margin_loss", "mean", F.soft_margin_loss, real(3, 4), real(3, 4))

    targets = indices(2, 0, 3, 1, 2)
    weight = labels(0.5, 2.0, 1.0, 1.5)
    add("nn.functional.nll_loss", "mean", lambda x: F.nll_loss(x, targets), real(5, 4))
    add("nn.functional.nll_loss", "weight-ignore",
        lambda x: F.nll_loss(x, targets, weight=weight, ignore_index=0), real(5, 4))
    add("nn.functional.nll_loss", "none", lambda x: F.nll_loss(x, targets, reduction="none"),
        real(5, 4))
    spatial = indices(0, 2, 1, 2, 0, 1).reshape(2, 3)
    add("nn.functional.nll_loss", "k-dim", lambda x: F.nll_loss(x, spatial, reduction="sum"),
        real(2, 3, 3))
    add("nn.functional.cross_entropy", "mean", lambda x: F.cross_entropy(x, targets), real(5, 4))
    add("nn.functional.cross_entropy", "smoothing-weight",
        lambda x: F.cross_entropy(x, targets, weight=weight, ignore_index=1, label_smoothing=0.2),
        real(5, 4))
    add("nn.functional.cross_entropy", "k-dim",
        lambda x: F.cross_entropy(x, spatial, reduction="none"), real(2, 3, 3))
    add("nn.functional.nll_loss", "non-contiguous",
        lambda x: F.nll_loss(x.t(), targets, weight=weight, reduction="sum"), real(4, 5))
    add("nn.functional.nll_loss", "unbatched", lambda x: F.nll_loss(x, indices(2)[0]), real(4))
    add("nn.functional.cross_entropy", "non-contiguous-smoothing",
        lambda x: F.cross_entropy(x.t(), targets, label_smoothing=0.3, reduction="sum"),
        real(4, 5))
    add("nn.functional.cross_entropy", "k-dim-weight-ignore-smoothing",
        lambda x: F.cross_entropy(x, spatial, weight=weight[:3], ignore_index=2,
                                  label_smoothing=0.25),
        real(2, 3, 3))
    add("nn.functional.cross_entropy", "unbatched",
        lambda x: F.cross_entropy(x, indices(3)[0], label_smoothing=0.1), real(4))
    add("nn.functional.cross_entropy", "probabilities",
        lambda x, p: F.cross_entropy(x, p, label_smoothing=0.1), real(5, 4),
        real(5, 4, domain="probability"))

    for reduction in ("none", "mean"):
        add("nn.functional.binary_cross_entropy", reduction,
            lambda x, y, r=reduction: F.binary_cross_entropy(x, y, reduction=r),
            real(3, 4, domain="probability"), real(3, 4, domain="probability"))
        add("nn.functional.binary_cross_entropy_with_logits", reduction,
            lambda x, y, r=reduction: F.binary_cross_entropy_with_logits(x, y, reduction=r),
            real(3, 4), real(3, 4, domain="probability"))
    pos_weight = labels(0.5, 2.0, 1.0, 3.0)
    add("nn.functional.binary_cross_entropy_with_logits", "weights",
        lambda x, y: F.binary_cross_entropy_with_logits(x, y, weight=weight,
                                                        pos_weight=pos_weight),
        real(3, 4), real(3, 4, domain="probability"))
    add("nn.functional.binary_cross_entropy", "weight",
        lambda x, y: F.binary_cross_entropy(x, y, weight=weight),
        real(3, 4, domain="probability"), real(3, 4, domain="probability"))

    add("nn.functional.kl_div", "batchmean",
        lambda x, y: F.kl_div(x, y, reduction="batchmean"), real(3, 4),
        real(3, 4, domain="probability"))
    add("nn.functional.kl_div", "log-target",
        lambda x, y: F.kl_div(x, y, reduction="sum", log_target=True), real(3, 4), real(3, 4))
    add("nn.functional.poisson_nll_loss", "log-input", F.poisson_nll_loss, real(3, 4),
        real(3, 4, domain="positive"))
    add("nn.functional.poisson_nll_loss", "full",
        lambda x, y: F.poisson_nll_loss(x, y, log_input=False, full=True),
        real(3, 4, domain="positive"), real(3, 4, domain="above_one"))
    add("nn.functional.gaussian_nll_loss", "full",
        lambda x, y, v: F.gaussian_nll_loss(x, y, v, full=True), real(3, 4), real(3, 4),
        real(3, 4, domain="positive"))
    add("nn.functional.gaussian_nll_loss", "var-broadcast",
        lambda x, y, v: F.gaussian_nll_loss(x, y, v, reduction="none"), real(3, 4), real(3, 4),
        real(3, domain="positive"))

    add("nn.functional.margin_ranking_loss", "margin",
        lambda a, b: F.margin_ranking_loss(a, b, SIGNS, margin=0.5), real(4), real(4))
    add("nn.functional.hinge_embedding_loss", "margin",
        lambda x: F.hinge_embedding_loss(x, SIGNS.reshape(2, 2), margin=1.5), real(2, 2))
    add("nn.functional.cosine_embedding_loss", "margin",
        lambda a, b: F.cosine_embedding_loss(a, b, SIGNS, margin=-0.5, reduction="sum"),
        real(4, 3), real(4, 3))
    add("nn.functional.triplet_margin_loss", "swap",
        lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=2.0, swap=True), real(4, 3),
        real(4, 3), real(4, 3))
    add("nn.functional.triplet_margin_loss", "p=1",
        lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=2.0, p=1, reduction="none"),
        real(4, 3), real(4, 3), real(4, 3))
    add("nn.functional.multilabel_soft_margin_loss", "weight",
        lambda x, y: F.multilabel_soft_margin_loss(x, y, weight=weight), real(3, 4),
        real(3, 4, domain="probability"))
    rows = indices(2, 0, 3)
    add("nn.functional.multi_margin_loss", "p=1", lambda x: F.multi_margin_loss(x, rows),
        real(3, 4))
    add("nn.functional.multi_margin_loss", "p=2-weight",
        lambda x: F.multi_margin_loss(x, rows, p=2, margin=3.0, weight=weight), real(3, 4))
    listed = indices(3, 0, -1, 1, 1, -1, 2, 0, 2, 1, 3, -1).reshape(3, 4)
    add("nn.functional.multilabel_margin_loss", "mean",
        lambda x: F.multilabel_margin_loss(x, listed), real(3, 4))

    ctc_targets = indices(1, 1, 2, 3, 2, 0).reshape(2, 3)
    frames, lengths = indices(5, 4), indices(3, 2)
    add("nn.functional.ctc_loss", "padded",
        lambda x: F.ctc_loss(x - x.logsumexp(-1, keepdim=True), ctc_targets, frames, lengths),
        real(5, 2, 4))
    add("nn.functional.ctc_loss", "log-probs-zero-infinity",
        lambda x: F.ctc_loss(x, ctc_targets, indices(5, 1), lengths, reduction="sum",
                             zero_infinity=True), real(5, 2, 4))
