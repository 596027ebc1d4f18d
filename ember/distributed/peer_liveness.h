// Which peers of a group have died, so that an engine's error can name them (RELIABILITY.md
// "Failure handling": the failed rank, when knowable). Every rank publishes its host name and
// process id in the group's store at connection time; after a failure, a survivor on the same
// host asks the kernel whether each peer's process still runs. Peers on other hosts stay unknown.
#pragma once

#include <string>
#include <vector>

#include "ember/distributed/store.h"

namespace ember::distributed {

class PeerLiveness {
 public:
  // Publishes this process's identity under "liveness/<rank>" and reads every peer's (blocking up
  // to the store's timeout, as the connection itself does).
  void exchange(Store& store, int rank, int size);
  // Ranks whose process is gone (exited, killed, or a zombie not yet reaped), ascending.
  std::vector<int> dead_peers() const;
  // "peer rank 1 (pid 4242) is dead" / "peer ranks 1, 2 are dead", or empty when none is known.
  std::string describe_dead_peers() const;

 private:
  struct Identity {
    std::string host;
    long pid = 0;
  };
  int rank_ = -1;
  std::vector<Identity> peers_;
};

}  // namespace ember::distributed
