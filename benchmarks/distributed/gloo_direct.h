// Gloo called directly, with no ember in the call path: a tcp context over gloo's own FileStore
// rendezvous and gloo::allreduce with options made per call, as a process group makes them per
// collective. allreduce_direct times it alone; allreduce_ember alternates it with ember's
// all_reduce in the same processes.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "gloo/allreduce.h"
#include "gloo/math.h"
#include "gloo/rendezvous/context.h"
#include "gloo/rendezvous/file_store.h"
#include "gloo/transport/tcp/device.h"

namespace allreduce_bench {

class GlooDirect {
 public:
  // `store_dir`: a directory every rank sees, fresh for this job.
  GlooDirect(int rank, int size, const std::string& store_dir) {
    // Loopback, as ember's group gets from MASTER_ADDR=127.0.0.1 in run_all.sh.
    gloo::transport::tcp::attr attr;
    attr.hostname = "127.0.0.1";
    auto device = gloo::transport::tcp::CreateDevice(attr);
    gloo::rendezvous::FileStore store(store_dir);
    context_ = std::make_shared<gloo::rendezvous::Context>(rank, size);
    context_->setTimeout(std::chrono::seconds(120));
    context_->connectFullMesh(store, device);
  }

  // In place, summed over the ranks.
  void all_reduce(float* data, size_t count) {
    // gloo::sum is overloaded; the reduction function has AllreduceOptions::Func's signature.
    void (*sum)(void*, const void*, const void*, size_t) = &gloo::sum<float>;
    gloo::AllreduceOptions options(context_);
    options.setOutput(data, count);
    options.setReduceFunction(sum);
    options.setTag(tag_++);
    gloo::allreduce(options);
  }

 private:
  std::shared_ptr<gloo::rendezvous::Context> context_;
  uint32_t tag_ = 0;
};

}  // namespace allreduce_bench
