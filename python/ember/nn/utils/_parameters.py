"""The parameter argument of nn.utils' functions: one tensor or an iterable of them."""
import ember


def as_list(parameters):
    if isinstance(parameters, ember.Tensor):
        return [parameters]
    return list(parameters)
