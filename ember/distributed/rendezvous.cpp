#include "ember/distributed/rendezvous.h"

#include <charconv>
#include <cstdlib>
#include <map>

#include "ember/base/error.h"

namespace ember::distributed {
namespace {

// A decimal integer in [lowest, highest] from `text`; ValueError naming `what` otherwise.
int parse_int(const std::string& text, const std::string& what, int lowest, int highest) {
  int value = 0;
  const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  EMBER_CHECK_VALUE(error == std::errc() && stop == text.data() + text.size() && value >= lowest &&
                        value <= highest,
                    "[init_process_group] ", what, " must be an integer in [", lowest, ", ",
                    highest, "]; got '", text, "'");
  return value;
}

// PyTorch's wording for env:// ("environment variable MASTER_ADDR expected, but not set").
std::string require_env(const char* name) {
  const char* value = std::getenv(name);
  EMBER_CHECK_VALUE(value != nullptr && *value != '\0',
                    "[init_process_group] Error initializing torch.distributed using env:// "
                    "rendezvous: environment variable ",
                    name, " expected, but not set");
  return value;
}

// Splits "rest?a=1&b=2" into the part before '?' and the query's parameters.
std::string split_query(const std::string& text, std::map<std::string, std::string>& query) {
  const size_t mark = text.find('?');
  if (mark == std::string::npos) return text;
  size_t at = mark + 1;
  while (at <= text.size()) {
    size_t end = text.find('&', at);
    if (end == std::string::npos) end = text.size();
    const std::string pair = text.substr(at, end - at);
    const size_t equals = pair.find('=');
    if (!pair.empty()) {
      query[pair.substr(0, equals)] = equals == std::string::npos ? "" : pair.substr(equals + 1);
    }
    at = end + 1;
  }
  return text.substr(0, mark);
}

// An explicit argument (>= 0) wins; else the query's value; else the environment's (env:// only).
int resolve(int argument, const std::map<std::string, std::string>& query, const char* key,
            const char* env_name, const std::string& scheme) {
  if (argument >= 0) return argument;
  const auto found = query.find(key);
  if (found != query.end()) return parse_int(found->second, key, 0, 1 << 30);
  if (env_name != nullptr) return parse_int(require_env(env_name), env_name, 0, 1 << 30);
  detail::raise<ValueError>("[init_process_group] ", scheme, " rendezvous needs ", key,
                            ": pass it to init_process_group or as ?", key, "=N in the URL");
}

std::shared_ptr<Store> tcp_store(const std::string& host, int port, int rank, int world_size,
                                 Duration timeout) {
  TCPStoreOptions options;
  options.port = static_cast<uint16_t>(port);
  options.is_master = rank == 0;
  options.world_size = world_size;
  options.wait_for_workers = true;
  options.timeout = timeout;
  return std::make_shared<TCPStore>(host, options);
}

void check_rank(int rank, int world_size) {
  EMBER_CHECK_VALUE(world_size >= 1, "[init_process_group] world_size must be at least 1; got ",
                    world_size);
  EMBER_CHECK_VALUE(rank >= 0 && rank < world_size, "[init_process_group] rank must be in [0, ",
                    world_size, "); got ", rank);
}

}  // namespace

RendezvousResult rendezvous(const std::string& init_method, int rank, int world_size,
                            Duration timeout) {
  std::map<std::string, std::string> query;
  const std::string url = split_query(init_method, query);
  if (url.rfind("env://", 0) == 0) {
    const std::string host = require_env("MASTER_ADDR");
    const int port = parse_int(require_env("MASTER_PORT"), "MASTER_PORT", 0, 65535);
    rank = resolve(rank, query, "rank", "RANK", "env://");
    world_size = resolve(world_size, query, "world_size", "WORLD_SIZE", "env://");
    check_rank(rank, world_size);
    return {tcp_store(host, port, rank, world_size, timeout), rank, world_size};
  }
  if (url.rfind("tcp://", 0) == 0) {
    const std::string address = url.substr(6);
    const size_t colon = address.rfind(':');
    EMBER_CHECK_VALUE(colon != std::string::npos && colon > 0,
                      "[init_process_group] expected tcp://host:port; got '", init_method, "'");
    std::string host = address.substr(0, colon);
    // "[::1]" names an IPv6 address.
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    const int port = parse_int(address.substr(colon + 1), "the port of " + init_method, 1, 65535);
    rank = resolve(rank, query, "rank", nullptr, "tcp://");
    world_size = resolve(world_size, query, "world_size", nullptr, "tcp://");
    check_rank(rank, world_size);
    return {tcp_store(host, port, rank, world_size, timeout), rank, world_size};
  }
  if (url.rfind("file://", 0) == 0) {
    const std::string path = url.substr(7);
    EMBER_CHECK_VALUE(!path.empty(), "[init_process_group] expected file:///path; got '",
                      init_method, "'");
    rank = resolve(rank, query, "rank", nullptr, "file://");
    world_size = resolve(world_size, query, "world_size", nullptr, "file://");
    check_rank(rank, world_size);
    return {std::make_shared<FileStore>(path, world_size, timeout), rank, world_size};
  }
  detail::raise<ValueError>("[init_process_group] unknown init_method '", init_method,
                            "'; expected env://, tcp://host:port or file:///path");
}

}  // namespace ember::distributed
