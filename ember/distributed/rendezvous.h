// Rendezvous: how the processes of a job find each other's store from an init_method URL
// (torch.distributed's env://, tcp:// and file:// handlers).
#pragma once

#include <memory>
#include <string>

#include "ember/distributed/store.h"
#include "ember/distributed/types.h"

namespace ember::distributed {

struct RendezvousResult {
  std::shared_ptr<Store> store;
  int rank;
  int world_size;
};

// "env://": MASTER_ADDR, MASTER_PORT, RANK and WORLD_SIZE from the environment (explicit rank and
// world_size, >= 0, win over RANK and WORLD_SIZE); rank 0 hosts a TCPStore on MASTER_PORT.
// "tcp://host:port": the same store at host:port; rank and world_size required.
// "file:///path": a FileStore at /path; world_size required.
// tcp:// and file:// also take "?rank=R&world_size=N" as PyTorch does. A missing variable or
// argument is a ValueError naming it; an unknown scheme is a ValueError too.
RendezvousResult rendezvous(const std::string& init_method, int rank, int world_size,
                            Duration timeout);

}  // namespace ember::distributed
