"""ember.nn: neural-network modules, layers, losses, functional ops and init (torch.nn's API).

The math of every layer, loss and init is a C++ op (bound in ember._C._nn); the classes here are
thin Python shells over it (DESIGN §10).
"""
from ember.nn import functional as functional
from ember.nn import init as init
from ember.nn import modules as modules
from ember.nn.modules import BatchNorm1d as BatchNorm1d
from ember.nn.modules import BatchNorm2d as BatchNorm2d
from ember.nn.modules import BatchNorm3d as BatchNorm3d
from ember.nn.modules import Bilinear as Bilinear
from ember.nn.modules import Flatten as Flatten
from ember.nn.modules import GroupNorm as GroupNorm
from ember.nn.modules import Identity as Identity
from ember.nn.modules import InstanceNorm1d as InstanceNorm1d
from ember.nn.modules import InstanceNorm2d as InstanceNorm2d
from ember.nn.modules import LayerNorm as LayerNorm
from ember.nn.modules import Linear as Linear
from ember.nn.modules import Module as Module
from ember.nn.modules import ModuleDict as ModuleDict
from ember.nn.modules import ModuleList as ModuleList
from ember.nn.modules import ParameterDict as ParameterDict
from ember.nn.modules import ParameterList as ParameterList
from ember.nn.modules import Sequential as Sequential
from ember.nn.modules import Unflatten as Unflatten
from ember.nn.parameter import Parameter as Parameter
