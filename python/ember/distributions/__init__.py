"""ember.distributions: PyTorch's torch.distributions over ember tensors. Categorical, Normal and
Bernoulli compute with the C++ math of ember/distributions/ (ember::distributions, the same code
as the C++ classes); the others are compositions of ember ops. Draws use ember's generators, so
ember.manual_seed reproduces them."""

from ember.distributions import constraints as constraints
from ember.distributions import transforms as transforms
from ember.distributions.bernoulli import Bernoulli as Bernoulli
from ember.distributions.categorical import Categorical as Categorical
from ember.distributions.constraint_registry import biject_to as biject_to
from ember.distributions.constraint_registry import transform_to as transform_to
from ember.distributions.distribution import Distribution as Distribution
from ember.distributions.exp_family import ExponentialFamily as ExponentialFamily
from ember.distributions.exponential import Exponential as Exponential
from ember.distributions.independent import Independent as Independent
from ember.distributions.kl import kl_divergence as kl_divergence
from ember.distributions.kl import register_kl as register_kl
from ember.distributions.laplace import Laplace as Laplace
from ember.distributions.log_normal import LogNormal as LogNormal
from ember.distributions.normal import Normal as Normal
from ember.distributions.one_hot_categorical import OneHotCategorical as OneHotCategorical
from ember.distributions.one_hot_categorical import (
    OneHotCategoricalStraightThrough as OneHotCategoricalStraightThrough,
)
from ember.distributions.transformed_distribution import (
    TransformedDistribution as TransformedDistribution,
)
from ember.distributions.transforms import AbsTransform as AbsTransform
from ember.distributions.transforms import AffineTransform as AffineTransform
from ember.distributions.transforms import ComposeTransform as ComposeTransform
from ember.distributions.transforms import ExpTransform as ExpTransform
from ember.distributions.transforms import IndependentTransform as IndependentTransform
from ember.distributions.transforms import LowerCholeskyTransform as LowerCholeskyTransform
from ember.distributions.transforms import PowerTransform as PowerTransform
from ember.distributions.transforms import ReshapeTransform as ReshapeTransform
from ember.distributions.transforms import SigmoidTransform as SigmoidTransform
from ember.distributions.transforms import SoftmaxTransform as SoftmaxTransform
from ember.distributions.transforms import SoftplusTransform as SoftplusTransform
from ember.distributions.transforms import StickBreakingTransform as StickBreakingTransform
from ember.distributions.transforms import TanhTransform as TanhTransform
from ember.distributions.transforms import Transform as Transform
from ember.distributions.uniform import Uniform as Uniform

# h-dist2's distributions (MultivariateNormal, Beta, Gamma, Dirichlet, Poisson, Binomial) are
# imported below this line.
# isort: split
from ember.distributions import kl_extra as kl_extra
from ember.distributions.beta import Beta as Beta
from ember.distributions.binomial import Binomial as Binomial
from ember.distributions.dirichlet import Dirichlet as Dirichlet
from ember.distributions.gamma import Gamma as Gamma
from ember.distributions.multivariate_normal import MultivariateNormal as MultivariateNormal
from ember.distributions.poisson import Poisson as Poisson
