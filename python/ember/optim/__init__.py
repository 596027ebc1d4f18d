"""ember.optim: optimizers and learning-rate schedulers (torch.optim's API).

Each algorithm's update rule is one fused multi-tensor C++ op (ember._C._optim, the same op the
C++ frontend's ember::optim classes call); the classes here keep the groups and state and call
it.
"""
from ember.optim import optimizer as optimizer
from ember.optim.optimizer import Optimizer as Optimizer
from ember.optim.sgd import SGD as SGD
