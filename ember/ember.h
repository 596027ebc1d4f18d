// The umbrella header for users: #include <ember/ember.h> and use ember::Tensor, ember::mm, ...
#pragma once

#include "ember/autograd/engine.h"
#include "ember/autograd/function.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/gradcheck.h"
#include "ember/autograd/node.h"
#include "ember/autograd/variable.h"
#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/base/version.h"
#include "ember/ops/indexing.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "ember/tensor/allocator.h"
#include "ember/tensor/tensor.h"
