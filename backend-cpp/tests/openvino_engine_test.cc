// The OpenVINO engine on the real exported model (FASTERBERT_TEST_MODEL_DIR,
// set by scripts/test.sh; skipped without it): wiring errors name the tensor,
// padding a row inside a batch leaves its real positions' outputs as
// they are when the row runs alone; with a stream per instance, sessions
// running at once on their own threads compute what one stream does; an
// int8 model's FP32 fallback is what loads where the CPU has no int8 dot
// products.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engines/openvino/cgroup_cpu_quota.h"
#include "engines/openvino/int8_fallback.h"
#include "engines/openvino/openvino_engine.h"
#include "tests/quota_cgroup.h"

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

// Two instances' sessions on two streams, called at once from two threads,
// against the one-stream engine called in turn: the same outputs, and
// OpenVINO reports the streams it compiled (it may give fewer on fewer cores).
TEST_F(OpenVinoEngineTest, AStreamPerInstanceComputesWhatOneStreamDoes) {
  const std::vector<int64_t> ids = {101, 1996, 4937, 2938, 102, 101, 7592, 102, 0, 0};
  const std::vector<int64_t> mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
  const std::vector<int64_t> types(10, 0);
  const EncodedBatch batch{2, 5, ids.data(), mask.data(), types.data()};

  auto one_stream = MakeOpenVinoEngine(MiniLmOptions(dir_));
  auto alone = one_stream->OpenSession({});
  const TensorView want_view = alone->Run(batch).at(0);
  const std::vector<float> want(want_view.data, want_view.data + 2 * 5 * 384);

  OpenVinoEngineOptions options = MiniLmOptions(dir_);
  options.streams = 2;
  ::testing::internal::CaptureStderr();
  auto two_streams = MakeOpenVinoEngine(options);
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("compiled with 2 stream(s), 2 thread(s)"), std::string::npos) << log;

  std::vector<std::unique_ptr<EngineSession>> sessions;
  for (int i = 0; i < 2; ++i) sessions.push_back(two_streams->OpenSession({}));
  std::vector<double> max_diff(2, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      for (int repeat = 0; repeat < 20; ++repeat) {
        const TensorView got = sessions[i]->Run(batch).at(0);
        for (size_t k = 0; k < want.size(); ++k) {
          max_diff[i] = std::max(max_diff[i], static_cast<double>(std::fabs(got.data[k] - want[k])));
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LT(max_diff[0], 1e-4);
  EXPECT_LT(max_diff[1], 1e-4);
}

// config.pbtxt's INFERENCE_NUM_THREADS and ENABLE_CPU_PINNING (as the factory
// passes them) reach OpenVINO: the compiled model reports them back, and the
// answers do not change.
TEST_F(OpenVinoEngineTest, DeploymentThreadsAndPinningReachOpenVino) {
  const std::vector<int64_t> ids = {101, 1996, 4937, 2938, 102};
  const std::vector<int64_t> mask(5, 1);
  const std::vector<int64_t> types(5, 0);
  const EncodedBatch batch{1, 5, ids.data(), mask.data(), types.data()};
  auto as_built = MakeOpenVinoEngine(MiniLmOptions(dir_));
  auto as_built_session = as_built->OpenSession({});
  const TensorView want_view = as_built_session->Run(batch).at(0);
  const std::vector<float> want(want_view.data, want_view.data + 5 * 384);

  for (const bool pinning : {false, true}) {
    OpenVinoEngineOptions options = MiniLmOptions(dir_);
    options.num_threads = 2;  // the build's, per stream: the deployment's total wins
    options.total_threads = 1;
    options.cpu_pinning = pinning;
    ::testing::internal::CaptureStderr();
    auto tuned = MakeOpenVinoEngine(options);
    const std::string log = ::testing::internal::GetCapturedStderr();
    const std::string expected = std::string("1 stream(s), 1 thread(s), pinning ") + (pinning ? "on" : "off");
    EXPECT_NE(log.find(expected), std::string::npos) << log;
    auto session = tuned->OpenSession({});
    const TensorView got = session->Run(batch).at(0);
    double max_diff = 0;
    for (size_t k = 0; k < want.size(); ++k) {
      max_diff = std::max(max_diff, static_cast<double>(std::fabs(got.data[k] - want[k])));
    }
    EXPECT_LT(max_diff, 1e-4) << "pinning " << pinning;
  }
}

// Where the cgroup's CPU quota allows fewer cores than the process sees and
// nothing sets the threads, the engine asks OpenVINO for as many threads as
// the quota allows. The test runs this binary again, this test alone, in a
// cgroup with a 1-core quota; there (FASTERBERT_QUOTA_CHILD_LOG set) it only
// builds the engine and writes the log where that variable says.
TEST_F(OpenVinoEngineTest, TheCgroupsCpuQuotaCapsItsThreads) {
  if (const char* child_log = std::getenv("FASTERBERT_QUOTA_CHILD_LOG"); child_log != nullptr) {
    OpenVinoEngineOptions options = MiniLmOptions(dir_);
    options.num_threads = 0;
    ::testing::internal::CaptureStderr();
    auto engine = MakeOpenVinoEngine(options);
    std::ofstream(child_log) << ::testing::internal::GetCapturedStderr();
    return;
  }
  if (AffinityCores() < 2) GTEST_SKIP() << "one core: no quota can allow fewer";
  const fasterbert::testing::QuotaCgroup cgroup(1);
  if (!cgroup.ok()) GTEST_SKIP() << "cannot make a cgroup with a CPU quota here";
  const std::string log_path = ::testing::TempDir() + "quota_child_" + std::to_string(getpid()) + ".log";
  std::remove(log_path.c_str());
  // The child's command line and environment are made before fork: between
  // fork and exec it only joins the cgroup and execs (the parent may have
  // threads, e.g. OpenVINO's from earlier tests, holding the allocator's locks).
  std::string filter = "--gtest_filter=OpenVinoEngineTest.TheCgroupsCpuQuotaCapsItsThreads";
  std::string program = "openvino_engine_test";
  std::vector<char*> argv = {program.data(), filter.data(), nullptr};
  std::vector<std::string> env_strings = {"FASTERBERT_QUOTA_CHILD_LOG=" + log_path};
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    if (!cgroup.JoinThisProcess()) _exit(90);
    execve("/proc/self/exe", argv.data(), envp.data());
    _exit(91);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 90) GTEST_SKIP() << "cannot join a cgroup here";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream file(log_path);
  const std::string log((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::remove(log_path.c_str());
  EXPECT_NE(log.find("the cgroup's CPU quota allows 1 of the"), std::string::npos) << log;
  EXPECT_NE(log.find("compiled with 1 stream(s), 1 thread(s)"), std::string::npos) << log;
}

// Sets one environment variable for one scope ("" unsets it).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name); old != nullptr) {
      saved_ = old;
      had_ = true;
    }
    if (*value == '\0') {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (had_) setenv(name_, saved_.c_str(), 1);
    else unsetenv(name_);
  }

 private:
  const char* name_;
  std::string saved_;
  bool had_ = false;
};

TEST(Int8FallbackTest, FallsBackWithoutDotProductsAndOnlyWithAFallback) {
  OpenVinoEngineOptions options;
  options.model_path = "v/model.int8.xml";
  EXPECT_EQ(ModelPathToLoad(options, false), "v/model.int8.xml");  // nothing to fall back to
  options.int8_fallback_model_path = "v/model.onnx";
  EXPECT_EQ(ModelPathToLoad(options, true), "v/model.int8.xml");
  EXPECT_EQ(ModelPathToLoad(options, false), "v/model.onnx");
  EXPECT_EQ(Int8FallbackReason(true), "");
  EXPECT_NE(Int8FallbackReason(false).find("no int8 dot-product"), std::string::npos);
}

TEST(Int8FallbackTest, TheEnvironmentOverridesDetection) {
  {
    ScopedEnv set(kInt8DotProductEnv, "1");
    EXPECT_TRUE(CpuHasInt8DotProduct());
  }
  {
    ScopedEnv set(kInt8DotProductEnv, "0");
    EXPECT_FALSE(CpuHasInt8DotProduct());
  }
  ScopedEnv set(kInt8DotProductEnv, "yes");
  EXPECT_THROW(CpuHasInt8DotProduct(), std::runtime_error);
}

#if defined(__linux__)
TEST(Int8FallbackTest, DetectionAgreesWithProcCpuinfo) {
  ScopedEnv unset_dot_product(kInt8DotProductEnv, "");
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, flags;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) == 0) {
      flags = " " + line.substr(line.find(':') + 1) + " ";
      break;
    }
  }
  if (flags.empty()) GTEST_SKIP() << "no flags line in /proc/cpuinfo";
  const auto listed = [&](const char* flag) { return flags.find(std::string(" ") + flag + " ") != std::string::npos; };
  EXPECT_EQ(CpuHasInt8DotProduct(), listed("avx512_vnni") || listed("avx_vnni")) << flags;
}
#endif

// The engine reads the file ModelPathToLoad names: with no such int8 file,
// it loads only when it falls back to the real FP32 model.
TEST_F(OpenVinoEngineTest, LoadsTheFp32FallbackWhereTheCpuHasNoInt8DotProducts) {
  OpenVinoEngineOptions options = MiniLmOptions(dir_);
  options.int8_fallback_model_path = options.model_path;
  options.model_path = dir_ + "/no-such-model.int8.xml";
  {
    ScopedEnv set_dot_product(kInt8DotProductEnv, "0");
    auto engine = MakeOpenVinoEngine(options);
    auto session = engine->OpenSession({});
    const std::vector<int64_t> ids = {101, 7592, 102}, mask = {1, 1, 1}, types = {0, 0, 0};
    EXPECT_EQ(session->Run({1, 3, ids.data(), mask.data(), types.data()}).at(0).shape,
              (std::vector<int64_t>{1, 3, 384}));
  }
  ScopedEnv set_dot_product(kInt8DotProductEnv, "1");
  EXPECT_THROW(MakeOpenVinoEngine(options), std::exception);
}

}  // namespace
}  // namespace fasterbert::engines
