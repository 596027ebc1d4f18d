"""parameters_to_vector and vector_to_parameters (torch.nn.utils'): the C++ ember::nn::utils
functions."""
import ember
from ember._C import _nn

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters):
    """parameters_to_vector(parameters) -> Tensor

    The parameters (an iterable of tensors) flattened and concatenated into one 1-D tensor.
    """
    return _nn._parameters_to_vector(list(parameters))


def vector_to_parameters(vec, parameters):
    """vector_to_parameters(vec, parameters) -> None

    Makes each parameter a view of its consecutive slice of the 1-D vec, reshaped to its shape,
    as PyTorch does (nothing is copied: a later write into vec shows in the parameters). vec
    must hold exactly as many elements as the parameters together.
    """
    if not isinstance(vec, ember.Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    _nn._vector_to_parameters(vec, list(parameters))
