"""ember.nn.modules: the Module base class, the containers and the layers (torch.nn.modules)."""
from ember.nn.modules.container import ModuleDict as ModuleDict
from ember.nn.modules.container import ModuleList as ModuleList
from ember.nn.modules.container import ParameterDict as ParameterDict
from ember.nn.modules.container import ParameterList as ParameterList
from ember.nn.modules.container import Sequential as Sequential
from ember.nn.modules.flatten import Flatten as Flatten
from ember.nn.modules.flatten import Unflatten as Unflatten
from ember.nn.modules.linear import Bilinear as Bilinear
from ember.nn.modules.linear import Identity as Identity
from ember.nn.modules.linear import Linear as Linear
from ember.nn.modules.module import Module as Module
