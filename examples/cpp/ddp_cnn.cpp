// The C++ twin of examples/distributed/ddp_cnn.py: the bar-image CNN of cnn_checkpoint trained
// with DistributedDataParallel on several processes. Each rank trains on its own shard of the
// images (DistributedRandomSampler, reshuffled each epoch); DDP averages the gradients across
// ranks during backward, so every rank takes the same step and the replicas stay identical.
// Rank 0 prints each epoch's mean loss over all ranks.
// Usage: ddp_cnn [--epochs N] [--max-steps N] [--backend gloo|mpi] [--init-method URL], one
// process per rank. With the launcher (from build/release), which sets the env:// variables
// (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT):
//   python -m ember.distributed.run --nproc-per-node 2 --no-python examples/cpp/ddp_cnn
// with Open MPI: mpirun -np 2 examples/cpp/ddp_cnn --backend mpi; or one process per rank with
// --init-method "file:///shared/path?rank=R&world_size=N" (its test does that).
#include <cstdlib>
#include <iostream>
#include <string>

// ember.h first: its IValue::Tag::TensorList would otherwise shadow ember::TensorList (-Wshadow).
#include "ember/ember.h"

#include "bars_dataset.h"
#include "ember/data/data.h"
#include "ember/distributed/ddp.h"
#include "ember/distributed/distributed.h"

int main(int argc, char** argv) {
  namespace dist = ember::distributed;
  namespace nn = ember::nn;
  namespace data = ember::data;
  int epochs = 5;
  int max_steps = -1;  // per epoch; -1: the whole shard
  dist::InitOptions init;
  if (argc % 2 == 0) {
    std::cerr << "ddp_cnn: every option takes a value (see the usage at the top of ddp_cnn.cpp)\n";
    return EXIT_FAILURE;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--epochs") {
      epochs = std::atoi(argv[i + 1]);
    } else if (flag == "--max-steps") {
      max_steps = std::atoi(argv[i + 1]);
    } else if (flag == "--backend") {
      init.backend = argv[i + 1];
    } else if (flag == "--init-method") {
      init.init_method = argv[i + 1];
    } else {
      std::cerr << "ddp_cnn: unknown option " << flag << "\n";
      return EXIT_FAILURE;
    }
  }
  try {
    dist::init_process_group(init);
    const int rank = dist::get_rank();
    const int world_size = dist::get_world_size();

    // Every rank makes the same images; the sampler gives each its own disjoint share. The initial
    // weights may differ per rank: DDP broadcasts rank 0's at construction.
    ember::manual_seed(0);
    Bars dataset(512);
    ember::manual_seed(static_cast<uint64_t>(rank) + 1);
    nn::Sequential model(nn::Conv2d(nn::Conv2dOptions(1, 8, 3).padding(1)), nn::ReLU(),
                         nn::MaxPool2d(2), nn::Conv2d(nn::Conv2dOptions(8, 16, 3).padding(1)),
                         nn::ReLU(), nn::AdaptiveAvgPool2d(1), nn::Flatten(), nn::Linear(16, 2));
    nn::parallel::DistributedDataParallel ddp(
        model, nn::parallel::DistributedDataParallelOptions().process_group(dist::default_group()));
    ember::optim::Adam optimizer(ddp->parameters(), ember::optim::AdamOptions(0.03));

    for (int epoch = 0; epoch < epochs; ++epoch) {
      data::samplers::DistributedRandomSampler sampler(*dataset.size(), world_size, rank);
      sampler.set_epoch(static_cast<size_t>(epoch));  // the same new order on every rank
      auto loader =
          data::make_data_loader(dataset.map(data::transforms::Stack<>()), std::move(sampler),
                                 data::DataLoaderOptions().batch_size(32));
      // This rank's summed loss and sample count, all-reduced for the mean over ranks.
      double loss_sum = 0;
      double seen = 0;
      int step = 0;
      for (auto& batch : *loader) {
        if (step++ == max_steps) {
          break;
        }
        optimizer.zero_grad();
        ember::Tensor loss = ember::cross_entropy_loss(ddp->forward(batch.data), batch.target);
        loss.backward();
        optimizer.step();
        const auto count = static_cast<double>(batch.target.size(0));
        loss_sum += loss.item<double>() * count;
        seen += count;
      }
      ember::Tensor totals = ember::tensor({loss_sum, seen}, ember::dtype(ember::kFloat64));
      dist::all_reduce(totals);
      if (rank == 0) {
        std::cout << "epoch " << epoch << "  loss " << (totals[0] / totals[1]).item<double>()
                  << "  (" << totals[1].item<double>() << " samples on " << world_size << " ranks)"
                  << std::endl;
      }
    }
    dist::destroy_process_group();
  } catch (const std::exception& error) {
    std::cerr << "ddp_cnn: " << error.what() << "\n";
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
