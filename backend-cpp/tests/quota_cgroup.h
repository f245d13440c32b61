// A cgroup of this machine with a CPU quota, for tests: made under the cgroup
// v1 cpu controller where it is mounted, else under cgroup v2, and removed
// again (once the processes moved into it have exited). Where cgroups cannot
// be made or written (no root, no cgroupfs), ok() is false: tests skip.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fasterbert::testing {

class QuotaCgroup {
 public:
  explicit QuotaCgroup(int cores) {
    namespace fs = std::filesystem;
    const bool v1 = fs::exists("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
    const fs::path parent = v1 ? "/sys/fs/cgroup/cpu" : "/sys/fs/cgroup";
    if (!v1 && !fs::exists(parent / "cgroup.controllers")) return;
    dir_ = parent / ("fasterbert_test_" + std::to_string(getpid()) + "_" + std::to_string(cores));
    std::error_code error;
    if (!fs::create_directory(dir_, error)) {
      dir_.clear();
      return;
    }
    procs_ = (dir_ / "cgroup.procs").string();
    const std::string quota = std::to_string(cores * 100000);
    ok_ = v1 ? static_cast<bool>(std::ofstream(dir_ / "cpu.cfs_quota_us") << quota << "\n")
             : static_cast<bool>(std::ofstream(dir_ / "cpu.max") << quota << " 100000\n");
  }
  ~QuotaCgroup() {
    std::error_code error;
    if (!dir_.empty()) std::filesystem::remove(dir_, error);
  }
  QuotaCgroup(const QuotaCgroup&) = delete;
  QuotaCgroup& operator=(const QuotaCgroup&) = delete;

  bool ok() const { return ok_; }
  // Moves the calling process in. Only open/write/close ("0" names the
  // writer, in cgroup v1 and v2): safe in a child between fork and exec,
  // where the parent's other threads may hold the allocator's locks.
  bool JoinThisProcess() const {
    const int fd = open(procs_.c_str(), O_WRONLY);
    if (fd < 0) return false;
    const bool written = write(fd, "0\n", 2) == 2;
    return close(fd) == 0 && written;
  }

 private:
  std::filesystem::path dir_;
  std::string procs_;
  bool ok_ = false;
};

}  // namespace fasterbert::testing
