// ember::distributions (issue 13): Categorical, Normal and Bernoulli over ember ops, with their
// math as free functions (functional.h) that Python's ember.distributions calls too.
#pragma once

#include "ember/distributions/bernoulli.h"
#include "ember/distributions/categorical.h"
#include "ember/distributions/distribution.h"
#include "ember/distributions/functional.h"
#include "ember/distributions/normal.h"
