"""embedding_bag: mode 'max' sends each output's gradient to the first row holding its maximum
(PyTorch's max_indices, ties included), and ember.embedding_bag returns PyTorch's four results
while F.embedding_bag returns the output alone (values: op_db_nn_shape.py)."""
import numpy as np
import pytest

import ember

F = ember.nn.functional
# Rows [1, 5], [3, 5], [3, 0], [7, 7]; bags {0, 1, 2}, {}, {3, 1}, {0}.
ROWS = [[1.0, 5.0], [3.0, 5.0], [3.0, 0.0], [7.0, 7.0]]
INPUT = ember.tensor([0, 1, 2, 3, 1, 0])
OFFSETS = ember.tensor([0, 3, 3, 5])


def test_max_gradient_goes_to_the_first_maximum_only():
    weight = ember.tensor(ROWS, dtype=ember.float64, requires_grad=True)
    output = F.embedding_bag(INPUT, weight, OFFSETS, mode="max")
    assert isinstance(output, ember.Tensor)
    np.testing.assert_array_equal(output.detach().numpy(), [[3, 5], [0, 0], [7, 7], [1, 5]])
    output.sum().backward()
    # Bag 0 ties: 3 in rows 1 and 2 (row 1 first), 5 in rows 0 and 1 (row 0 first).
    np.testing.assert_array_equal(weight.grad.numpy(), [[1, 2], [1, 0], [0, 0], [1, 1]])


def test_top_level_form_returns_four_results():
    weight = ember.tensor(ROWS, dtype=ember.float64)
    output, offset2bag, bag_size, max_indices = ember.embedding_bag(weight, INPUT, OFFSETS,
                                                                    mode=2)
    np.testing.assert_array_equal(output.numpy(), [[3, 5], [0, 0], [7, 7], [1, 5]])
    np.testing.assert_array_equal(offset2bag.numpy(), [0, 0, 0, 2, 2, 3])
    np.testing.assert_array_equal(bag_size.numpy(), [3, 0, 2, 1])
    np.testing.assert_array_equal(max_indices.numpy(), [[1, 0], [0, 0], [3, 3], [0, 0]])
    _, _, sizes, indices = ember.embedding_bag(weight, INPUT, OFFSETS, mode=1, padding_idx=2)
    np.testing.assert_array_equal(sizes.numpy(), [2, 0, 2, 1])
    np.testing.assert_array_equal(indices.numpy(), sizes.numpy())


def test_top_level_form_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match=r"\[embedding_bag\] mode has to be 0 \(sum\), 1 \(mean\) "
                                         r"or 2 \(max\); got 3"):
        ember.embedding_bag(ember.ones(4, 2), INPUT, OFFSETS, mode=3)
