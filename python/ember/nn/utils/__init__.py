"""ember.nn.utils: torch.nn.utils' gradient clipping, parameter vectors and the weight_norm /
spectral_norm reparametrisations. The math is C++ (ember._C._nn and ember._C._weight_norm);
these are the Python shells, as torch.nn.utils has them."""
from ember.nn.utils import rnn as rnn
from ember.nn.utils.clip_grad import clip_grad_norm as clip_grad_norm
from ember.nn.utils.clip_grad import clip_grad_norm_ as clip_grad_norm_
from ember.nn.utils.clip_grad import clip_grad_value_ as clip_grad_value_
from ember.nn.utils.convert_parameters import parameters_to_vector as parameters_to_vector
from ember.nn.utils.convert_parameters import vector_to_parameters as vector_to_parameters
from ember.nn.utils.spectral_norm import remove_spectral_norm as remove_spectral_norm
from ember.nn.utils.spectral_norm import spectral_norm as spectral_norm
from ember.nn.utils.weight_norm import remove_weight_norm as remove_weight_norm
from ember.nn.utils.weight_norm import weight_norm as weight_norm
