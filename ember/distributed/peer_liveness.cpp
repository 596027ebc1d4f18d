#include "ember/distributed/peer_liveness.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace ember::distributed {

namespace {

std::string this_host() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

// Gone: no such process, or a zombie (dead, its exit status not yet collected by its parent).
bool process_is_gone(long pid) {
  if (kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  // "pid (comm) state ...": comm may hold spaces and parentheses, so the state follows the last
  // ')'.
  const size_t close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

}  // namespace

void PeerLiveness::exchange(Store& store, int rank, int size) {
  rank_ = rank;
  store.set("liveness/" + std::to_string(rank), this_host() + "\n" + std::to_string(getpid()));
  peers_.assign(static_cast<size_t>(size), Identity{});
  for (int peer = 0; peer < size; ++peer) {
    if (peer == rank) continue;
    std::istringstream text(store.get_string("liveness/" + std::to_string(peer)));
    Identity& identity = peers_[static_cast<size_t>(peer)];
    std::getline(text, identity.host);
    text >> identity.pid;
  }
}

std::vector<int> PeerLiveness::dead_peers() const {
  const std::string host = this_host();
  std::vector<int> dead;
  for (size_t peer = 0; peer < peers_.size(); ++peer) {
    const Identity& identity = peers_[peer];
    if (static_cast<int>(peer) == rank_ || identity.pid <= 0 || identity.host != host) continue;
    if (process_is_gone(identity.pid)) dead.push_back(static_cast<int>(peer));
  }
  return dead;
}

std::string PeerLiveness::describe_dead_peers() const {
  const std::vector<int> dead = dead_peers();
  if (dead.empty()) return "";
  std::ostringstream text;
  if (dead.size() == 1) {
    text << "peer rank " << dead[0] << " (pid " << peers_[static_cast<size_t>(dead[0])].pid
         << ") is dead";
  } else {
    text << "peer ranks ";
    for (size_t i = 0; i < dead.size(); ++i) text << (i ? ", " : "") << dead[i];
    text << " are dead";
  }
  return text.str();
}

}  // namespace ember::distributed
