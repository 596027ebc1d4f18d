"""ember.optim: optimizers and learning-rate schedulers (torch.optim's API).

Each algorithm's update rule is one fused multi-tensor C++ op (ember._C._optim, the same op the
C++ frontend's ember::optim classes call); the classes here keep the groups and state and call
it.
"""
from ember.optim import lr_scheduler as lr_scheduler
from ember.optim import optimizer as optimizer
from ember.optim.adadelta import Adadelta as Adadelta
from ember.optim.adagrad import Adagrad as Adagrad
from ember.optim.adam import Adam as Adam
from ember.optim.adamax import Adamax as Adamax
from ember.optim.adamw import AdamW as AdamW
from ember.optim.asgd import ASGD as ASGD
from ember.optim.lbfgs import LBFGS as LBFGS
from ember.optim.nadam import NAdam as NAdam
from ember.optim.optimizer import Optimizer as Optimizer
from ember.optim.radam import RAdam as RAdam
from ember.optim.rmsprop import RMSprop as RMSprop
from ember.optim.rprop import Rprop as Rprop
from ember.optim.sgd import SGD as SGD
