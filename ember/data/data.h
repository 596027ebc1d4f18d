// The C++ data API (libtorch's torch/data.h): datasets, transforms, samplers and make_data_loader
// in ember::data. Include it where data is loaded; ember/ember.h leaves it out (its templates
// would cost every translation unit).
#pragma once

#include "ember/data/dataloader.h"
#include "ember/data/dataloader_options.h"
#include "ember/data/datasets/base.h"
#include "ember/data/datasets/map.h"
#include "ember/data/datasets/mnist.h"
#include "ember/data/datasets/tensor.h"
#include "ember/data/example.h"
#include "ember/data/iterator.h"
#include "ember/data/samplers/base.h"
#include "ember/data/samplers/distributed.h"
#include "ember/data/samplers/random.h"
#include "ember/data/samplers/sequential.h"
#include "ember/data/transforms/base.h"
#include "ember/data/transforms/lambda.h"
#include "ember/data/transforms/stack.h"
#include "ember/data/transforms/tensor.h"
