// CgroupCpuQuotaCores on made-up /proc/self and cgroup trees (v1, v2, a
// hybrid of both, nested quotas, a mount without a cgroup namespace), then
// on this machine's own cgroupfs: a child process moved into a new cgroup
// with a quota of 1 core reads 1 (skipped where cgroups cannot be made).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engines/openvino/cgroup_cpu_quota.h"
#include "tests/quota_cgroup.h"

namespace fasterbert::engines {
namespace {

namespace fs = std::filesystem;

class FakeProc {
 public:
  FakeProc() : dir_(fs::temp_directory_path() / ("cgroup_quota_test_" + std::to_string(getpid()) + "_" +
                                                  std::to_string(counter_++))) {
    fs::create_directories(dir_ / "proc");
  }
  ~FakeProc() { fs::remove_all(dir_); }

  // A mountinfo line for a cgroup (v1 with `controllers`) or cgroup2 mount at dir/point.
  void Mount(const std::string& point, const std::string& type, const std::string& controllers,
             const std::string& root = "/") {
    mountinfo_ += "32 31 0:29 " + root + " " + (dir_ / point).string() + " rw,relatime - " + type + " " + type +
                  " rw" + (controllers.empty() ? "" : "," + controllers) + "\n";
    Write("proc/mountinfo", mountinfo_);
  }
  void Cgroup(const std::string& lines) { Write("proc/cgroup", lines); }
  void Write(const std::string& path, const std::string& text) {
    fs::create_directories((dir_ / path).parent_path());
    std::ofstream(dir_ / path) << text;
  }
  int Cores() const { return CgroupCpuQuotaCores((dir_ / "proc").string()); }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
  std::string mountinfo_ = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n";
};

TEST(CgroupCpuQuotaTest, ReadsCgroupV2AndTheSmallestQuotaUpTheTree) {
  FakeProc proc;
  proc.Mount("cg", "cgroup2", "");
  proc.Cgroup("0::/kubepods/pod1/box\n");
  proc.Write("cg/kubepods/pod1/box/cpu.max", "max 100000\n");
  EXPECT_EQ(proc.Cores(), 0);
  proc.Write("cg/kubepods/pod1/cpu.max", "400000 100000\n");
  EXPECT_EQ(proc.Cores(), 4);
  proc.Write("cg/kubepods/pod1/box/cpu.max", "250000 100000\n");  // 2.5 cores: 2 threads keep up
  EXPECT_EQ(proc.Cores(), 2);
  proc.Write("cg/kubepods/cpu.max", "50000 100000\n");  // half a core: still one thread
  EXPECT_EQ(proc.Cores(), 1);
}

TEST(CgroupCpuQuotaTest, ReadsTheV1CpuControllerFirstInAHybridLayout) {
  FakeProc proc;
  proc.Mount("v1cpu", "cgroup", "cpu,cpuacct");
  proc.Mount("unified", "cgroup2", "");
  proc.Cgroup("4:memory:/x\n2:cpu,cpuacct:/box\n0::/\n");
  proc.Write("unified/cpu.max", "800000 100000\n");
  proc.Write("v1cpu/box/cpu.cfs_quota_us", "-1\n");
  proc.Write("v1cpu/box/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(proc.Cores(), 0);  // v1 holds the cpu controller here, and it sets no quota
  proc.Write("v1cpu/box/cpu.cfs_quota_us", "300000\n");
  EXPECT_EQ(proc.Cores(), 3);
}

TEST(CgroupCpuQuotaTest, StripsTheMountsRootWithoutACgroupNamespace) {
  FakeProc proc;
  proc.Mount("v1cpu", "cgroup", "cpu", "/docker/abc");
  proc.Cgroup("1:cpu:/docker/abc\n");
  proc.Write("v1cpu/cpu.cfs_quota_us", "200000\n");
  proc.Write("v1cpu/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(proc.Cores(), 2);
}

TEST(CgroupCpuQuotaTest, NoCgroupsOrUnreadableFilesMeanNoQuota) {
  FakeProc proc;
  EXPECT_EQ(proc.Cores(), 0);
  proc.Mount("cg", "cgroup2", "");
  proc.Cgroup("0::/box\n");
  EXPECT_EQ(proc.Cores(), 0);
  proc.Write("cg/box/cpu.max", "lots 100000\n");
  EXPECT_EQ(proc.Cores(), 0);
  EXPECT_GE(AffinityCores(), 1);
}

// This machine's cgroupfs: a child process moved into a new cgroup with a
// 1-core quota.
TEST(CgroupCpuQuotaTest, AChildInACgroupOfOneCoreReadsOne) {
  const testing::QuotaCgroup cgroup(1);
  if (!cgroup.ok()) GTEST_SKIP() << "cannot make a cgroup with a CPU quota here";
  const pid_t child = fork();
  if (child == 0) _exit(cgroup.JoinThisProcess() ? CgroupCpuQuotaCores() : 90);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 90) GTEST_SKIP() << "cannot join a cgroup here";
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

}  // namespace
}  // namespace fasterbert::engines
