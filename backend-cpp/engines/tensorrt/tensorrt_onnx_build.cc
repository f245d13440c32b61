#include "engines/tensorrt/tensorrt_onnx_build.h"

#include <NvInfer.h>
#include <NvOnnxParser.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <vector>

#include "engines/tensorrt/tensorrt_api.h"

namespace fasterbert::engines::tensorrt {
namespace {

#if NV_TENSORRT_MAJOR < 11
// The layers to keep in FP32 in an FP16 engine: every INormalizationLayer
// (ONNX LayerNormalization, opset 17), and for a graph that spells LayerNorm
// out, each chain that starts at a ReduceMean and stays among reduce,
// elementwise and unary layers (Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul,
// Add) when it holds a unary layer (the Sqrt): docker/layernorm_layers.py
// picks the same nodes for trtexec.
std::vector<nvinfer1::ILayer*> LayerNormLayers(nvinfer1::INetworkDefinition& network) {
  using nvinfer1::LayerType;
  std::map<const nvinfer1::ITensor*, std::vector<nvinfer1::ILayer*>> consumers;
  for (int32_t i = 0; i < network.getNbLayers(); ++i) {
    nvinfer1::ILayer* layer = network.getLayer(i);
    for (int32_t j = 0; j < layer->getNbInputs(); ++j) {
      if (const nvinfer1::ITensor* input = layer->getInput(j)) consumers[input].push_back(layer);
    }
  }
  auto in_chain = [](LayerType type) {
    return type == LayerType::kELEMENTWISE || type == LayerType::kREDUCE || type == LayerType::kUNARY;
  };
  std::vector<nvinfer1::ILayer*> found;
  auto add = [&found](nvinfer1::ILayer* layer) {
    if (std::find(found.begin(), found.end(), layer) == found.end()) found.push_back(layer);
  };
  for (int32_t i = 0; i < network.getNbLayers(); ++i) {
    nvinfer1::ILayer* start = network.getLayer(i);
    if (start->getType() == LayerType::kNORMALIZATION) {
      add(start);
      continue;
    }
    if (start->getType() != LayerType::kREDUCE) continue;
    std::vector<nvinfer1::ILayer*> chain = {start}, frontier = {start};
    bool has_unary = false;
    while (!frontier.empty() && chain.size() < 12) {
      nvinfer1::ILayer* current = frontier.back();
      frontier.pop_back();
      for (int32_t o = 0; o < current->getNbOutputs(); ++o) {
        for (nvinfer1::ILayer* next : consumers[current->getOutput(o)]) {
          if (!in_chain(next->getType()) || std::find(chain.begin(), chain.end(), next) != chain.end()) continue;
          has_unary = has_unary || next->getType() == LayerType::kUNARY;
          chain.push_back(next);
          frontier.push_back(next);
        }
      }
    }
    if (has_unary) {
      for (nvinfer1::ILayer* layer : chain) add(layer);
    }
  }
  return found;
}
#endif

}  // namespace

std::vector<char> BuildPlanFromOnnx(const std::string& path, int64_t max_batch, int64_t max_seq) {
  Owned<nvinfer1::IBuilder> builder(nvinfer1::createInferBuilder(TheLogger()));
  if (!builder) throw std::runtime_error("TensorRT: cannot create a builder");
  // TensorRT 10 and 11 networks are always explicit-batch: no creation flags.
  Owned<nvinfer1::INetworkDefinition> network(builder->createNetworkV2(0));
  Owned<nvonnxparser::IParser> parser(nvonnxparser::createParser(*network, TheLogger()));
  if (!parser->parseFromFile(path.c_str(), static_cast<int32_t>(nvinfer1::ILogger::Severity::kWARNING))) {
    std::string why;
    for (int32_t i = 0; i < parser->getNbErrors(); ++i) why += std::string(" ") + parser->getError(i)->desc();
    throw std::runtime_error("TensorRT cannot parse " + path + ":" + why);
  }
  Owned<nvinfer1::IBuilderConfig> config(builder->createBuilderConfig());
#if NV_TENSORRT_MAJOR >= 11
  // Strongly typed: the ONNX file's own types decide each layer's precision.
  std::fprintf(stderr, "faster-bert TensorRT: %s is built in the types it declares (TensorRT 11 is strongly typed)\n",
               path.c_str());
#else
  // FP16 everywhere except the LayerNorm layers and their outputs, kept in
  // FP32 (seed 003: TensorRT casts LayerNorm to FP16 otherwise and the
  // results drift far from the FP32 model).
  config->setFlag(nvinfer1::BuilderFlag::kFP16);
  // Without it TensorRT may still pick FP16 kernels for the FP32 layers.
  config->setFlag(nvinfer1::BuilderFlag::kOBEY_PRECISION_CONSTRAINTS);
  const std::vector<nvinfer1::ILayer*> fp32_layers = LayerNormLayers(*network);
  if (fp32_layers.empty()) {
    std::fprintf(stderr, "faster-bert TensorRT: no LayerNorm found in %s; the whole engine is FP16\n", path.c_str());
  }
  for (nvinfer1::ILayer* layer : fp32_layers) {
    layer->setPrecision(nvinfer1::DataType::kFLOAT);
    for (int32_t o = 0; o < layer->getNbOutputs(); ++o) layer->setOutputType(o, nvinfer1::DataType::kFLOAT);
  }
  // The pipeline reads FP32 outputs.
  for (int32_t o = 0; o < network->getNbOutputs(); ++o) network->getOutput(o)->setType(nvinfer1::DataType::kFLOAT);
#endif
  nvinfer1::IOptimizationProfile* profile = builder->createOptimizationProfile();
  for (int32_t i = 0; i < network->getNbInputs(); ++i) {
    const char* name = network->getInput(i)->getName();
    profile->setDimensions(name, nvinfer1::OptProfileSelector::kMIN, Dims2(1, 1));
    profile->setDimensions(name, nvinfer1::OptProfileSelector::kOPT, Dims2(max_batch, std::min<int64_t>(max_seq, 128)));
    profile->setDimensions(name, nvinfer1::OptProfileSelector::kMAX, Dims2(max_batch, max_seq));
  }
  config->addOptimizationProfile(profile);
  Owned<nvinfer1::IHostMemory> plan(builder->buildSerializedNetwork(*network, *config));
  if (!plan) throw std::runtime_error("TensorRT could not build an engine from " + path);
  const char* bytes = static_cast<const char*>(plan->data());
  return std::vector<char>(bytes, bytes + plan->size());
}

}  // namespace fasterbert::engines::tensorrt
