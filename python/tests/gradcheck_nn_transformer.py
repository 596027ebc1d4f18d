"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
multi-head attention through the projections, the heads' softmax and every mask kind.

Each case runs on contiguous, transposed and sliced leaves (test_gradcheck's layouts); the
"broadcast" case passes an expanded query.
"""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere

NAME = "nn.functional.multi_head_attention_forward"


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    mha = ember.nn.functional.multi_head_attention_forward
    padding = ember.tensor([[False, True, False], [False, False, True]])

    def self_attention(x, w_in, b_in, w_out, b_out):
        return mha(x, x, x, 4, 2, w_in, b_in, None, None, False, 0.0, w_out, b_out)

    add(NAME, "self-attention, weights", self_attention, real(2, 2, 4), real(12, 4), real(12),
        real(4, 4), real(4))
    add(NAME, "broadcast query",
        lambda x, w_in, b_in, w_out, b_out: self_attention(x.expand(2, 2, 4), w_in, b_in,
                                                           w_out, b_out),
        real(4), real(12, 4), real(12), real(4, 4), real(4))

    def separate(q, k, v, w_q, w_k, w_v, w_out):
        return mha(q, k, v, 4, 2, None, None, None, None, False, 0.0, w_out, None,
                   key_padding_mask=padding, need_weights=False, use_separate_proj_weight=True,
                   q_proj_weight=w_q, k_proj_weight=w_k, v_proj_weight=w_v)[0]

    add(NAME, "separate weights, key padding", separate, real(2, 2, 4), real(3, 2, 3),
        real(3, 2, 2), real(4, 4), real(4, 3), real(4, 2), real(4, 4))

    def bias_kv(q, k, w_in, bias_k, bias_v, w_out, mask):
        return mha(q, k, k, 2, 1, w_in, None, bias_k, bias_v, True, 0.0, w_out, None,
                   attn_mask=mask, average_attn_weights=False)

    add(NAME, "bias_kv, zero attention, float mask", bias_kv, real(2, 1, 2), real(3, 1, 2),
        real(6, 2), real(1, 1, 2), real(1, 1, 2), real(2, 2), real(2, 3))
