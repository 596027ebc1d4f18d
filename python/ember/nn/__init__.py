"""ember.nn: neural-network modules, layers, losses, functional ops and init (torch.nn's API).

The math of every layer, loss and init is a C++ op (bound in ember._C._nn); the classes here are
thin Python shells over it (DESIGN §10).
"""
from ember.nn import functional as functional
from ember.nn import init as init
from ember.nn import modules as modules
from ember.nn.modules import CELU as CELU
from ember.nn.modules import ELU as ELU
from ember.nn.modules import GELU as GELU
from ember.nn.modules import GLU as GLU
from ember.nn.modules import SELU as SELU
from ember.nn.modules import AlphaDropout as AlphaDropout
from ember.nn.modules import Bilinear as Bilinear
from ember.nn.modules import CosineSimilarity as CosineSimilarity
from ember.nn.modules import Dropout as Dropout
from ember.nn.modules import Dropout1d as Dropout1d
from ember.nn.modules import Dropout2d as Dropout2d
from ember.nn.modules import Dropout3d as Dropout3d
from ember.nn.modules import FeatureAlphaDropout as FeatureAlphaDropout
from ember.nn.modules import Flatten as Flatten
from ember.nn.modules import Hardshrink as Hardshrink
from ember.nn.modules import Hardsigmoid as Hardsigmoid
from ember.nn.modules import Hardswish as Hardswish
from ember.nn.modules import Hardtanh as Hardtanh
from ember.nn.modules import Identity as Identity
from ember.nn.modules import LeakyReLU as LeakyReLU
from ember.nn.modules import Linear as Linear
from ember.nn.modules import LogSigmoid as LogSigmoid
from ember.nn.modules import LogSoftmax as LogSoftmax
from ember.nn.modules import Mish as Mish
from ember.nn.modules import Module as Module
from ember.nn.modules import ModuleDict as ModuleDict
from ember.nn.modules import ModuleList as ModuleList
from ember.nn.modules import PairwiseDistance as PairwiseDistance
from ember.nn.modules import ParameterDict as ParameterDict
from ember.nn.modules import ParameterList as ParameterList
from ember.nn.modules import PReLU as PReLU
from ember.nn.modules import ReLU as ReLU
from ember.nn.modules import ReLU6 as ReLU6
from ember.nn.modules import RReLU as RReLU
from ember.nn.modules import Sequential as Sequential
from ember.nn.modules import Sigmoid as Sigmoid
from ember.nn.modules import SiLU as SiLU
from ember.nn.modules import Softmax as Softmax
from ember.nn.modules import Softmin as Softmin
from ember.nn.modules import Softplus as Softplus
from ember.nn.modules import Softshrink as Softshrink
from ember.nn.modules import Softsign as Softsign
from ember.nn.modules import Tanh as Tanh
from ember.nn.modules import Tanhshrink as Tanhshrink
from ember.nn.modules import Threshold as Threshold
from ember.nn.modules import Unflatten as Unflatten
from ember.nn.parameter import Parameter as Parameter
