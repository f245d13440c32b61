// The OpenVINO engine on the real exported model (FASTERBERT_TEST_MODEL_DIR,
// set by scripts/test.sh; skipped without it): wiring errors name the tensor,
// and padding a row inside a batch leaves its real positions' outputs as
// they are when the row runs alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

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

}  // namespace
}  // namespace fasterbert::engines
