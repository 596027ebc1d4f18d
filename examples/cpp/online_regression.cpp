// Online regression on a live sensor stream: the C++ twin of examples/python/online_regression.py.
// A small network learns the vehicle feed's lateral acceleration (speed^2 * tan(steering) / 2.7
// plus noise) from its speed and steering angle while the records arrive. A driver thread pushes
// the feed's records into an ember::data::streams::Stream (the in-process push API) at --rate
// records per second; the training thread takes batches as they come, one Adam step each, and
// every --report batches prints the window's mean loss, the stream's lag and its received and
// dropped counts. It stops after --seconds or --records, whichever comes first, and exits with
// an error unless the last window's loss is below half the first's.
// Usage: online_regression [--seconds S] [--records N] [--rate R] [--batch B] [--report K]
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "ember/data/streams/stream.h"
#include "ember/data/streams/vehicle_feed.h"
#include "ember/ember.h"

namespace {

namespace streams = ember::data::streams;
using Clock = std::chrono::steady_clock;

struct Options {
  double seconds = 4;
  int64_t records = 8000;
  double rate = 2000;
  int64_t batch = 32;
  int64_t report = 50;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--seconds")
      options.seconds = std::stod(value);
    else if (name == "--records")
      options.records = std::stoll(value);
    else if (name == "--rate")
      options.rate = std::stod(value);
    else if (name == "--batch")
      options.batch = std::stoll(value);
    else if (name == "--report")
      options.report = std::stoll(value);
    else
      throw std::invalid_argument("unknown option " + name);
  }
  return options;
}

// Pushes the feed's records, paced at the rate, until `stop` is set or the stream closes.
void drive(streams::Stream& stream, streams::VehicleFeed& feed, double rate,
           const std::atomic<bool>& stop) {
  const auto start = Clock::now();
  while (!stop) {
    std::this_thread::sleep_until(
        start + std::chrono::duration<double>(static_cast<double>(feed.produced()) / rate));
    if (!stream.push(feed.next())) return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  ember::manual_seed(0);
  ember::nn::Linear hidden(2, 32);
  ember::nn::Linear output(32, 1);
  ember::nn::Sequential model(hidden, ember::nn::Tanh(), output);
  ember::optim::Adam optimizer(model->parameters(), ember::optim::AdamOptions(0.01));
  ember::nn::MSELoss loss_fn;

  streams::VehicleFeed feed(/*ranges=*/16, options.rate, /*seed=*/0);
  streams::StreamOptions stream_options;
  stream_options.capacity = 4096;
  stream_options.backpressure = streams::Backpressure::kDropOldest;
  streams::Stream stream(feed.schema(), stream_options);
  std::atomic<bool> stop{false};
  std::thread driver([&] { drive(stream, feed, options.rate, stop); });

  // Fields in schema order: t, speed, steering, accel (3,), ranges. Scales bring the inputs and
  // the target near unit size (speed 10 +- 3 m/s, steering +-0.2 rad, lateral within +-13).
  std::vector<double> window_losses;
  double window_sum = 0;
  int64_t window_count = 0, seen = 0;
  const auto start = Clock::now();
  while (seen < options.records &&
         Clock::now() - start < std::chrono::duration<double>(options.seconds)) {
    const auto batch = stream.next_batch(options.batch, 2.0);
    if (!batch) break;
    const ember::Tensor inputs =
        ember::stack({(batch->fields[1] - 10.0) / 3.0, batch->fields[2] / 0.2}, 1);
    const ember::Tensor target = batch->fields[3].narrow(1, 1, 1) / 5.0;
    ember::Tensor loss = loss_fn(model->forward(inputs), target);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    window_sum += loss.item<float>();
    seen += batch->size();
    if (++window_count == options.report) {
      window_losses.push_back(window_sum / static_cast<double>(window_count));
      window_sum = 0;
      window_count = 0;
      const streams::Counters counters = stream.counters();
      std::cout << "records " << seen << " loss " << window_losses.back() << " lag "
                << counters.lag * 1000 << " ms received " << counters.received << " dropped "
                << counters.dropped << "\n";
    }
  }
  stop = true;
  stream.close();
  driver.join();
  const streams::Counters counters = stream.counters();
  std::cout << "done: " << seen << " records; received " << counters.received << " dropped "
            << counters.dropped << " malformed " << counters.malformed << " lag "
            << counters.lag * 1000 << " ms\n";
  if (window_losses.size() < 2 || !(window_losses.back() < 0.5 * window_losses.front())) {
    std::cerr << "the loss did not fall by half over " << window_losses.size() << " windows\n";
    return EXIT_FAILURE;
  }
  // One line with the verdict and the counters: the ctest's pass pattern.
  std::cout << "loss fell from " << window_losses.front() << " to " << window_losses.back()
            << "; received " << counters.received << " dropped " << counters.dropped
            << " malformed " << counters.malformed << "\n";
  return EXIT_SUCCESS;
}
