// The umbrella header for users: #include <ember/ember.h> and use ember::Tensor, ember::mm, ...
#pragma once

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/ops.h"
#include "ember/tensor/allocator.h"
#include "ember/tensor/tensor.h"
#include "ember/base/version.h"
