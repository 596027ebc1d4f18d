"""nn.utils.rnn: PackedSequence and the pack / pad functions with PyTorch's semantics (values
written out by hand from PyTorch's layout), round trips in the caller's batch order, gradients
through packing, PackedSequence's conversions and the bad-input errors."""
import numpy as np
import pytest

import ember
from ember.nn.utils import rnn


def sequences_of(*lengths, features=2, dtype=ember.float64):
    return [ember.randn(length, features, dtype=dtype) for length in lengths]


def test_pack_padded_sequence_layout_is_pytorchs():
    # (T=3, B=3), entry 10 * t + b; lengths 3, 2, 1 -> rows of the running sequences per step
    padded = ember.tensor([[0.0, 1.0, 2.0], [10.0, 11.0, 12.0], [20.0, 21.0, 22.0]])
    packed = rnn.pack_padded_sequence(padded, [3, 2, 1])
    assert isinstance(packed, rnn.PackedSequence) and isinstance(packed, tuple)
    assert packed.data.tolist() == [0.0, 1.0, 2.0, 10.0, 11.0, 20.0]
    assert packed.batch_sizes.tolist() == [3, 2, 1]
    assert packed.batch_sizes.dtype == ember.int64
    assert packed.sorted_indices is None and packed.unsorted_indices is None
    data, batch_sizes, sorted_indices, unsorted_indices = packed  # a 4-field namedtuple
    assert data is packed.data and batch_sizes is packed.batch_sizes
    assert sorted_indices is None and unsorted_indices is None
    padded_again, lengths = rnn.pad_packed_sequence(packed, padding_value=-1.0, total_length=4)
    assert padded_again.tolist() == [[0.0, 1.0, 2.0], [10.0, 11.0, -1.0], [20.0, -1.0, -1.0],
                                     [-1.0, -1.0, -1.0]]
    assert lengths.tolist() == [3, 2, 1]


def test_unsorted_batch_round_trips_in_the_callers_order():
    padded = ember.randn(3, 4, 2, dtype=ember.float64)  # batch_first (B=3, T=4)
    lengths = ember.tensor([2, 4, 3])
    packed = rnn.pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    assert packed.sorted_indices.tolist() == [1, 2, 0]
    assert packed.unsorted_indices.tolist() == [2, 0, 1]
    assert packed.batch_sizes.tolist() == [3, 3, 2, 1]
    again, out_lengths = rnn.pad_packed_sequence(packed, batch_first=True)
    assert out_lengths.tolist() == [2, 4, 3]
    for b, length in enumerate([2, 4, 3]):
        np.testing.assert_array_equal(again[b, :length].numpy(), padded[b, :length].numpy())
        assert not again[b, length:].numpy().any()


def test_pack_sequence_unpack_sequence_pad_and_unpad():
    sequences = sequences_of(2, 4, 1)
    packed = rnn.pack_sequence(sequences, enforce_sorted=False)
    assert packed.data.shape == (7, 2)
    for got, expected in zip(rnn.unpack_sequence(packed), sequences):
        np.testing.assert_array_equal(got.numpy(), expected.numpy())
    padded = rnn.pad_sequence(sequences, batch_first=True, padding_value=5.0, padding_side="left")
    assert padded.shape == (3, 4, 2)
    assert padded[2, :3].tolist() == [[5.0, 5.0]] * 3
    np.testing.assert_array_equal(padded[2, 3].numpy(), sequences[2][0].numpy())
    time_major = rnn.pad_sequence(sequences)
    assert time_major.shape == (4, 3, 2)
    for got, expected in zip(rnn.unpad_sequence(time_major, ember.tensor([2, 4, 1])), sequences):
        np.testing.assert_array_equal(got.numpy(), expected.numpy())


def test_packing_is_differentiable():
    padded = ember.randn(3, 2, 2, dtype=ember.float64, requires_grad=True)
    packed = rnn.pack_padded_sequence(padded, [3, 1])
    weights = ember.arange(8.0, dtype=ember.float64).reshape(4, 2)
    (packed.data * weights).sum().backward()
    # rows (t, b): (0, 0), (0, 1), (1, 0), (2, 0) get the weights; padding gets zero gradient
    expected = np.zeros((3, 2, 2))
    expected[0, 0], expected[0, 1], expected[1, 0], expected[2, 0] = weights.numpy()
    np.testing.assert_array_equal(padded.grad.numpy(), expected)
    assert ember.autograd.gradcheck(
        lambda x: rnn.pad_packed_sequence(rnn.pack_padded_sequence(x, [3, 1]))[0], (padded,))


def test_packed_sequence_conversions():
    packed = rnn.pack_sequence(sequences_of(3, 2, dtype=ember.float32), enforce_sorted=False)
    doubled = packed.double()
    assert type(doubled) is rnn.PackedSequence
    assert doubled.data.dtype == ember.float64 and doubled.batch_sizes.dtype == ember.int64
    assert doubled.sorted_indices is packed.sorted_indices
    assert packed.to(ember.float32) is packed
    assert packed.float().data.dtype == ember.float32
    assert packed.long().data.dtype == ember.int64
    assert packed.cpu().data.device.type == "cpu"
    assert not packed.is_cuda and not packed.is_pinned()
    assert packed.pin_memory() is packed
    rebuilt = rnn.PackedSequence(packed.data, packed.batch_sizes, packed.sorted_indices)
    assert rebuilt.unsorted_indices.tolist() == packed.unsorted_indices.tolist()
    assert rnn.invert_permutation(None) is None


def test_errors_are_typed_and_name_the_op():
    padded = ember.randn(3, 2, 1)
    with pytest.raises(RuntimeError, match=r"\[pack_padded_sequence\] expected lengths sorted"):
        rnn.pack_padded_sequence(padded, [1, 2])
    with pytest.raises(RuntimeError, match=r"expected every length in \[1, 3\]"):
        rnn.pack_padded_sequence(padded, [4, 2])
    with pytest.raises(RuntimeError, match="one length per batch entry"):
        rnn.pack_padded_sequence(padded, [3])
    with pytest.raises(TypeError, match="expected integer lengths"):
        rnn.pack_padded_sequence(padded, ember.tensor([3.0, 2.0]))
    packed = rnn.pack_padded_sequence(padded, [3, 2])
    with pytest.raises(ValueError, match="total_length to be at least"):
        rnn.pad_packed_sequence(packed, total_length=2)
    with pytest.raises(RuntimeError, match="empty list of sequences"):
        rnn.pad_sequence([])
    with pytest.raises(RuntimeError, match="trailing dims of the first"):
        rnn.pad_sequence([ember.zeros(2, 3), ember.zeros(2, 4)])
    with pytest.raises(ValueError, match="padding_side"):
        rnn.pad_sequence([ember.zeros(2)], padding_side="middle")
    with pytest.raises(RuntimeError, match="batch_sizes positive and non-increasing"):
        ember._pad_packed_sequence(ember.zeros(3), ember.tensor([1, 2]), False, 0.0, 2)
