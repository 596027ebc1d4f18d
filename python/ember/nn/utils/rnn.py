"""torch.nn.utils.rnn: PackedSequence (a batch of variable-length sequences stored time-major
without padding, the recurrent layers' packed input) and the functions that build and undo it.
The math is C++ (ember::nn::utils::rnn through ember._C._nn, over the ops
ember._pack_padded_sequence / ember._pad_packed_sequence / pad_sequence); these are the shells,
with PyTorch's signatures."""
from collections import namedtuple

import ember
from ember._C import _nn

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pack_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpack_sequence",
    "unpad_sequence",
]

_PackedSequenceFields = namedtuple("PackedSequence",
                                   ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])


def invert_permutation(permutation):
    """invert_permutation(permutation) -> Tensor | None

    The inverse permutation: result[permutation[i]] = i (None for None)."""
    return _nn._invert_permutation(permutation)


class PackedSequence(_PackedSequenceFields):
    """PackedSequence(data, batch_sizes=None, sorted_indices=None, unsorted_indices=None)

    data (sum(lengths), *) holds, step by step, the rows of the sequences still running;
    batch_sizes (int64, on the CPU) counts them per step; sorted_indices orders the batch by
    decreasing length (None: already in that order) and unsorted_indices restores the caller's
    order. Built by pack_padded_sequence / pack_sequence, not by hand."""

    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:  # PackedSequence((data, batch_sizes)), as PyTorch accepts
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        """to(*args, **kwargs) -> PackedSequence

        data converted as Tensor.to converts it; the indices follow its device and batch_sizes
        stays on the CPU. Returns self when data is unchanged."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        sorted_indices, unsorted_indices = (
            None if indices is None else indices.to(data.device)
            for indices in (self.sorted_indices, self.unsorted_indices))
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cpu(self, *args, **kwargs):
        """cpu() -> PackedSequence: data on the CPU."""
        return self.to(device="cpu")

    def pin_memory(self):
        """pin_memory() -> PackedSequence: self (ember has no pinned host memory)."""
        return self

    def double(self):
        """double() -> PackedSequence: data as float64."""
        return self.to(dtype=ember.float64)

    def float(self):
        """float() -> PackedSequence: data as float32."""
        return self.to(dtype=ember.float32)

    def half(self):
        """half() -> PackedSequence: data as float16."""
        return self.to(dtype=ember.float16)

    def long(self):
        """long() -> PackedSequence: data as int64."""
        return self.to(dtype=ember.int64)

    def int(self):
        """int() -> PackedSequence: data as int32."""
        return self.to(dtype=ember.int32)

    def short(self):
        """short() -> PackedSequence: data as int16."""
        return self.to(dtype=ember.int16)

    def char(self):
        """char() -> PackedSequence: data as int8."""
        return self.to(dtype=ember.int8)

    def byte(self):
        """byte() -> PackedSequence: data as uint8."""
        return self.to(dtype=ember.uint8)

    @property
    def is_cuda(self):
        """Whether data is on a CUDA device."""
        return self.data.device.type == "cuda"

    def is_pinned(self):
        """is_pinned() -> bool: False (ember has no pinned host memory)."""
        return False


def _as_lengths(lengths):
    if isinstance(lengths, ember.Tensor):
        return lengths
    return ember.tensor(list(lengths), dtype=ember.int64)


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True)
    -> PackedSequence

    Packs input (T, B, *) (batch_first: (B, T, *)) whose sequence b has lengths[b] steps
    (a list or an integer tensor). lengths must be sorted decreasing unless enforce_sorted is
    False, which sorts the batch and records the permutation."""
    fields = _nn._pack_padded_sequence_sorted(input, _as_lengths(lengths), batch_first,
                                              enforce_sorted)
    return PackedSequence(*fields)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None)
    -> tuple[Tensor, Tensor]

    The inverse of pack_padded_sequence: (padded, lengths) in the original batch order, padded
    with padding_value to total_length steps (default: the longest sequence)."""
    return _nn._pad_packed_sequence_unsorted(
        sequence.data, sequence.batch_sizes, sequence.sorted_indices, sequence.unsorted_indices,
        batch_first, float(padding_value), total_length)


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side='right') -> Tensor

    Pads a list of sequences (L_i, *) with padding_value into (max L_i, N, *)
    (batch_first: (N, max L_i, *)), at each sequence's end ('right') or start ('left')."""
    if isinstance(sequences, ember.Tensor):
        sequences = sequences.unbind(0)
    return _nn.pad_sequence(list(sequences), batch_first, float(padding_value), padding_side)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """unpad_sequence(padded_sequences, lengths, batch_first=False) -> list[Tensor]

    The inverse of pad_sequence: sequence i is padded_sequences[:lengths[i], i]
    (batch_first: padded_sequences[i, :lengths[i]])."""
    return _nn._unpad_sequence(padded_sequences, _as_lengths(lengths), batch_first)


def pack_sequence(sequences, enforce_sorted=True):
    """pack_sequence(sequences, enforce_sorted=True) -> PackedSequence

    Packs a list of sequences (L_i, *), sorted by decreasing length unless enforce_sorted is
    False."""
    return PackedSequence(*_nn._pack_sequence(list(sequences), enforce_sorted))


def unpack_sequence(packed_sequences):
    """unpack_sequence(packed_sequences) -> list[Tensor]

    The inverse of pack_sequence: the list of sequences in their original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
