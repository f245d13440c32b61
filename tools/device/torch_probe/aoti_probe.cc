// Loads the tiny encoder exported by export_tiny_bert.py from C++ twice, as an
// AOTInductor package (torch::inductor::AOTIModelPackageLoader) and as
// TorchScript (torch::jit::load), runs both on two shapes (the dims are
// dynamic), and prints the max abs error against PyTorch eager plus a timing.
//
// usage: aoti_probe DIR
#include <torch/csrc/inductor/aoti_package/model_package_loader.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

template <typename T>
std::vector<T> ReadBin(const std::string& path, size_t n) {
  std::vector<T> v(n);
  std::ifstream f(path, std::ios::binary);
  f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T)));
  if (!f) throw std::runtime_error("cannot read " + path);
  return v;
}

struct Case {
  std::string name;
  int64_t b = 0, s = 0, h = 0;
  torch::Tensor ids, mask, ref;
};

Case Load(const std::string& dir, const std::string& name) {
  Case c;
  c.name = name;
  std::ifstream shape(dir + "/" + name + "_shape.txt");
  shape >> c.b >> c.s >> c.h;
  auto ids = ReadBin<int64_t>(dir + "/" + name + "_ids.bin", static_cast<size_t>(c.b * c.s));
  auto mask = ReadBin<int64_t>(dir + "/" + name + "_mask.bin", static_cast<size_t>(c.b * c.s));
  auto ref = ReadBin<float>(dir + "/" + name + "_ref.bin", static_cast<size_t>(c.b * c.s * c.h));
  c.ids = torch::from_blob(ids.data(), {c.b, c.s}, torch::kInt64).clone().to(torch::kCUDA);
  c.mask = torch::from_blob(mask.data(), {c.b, c.s}, torch::kInt64).clone().to(torch::kCUDA);
  c.ref = torch::from_blob(ref.data(), {c.b, c.s, c.h}, torch::kFloat32).clone();
  return c;
}

template <typename F>
double MedianUs(F&& f) {
  for (int i = 0; i < 5; ++i) f();
  torch::cuda::synchronize();
  std::vector<double> t;
  for (int i = 0; i < 30; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    torch::cuda::synchronize();
    t.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string dir = argv[1];
  std::printf("torch C++ sees CUDA: %d, devices: %d\n", torch::cuda::is_available() ? 1 : 0,
              static_cast<int>(torch::cuda::device_count()));
  std::vector<Case> cases = {Load(dir, "case_a"), Load(dir, "case_b")};
  int bad = 0;
  torch::NoGradGuard no_grad;
  try {
    torch::inductor::AOTIModelPackageLoader loader(dir + "/tiny_bert.pt2");
    for (auto& c : cases) {
      auto out = loader.run({c.ids, c.mask});
      auto got = out.at(0).to(torch::kCPU).to(torch::kFloat32);
      const double err = (got - c.ref).abs().max().item<double>();
      const double us = MedianUs([&] { loader.run({c.ids, c.mask}); });
      std::printf("AOTI  %s B%ld S%ld: out %s, max abs err %.3e, median %.1f us\n",
                  c.name.c_str(), static_cast<long>(c.b), static_cast<long>(c.s),
                  c.ref.sizes() == got.sizes() ? "shape ok" : "SHAPE MISMATCH", err, us);
      bad += (err > 1e-3 || c.ref.sizes() != got.sizes());
    }
  } catch (const std::exception& e) {
    std::printf("AOTI FAILED: %s\n", e.what());
    ++bad;
  }
  try {
    auto module = torch::jit::load(dir + "/tiny_bert.ts", torch::kCUDA);
    module.eval();
    for (auto& c : cases) {
      auto got = module.forward({c.ids, c.mask}).toTensor().to(torch::kCPU).to(torch::kFloat32);
      const double err = (got - c.ref).abs().max().item<double>();
      const double us = MedianUs([&] { module.forward({c.ids, c.mask}); });
      std::printf("TS    %s B%ld S%ld: out %s, max abs err %.3e, median %.1f us\n",
                  c.name.c_str(), static_cast<long>(c.b), static_cast<long>(c.s),
                  c.ref.sizes() == got.sizes() ? "shape ok" : "SHAPE MISMATCH", err, us);
      bad += (err > 1e-3 || c.ref.sizes() != got.sizes());
    }
  } catch (const std::exception& e) {
    std::printf("TorchScript FAILED: %s\n", e.what());
    ++bad;
  }
  std::printf("torch probe: %s\n", bad == 0 ? "ok" : "FAILED");
  return bad == 0 ? 0 : 1;
}
