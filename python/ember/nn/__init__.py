"""ember.nn: neural-network modules, layers, losses, functional ops and init (torch.nn's API).

The math of every layer, loss and init is a C++ op (bound in ember._C._nn); the classes here are
thin Python shells over it (DESIGN §10).
"""
from ember.nn import functional as functional
from ember.nn import init as init
