// The OpenVINO engine on the real exported model (FASTERBERT_TEST_MODEL_DIR,
// set by scripts/test.sh; skipped without it): wiring errors name the tensor,
// padding a row inside a batch leaves its real positions' outputs as
// they are when the row runs alone; an int8 model's FP32 fallback is what
// loads where the CPU has no int8 dot products.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engines/openvino/int8_fallback.h"
#include "engines/openvino/openvino_engine.h"

namespace fasterbert::engines {
namespace {

OpenVinoEngineOptions MiniLmOptions(const std::string& dir) {
  OpenVinoEngineOptions options;
  options.model_path = dir + "/model.onnx";
  options.binding.input_ids = "input_ids";
  options.binding.attention_mask = "attention_mask";
  options.binding.token_type_ids = "token_type_ids";
  options.binding.outputs = {{"last_hidden_state", true, 384}};
  options.num_threads = 1;
  return options;
}

class OpenVinoEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("FASTERBERT_TEST_MODEL_DIR");
    if (dir == nullptr) GTEST_SKIP() << "FASTERBERT_TEST_MODEL_DIR is not set";
    dir_ = dir;
  }
  std::string dir_;
};

TEST_F(OpenVinoEngineTest, UnknownOutputNameIsNamed) {
  OpenVinoEngineOptions options = MiniLmOptions(dir_);
  options.binding.outputs[0].name = "no_such_output";
  try {
    MakeOpenVinoEngine(options);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no output tensor 'no_such_output'"), std::string::npos)
        << e.what();
  }
}

TEST_F(OpenVinoEngineTest, WrongHiddenSizeIsAnError) {
  OpenVinoEngineOptions options = MiniLmOptions(dir_);
  options.binding.outputs[0].width = 768;
  EXPECT_THROW(MakeOpenVinoEngine(options), std::runtime_error);
}

TEST_F(OpenVinoEngineTest, PaddingDoesNotChangeRealPositions) {
  auto engine = MakeOpenVinoEngine(MiniLmOptions(dir_));
  auto session = engine->OpenSession({});
  // [CLS] the cat sat [SEP] and [CLS] hello [SEP] [PAD] [PAD] (bert-base-uncased ids).
  const std::vector<int64_t> ids = {101, 1996, 4937, 2938, 102, 101, 7592, 102, 0, 0};
  const std::vector<int64_t> mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
  const std::vector<int64_t> types(10, 0);
  EncodedBatch batch{2, 5, ids.data(), mask.data(), types.data()};
  const engines::TensorView padded = session->Run(batch).at(0);
  ASSERT_EQ(padded.shape, (std::vector<int64_t>{2, 5, 384}));
  const std::vector<float> row1(padded.data + 5 * 384, padded.data + 8 * 384);

  const std::vector<int64_t> alone_ids = {101, 7592, 102};
  const std::vector<int64_t> alone_mask = {1, 1, 1};
  const std::vector<int64_t> alone_types = {0, 0, 0};
  const engines::TensorView alone =
      session->Run({1, 3, alone_ids.data(), alone_mask.data(), alone_types.data()}).at(0);
  double max_diff = 0;
  for (size_t i = 0; i < row1.size(); ++i) {
    max_diff = std::max(max_diff, static_cast<double>(std::fabs(row1[i] - alone.data[i])));
  }
  EXPECT_LT(max_diff, 1e-4);
}

// Sets kInt8DotProductEnv for one scope ("" unsets it).
class ScopedInt8DotProduct {
 public:
  explicit ScopedInt8DotProduct(const char* value) {
    if (const char* old = std::getenv(kInt8DotProductEnv); old != nullptr) {
      saved_ = old;
      had_ = true;
    }
    if (*value == '\0') {
      unsetenv(kInt8DotProductEnv);
    } else {
      setenv(kInt8DotProductEnv, value, 1);
    }
  }
  ~ScopedInt8DotProduct() {
    if (had_) setenv(kInt8DotProductEnv, saved_.c_str(), 1);
    else unsetenv(kInt8DotProductEnv);
  }

 private:
  std::string saved_;
  bool had_ = false;
};

TEST(Int8FallbackTest, FallsBackOnlyWithoutDotProductsAndWithAFallback) {
  OpenVinoEngineOptions options;
  options.model_path = "v/model.int8.xml";
  EXPECT_EQ(ModelPathToLoad(options, false), "v/model.int8.xml");  // nothing to fall back to
  options.int8_fallback_model_path = "v/model.onnx";
  EXPECT_EQ(ModelPathToLoad(options, true), "v/model.int8.xml");
  EXPECT_EQ(ModelPathToLoad(options, false), "v/model.onnx");
}

TEST(Int8FallbackTest, TheEnvironmentOverridesDetection) {
  {
    ScopedInt8DotProduct set("1");
    EXPECT_TRUE(CpuHasInt8DotProduct());
  }
  {
    ScopedInt8DotProduct set("0");
    EXPECT_FALSE(CpuHasInt8DotProduct());
  }
  {
    ScopedInt8DotProduct set("yes");
    EXPECT_THROW(CpuHasInt8DotProduct(), std::runtime_error);
  }
}

#if defined(__linux__)
TEST(Int8FallbackTest, DetectionAgreesWithProcCpuinfo) {
  ScopedInt8DotProduct unset("");
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, flags;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) == 0) {
      flags = " " + line.substr(line.find(':') + 1) + " ";
      break;
    }
  }
  if (flags.empty()) GTEST_SKIP() << "no flags line in /proc/cpuinfo";
  const bool listed = flags.find(" avx512_vnni ") != std::string::npos ||
                      flags.find(" avx_vnni ") != std::string::npos;
  EXPECT_EQ(CpuHasInt8DotProduct(), listed) << flags;
}
#endif

// The engine reads the file ModelPathToLoad names: with no such int8 file,
// it loads only when it falls back to the real FP32 model.
TEST_F(OpenVinoEngineTest, LoadsTheFp32FallbackWhereTheCpuHasNoInt8DotProducts) {
  OpenVinoEngineOptions options = MiniLmOptions(dir_);
  options.int8_fallback_model_path = options.model_path;
  options.model_path = dir_ + "/no-such-model.int8.xml";
  {
    ScopedInt8DotProduct set("0");
    auto engine = MakeOpenVinoEngine(options);
    auto session = engine->OpenSession({});
    const std::vector<int64_t> ids = {101, 7592, 102}, mask = {1, 1, 1}, types = {0, 0, 0};
    EXPECT_EQ(session->Run({1, 3, ids.data(), mask.data(), types.data()}).at(0).shape,
              (std::vector<int64_t>{1, 3, 384}));
  }
  ScopedInt8DotProduct set("1");
  EXPECT_THROW(MakeOpenVinoEngine(options), std::exception);
}

}  // namespace
}  // namespace fasterbert::engines
