// The C++ frontend (libtorch's torch/nn.h): Module, holders, containers, layers, functional
// and init. Included by ember/ember.h.
#pragma once

#include "ember/nn/functional.h"
#include "ember/nn/init.h"
#include "ember/nn/module.h"
#include "ember/nn/modules/container.h"
#include "ember/nn/modules/embedding.h"
#include "ember/nn/modules/linear.h"
#include "ember/nn/modules/loss.h"
#include "ember/nn/modules/padding.h"
#include "ember/nn/modules/rearrange.h"
#include "ember/nn/options/embedding.h"
#include "ember/nn/options/fold.h"
#include "ember/nn/options/linear.h"
#include "ember/nn/options/loss.h"
#include "ember/nn/options/padding.h"
#include "ember/nn/options/pixelshuffle.h"
#include "ember/nn/ordered_dict.h"
#include "ember/nn/pimpl.h"
