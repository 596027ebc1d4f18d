// Primitives of the index family (see primitives.h for the contract).
#pragma once

#include "ember/ops/primitive.h"
