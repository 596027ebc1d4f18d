// Test support for the distributed tests (included by *_test.cpp files only): a free loopback
// port, and ranks as forked processes that report through their exit status within a deadline.
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

#include "ember/distributed/types.h"

namespace ember::distributed {

// A port no one listens on now (the OS's choice for port 0); tests never use fixed ports, since
// ctest runs them in parallel.
inline uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// Runs body(0..count-1) in `count` forked children; true when every child returned true within
// `timeout`. A child that throws prints the error; one still running at the deadline is killed.
// Children end with _exit, so that no destructor of the parent's objects runs twice.
inline bool run_in_children(int count, Duration timeout, const std::function<bool(int)>& body) {
  std::vector<pid_t> children;
  for (int index = 0; index < count; ++index) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      int status = 1;
      try {
        status = body(index) ? 0 : 1;
      } catch (const std::exception& error) {
        std::fprintf(stderr, "child %d: %s\n", index, error.what());
        status = 2;
      }
      std::fflush(stderr);
      ::_exit(status);
    }
    children.push_back(pid);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool ok = true;
  size_t running = children.size();
  std::vector<bool> done(children.size(), false);
  while (running > 0 && std::chrono::steady_clock::now() < deadline) {
    for (size_t i = 0; i < children.size(); ++i) {
      if (done[i]) continue;
      int status = 0;
      if (::waitpid(children[i], &status, WNOHANG) == children[i]) {
        done[i] = true;
        --running;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
          std::fprintf(stderr, "child %zu failed (status %d)\n", i, status);
          ok = false;
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (size_t i = 0; i < children.size(); ++i) {
    if (done[i]) continue;
    std::fprintf(stderr, "child %zu still running at the deadline; killed\n", i);
    ::kill(children[i], SIGKILL);
    ::waitpid(children[i], nullptr, 0);
    ok = false;
  }
  return ok;
}

}  // namespace ember::distributed
