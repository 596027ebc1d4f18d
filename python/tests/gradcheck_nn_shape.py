"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
nn.functional's padding, embedding, pixel-shuffle and fold ops.

Each case runs on contiguous, transposed and sliced leaves (test_gradcheck's layouts); the
"broadcast" cases pass an expanded input.
"""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    pad = ember.nn.functional.pad
    add("nn.functional.pad", "constant", lambda x: pad(x, (1, 2, 0, 1), value=0.5), real(2, 3, 4))
    add("nn.functional.pad", "constant crop", lambda x: pad(x, (-1, 2, 1, -1)), real(2, 3, 4))
    for mode in ("reflect", "replicate", "circular"):
        add("nn.functional.pad", f"{mode} 1d", lambda x, m=mode: pad(x, (2, 3), mode=m),
            real(2, 3, 4))
        add("nn.functional.pad", f"{mode} 2d", lambda x, m=mode: pad(x, (1, 2, 2, 1), mode=m),
            real(2, 3, 4))
        add("nn.functional.pad", f"{mode} 3d",
            lambda x, m=mode: pad(x, (1, 0, 1, 1, 0, 2), mode=m), real(1, 3, 3, 4))
        add("nn.functional.pad", f"{mode} broadcast",
            lambda x, m=mode: pad(x.expand(2, 3, 4), (2, 1), mode=m), real(3, 4))

    embedding = ember.nn.functional.embedding
    index = ember.tensor([[1, 3, 1], [0, 4, 3]])
    add("nn.functional.embedding", "rows", lambda w: embedding(index, w), real(5, 3))
    # padding_idx and scale_grad_by_freq change the gradient on purpose (no longer the
    # derivative), so they are checked by value in test_nn_shape_layers.py instead.
    add("nn.functional.embedding", "broadcast", lambda w: embedding(index, w.expand(5, 3)),
        real(3))

    bag = ember.nn.functional.embedding_bag
    flat, offsets = ember.tensor([0, 2, 4, 1, 3, 3]), ember.tensor([0, 2, 2])
    for mode in ("sum", "mean", "max"):
        add("nn.functional.embedding_bag", mode,
            lambda w, m=mode: bag(flat, w, offsets, mode=m), real(5, 3))
        add("nn.functional.embedding_bag", f"{mode} 2-d padding",
            lambda w, m=mode: bag(index, w, mode=m, padding_idx=1), real(5, 3))
    for mode in (0, 1, 2):
        add("embedding_bag", f"mode {mode}",
            lambda w, m=mode: ember.embedding_bag(w, flat, offsets, mode=m)[0], real(5, 3))
    add("nn.functional.embedding_bag", "per_sample_weights",
        lambda w, p: bag(flat, w, offsets, mode="sum", per_sample_weights=p), real(5, 3), real(6))

    for name, op in (("nn.functional.pixel_shuffle", ember.nn.functional.pixel_shuffle),
                     ("pixel_shuffle", ember.pixel_shuffle)):
        add(name, "r2", lambda x, f=op: f(x, 2), real(2, 8, 2, 3))
        add(name, "broadcast", lambda x, f=op: f(x.expand(2, 4, 2, 2), 2), real(4, 2, 2))
    for name, op in (("nn.functional.pixel_unshuffle", ember.nn.functional.pixel_unshuffle),
                     ("pixel_unshuffle", ember.pixel_unshuffle)):
        add(name, "r2", lambda x, f=op: f(x, 2), real(2, 2, 4, 6))
        add(name, "broadcast", lambda x, f=op: f(x.expand(2, 1, 4, 4), 2), real(1, 4, 4))

    unfold, fold = ember.nn.functional.unfold, ember.nn.functional.fold
    add("nn.functional.unfold", "basic", lambda x: unfold(x, 2), real(2, 2, 3, 4))
    add("nn.functional.unfold", "dilation padding stride",
        lambda x: unfold(x, (2, 3), dilation=(2, 1), padding=1, stride=(1, 2)), real(1, 2, 5, 5))
    add("nn.functional.unfold", "broadcast", lambda x: unfold(x.expand(2, 3, 3), 2), real(3, 3))
    add("nn.functional.fold", "basic", lambda x: fold(x, (3, 4), 2), real(2, 8, 6))
    add("nn.functional.fold", "dilation padding stride",
        lambda x: fold(x, (4, 4), 2, dilation=2, padding=1, stride=2), real(1, 8, 4))
    add("nn.functional.fold", "broadcast", lambda x: fold(x.expand(4, 6), (3, 4), 2), real(6))
