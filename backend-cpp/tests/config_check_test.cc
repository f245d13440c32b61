// config.pbtxt against the compiled spec: the configuration as Triton hands
// it over (JSON, int64 dims as strings), one difference at a time.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "text/json.h"
#include "triton/config_check.h"

namespace fasterbert::triton {
namespace {

PipelineSpec RerankSpec() {
  PipelineSpec spec;
  spec.name = "passage_reranker";
  spec.max_batch_size = 16;
  spec.text_inputs = {"query", "passages"};
  spec.encoding.kind = EncodingKind::kQueryPassages;
  spec.outputs = {{"scores", OutputKind::kRerankScores, -1, {}},
                  {"top_indices", OutputKind::kRerankTopIndices, 3, {}}};
  return spec;
}

// What Triton's TRITONBACKEND_ModelConfig gives for the generated config.pbtxt.
std::string Config(const std::string& max_batch = "16", const std::string& scores_dims = R"(["-1"])",
                   const std::string& top_type = "TYPE_INT64") {
  return R"({"name": "passage_reranker", "max_batch_size": )" + max_batch + R"(,
    "input": [{"name": "query", "data_type": "TYPE_STRING", "dims": ["1"]},
              {"name": "passages", "data_type": "TYPE_STRING", "dims": ["-1"], "allow_ragged_batch": true}],
    "output": [{"name": "scores", "data_type": "TYPE_FP32", "dims": )" + scores_dims + R"(},
               {"name": "top_indices", "data_type": ")" + top_type + R"(", "dims": [3]}],
    "instance_group": [{"count": 1, "kind": "KIND_CPU"}]})";
}

std::string Compare(const std::string& json) {
  return CompareModelConfig(text::ParseJson(json, "config"), RerankSpec());
}

TEST(ConfigCheckTest, TheGeneratedConfigMatches) { EXPECT_EQ(Compare(Config()), ""); }

TEST(ConfigCheckTest, NamesTheFirstDifference) {
  EXPECT_EQ(Compare(Config("8")), "max_batch_size is 8 in config.pbtxt, 16 in the compiled pipeline");
  EXPECT_EQ(Compare(Config("16", R"(["5"])")),
            "output 'scores' has dims [5] in config.pbtxt, [-1] in the compiled pipeline");
  EXPECT_EQ(Compare(Config("16", R"(["-1"])", "TYPE_INT32")),
            "output 'top_indices' has data_type TYPE_INT32 in config.pbtxt, TYPE_INT64 in the "
            "compiled pipeline");
  std::string renamed = Config();
  renamed.replace(renamed.find("\"query\""), 7, "\"question\"");
  EXPECT_EQ(Compare(renamed), "input 'query' is missing from config.pbtxt");
  std::string dropped = Config();
  dropped.replace(dropped.find(R"(,
               {"name": "top_indices")"), std::string::npos, "]}");
  EXPECT_EQ(Compare(dropped), "output: 1 in config.pbtxt, 2 in the compiled pipeline");
}

int Instances(const std::string& groups) {
  return InstanceCount(text::ParseJson(R"({"name": "m", "instance_group": )" + groups + "}", "config"));
}

TEST(ConfigCheckTest, CountsTheInstancesOfEveryGroup) {
  EXPECT_EQ(InstanceCount(text::ParseJson(R"({"name": "m"})", "config")), 1);
  EXPECT_EQ(Instances(R"([{"count": 1, "kind": "KIND_CPU"}])"), 1);
  EXPECT_EQ(Instances(R"([{"count": 3, "kind": "KIND_CPU"}, {"count": 2, "kind": "KIND_CPU"}])"), 5);
  // A GPU group makes `count` instances on each GPU it lists.
  EXPECT_EQ(Instances(R"([{"count": 2, "kind": "KIND_GPU", "gpus": [0, 1]}])"), 4);
  EXPECT_THROW(Instances(R"([{"count": 0, "kind": "KIND_CPU"}])"), std::runtime_error);
}

// The shape Triton gives config.pbtxt's parameters in its JSON form.
bool ResponseThread(const std::string& parameters) {
  return ResponseThreadParameter(text::ParseJson(R"({"name": "m", "parameters": )" + parameters + "}", "config"));
}

TEST(ConfigCheckTest, ReadsTheResponseThreadParameter) {
  EXPECT_FALSE(ResponseThreadParameter(text::ParseJson(R"({"name": "m"})", "config")));
  EXPECT_FALSE(ResponseThread(R"({})"));
  EXPECT_FALSE(ResponseThread(R"({"other": {"string_value": "true"}})"));
  EXPECT_TRUE(ResponseThread(R"({"response_thread": {"string_value": "true"}})"));
  EXPECT_FALSE(ResponseThread(R"({"response_thread": {"string_value": "false"}})"));
  try {
    ResponseThread(R"({"response_thread": {"string_value": "off"}})");
    FAIL() << "a value other than true or false must not load";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(),
                 "config.pbtxt parameter 'response_thread' must have string_value \"true\" or "
                 "\"false\", not \"off\"");
  }
}

OpenVinoParameters OpenVino(const std::string& parameters) {
  return ReadOpenVinoParameters(text::ParseJson(R"({"name": "m", "parameters": )" + parameters + "}", "config"));
}

std::string OpenVinoError(const std::string& parameters) {
  try {
    OpenVino(parameters);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(loaded)";
}

TEST(ConfigCheckTest, ReadsTheOpenVinoParameters) {
  const OpenVinoParameters none = ReadOpenVinoParameters(text::ParseJson(R"({"name": "m"})", "config"));
  EXPECT_EQ(none.inference_num_threads, 0);
  EXPECT_FALSE(none.cpu_pinning.has_value());

  const OpenVinoParameters both = OpenVino(
      R"({"INFERENCE_NUM_THREADS": {"string_value": "14"}, "ENABLE_CPU_PINNING": {"string_value": "NO"}})");
  EXPECT_EQ(both.inference_num_threads, 14);
  ASSERT_TRUE(both.cpu_pinning.has_value());
  EXPECT_FALSE(*both.cpu_pinning);
  EXPECT_TRUE(*OpenVino(R"({"ENABLE_CPU_PINNING": {"string_value": "YES"}})").cpu_pinning);
  EXPECT_EQ(OpenVino(R"({"INFERENCE_NUM_THREADS": {"string_value": "0"}})").inference_num_threads, 0);

  EXPECT_EQ(OpenVinoError(R"({"INFERENCE_NUM_THREADS": {"string_value": "four"}})"),
            "config.pbtxt parameter 'INFERENCE_NUM_THREADS' must have string_value a whole number from 0 "
            "(as built) to 4096, not \"four\"");
  EXPECT_NE(OpenVinoError(R"({"INFERENCE_NUM_THREADS": {"string_value": "-1"}})").find("whole number"),
            std::string::npos);
  EXPECT_NE(OpenVinoError(R"({"INFERENCE_NUM_THREADS": {}})").find("whole number"), std::string::npos);
  EXPECT_EQ(OpenVinoError(R"({"ENABLE_CPU_PINNING": {"string_value": "off"}})"),
            "config.pbtxt parameter 'ENABLE_CPU_PINNING' must have string_value \"YES\" or \"NO\", not \"off\"");
}

}  // namespace
}  // namespace fasterbert::triton
