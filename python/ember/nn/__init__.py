"""ember.nn: neural-network modules, layers, losses, functional ops and init (torch.nn's API).

The math of every layer, loss and init is a C++ op (bound in ember._C._nn); the classes here are
thin Python shells over it (DESIGN §10).
"""
from ember.nn import functional as functional
from ember.nn import init as init
from ember.nn import modules as modules
from ember.nn.modules import BCELoss as BCELoss
from ember.nn.modules import BCEWithLogitsLoss as BCEWithLogitsLoss
from ember.nn.modules import Bilinear as Bilinear
from ember.nn.modules import CosineEmbeddingLoss as CosineEmbeddingLoss
from ember.nn.modules import CrossEntropyLoss as CrossEntropyLoss
from ember.nn.modules import CTCLoss as CTCLoss
from ember.nn.modules import Flatten as Flatten
from ember.nn.modules import GaussianNLLLoss as GaussianNLLLoss
from ember.nn.modules import HingeEmbeddingLoss as HingeEmbeddingLoss
from ember.nn.modules import HuberLoss as HuberLoss
from ember.nn.modules import Identity as Identity
from ember.nn.modules import KLDivLoss as KLDivLoss
from ember.nn.modules import L1Loss as L1Loss
from ember.nn.modules import Linear as Linear
from ember.nn.modules import MarginRankingLoss as MarginRankingLoss
from ember.nn.modules import Module as Module
from ember.nn.modules import ModuleDict as ModuleDict
from ember.nn.modules import ModuleList as ModuleList
from ember.nn.modules import MSELoss as MSELoss
from ember.nn.modules import MultiLabelMarginLoss as MultiLabelMarginLoss
from ember.nn.modules import MultiLabelSoftMarginLoss as MultiLabelSoftMarginLoss
from ember.nn.modules import MultiMarginLoss as MultiMarginLoss
from ember.nn.modules import NLLLoss as NLLLoss
from ember.nn.modules import ParameterDict as ParameterDict
from ember.nn.modules import ParameterList as ParameterList
from ember.nn.modules import PoissonNLLLoss as PoissonNLLLoss
from ember.nn.modules import Sequential as Sequential
from ember.nn.modules import SmoothL1Loss as SmoothL1Loss
from ember.nn.modules import SoftMarginLoss as SoftMarginLoss
from ember.nn.modules import TripletMarginLoss as TripletMarginLoss
from ember.nn.modules import Unflatten as Unflatten
from ember.nn.parameter import Parameter as Parameter
