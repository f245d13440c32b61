#include "engines/openvino/cgroup_cpu_quota.h"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace fasterbert::engines {
namespace {

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  return parts;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Where a cgroup hierarchy is mounted and which of its cgroups is mounted there.
struct Mount {
  std::string root;   // the cgroup path mounted at `point` ("/" in a cgroup namespace)
  std::string point;  // e.g. /sys/fs/cgroup/cpu
};

// The cgroup v1 cpu controller's mount (`v1` true), or cgroup v2's.
bool FindMount(const std::string& proc_self, bool v1, Mount* out) {
  std::ifstream mountinfo(proc_self + "/mountinfo");
  std::string line;
  while (std::getline(mountinfo, line)) {
    // ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS
    const std::vector<std::string> fields = Split(line, ' ');
    const auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 5 || dash == fields.end() || fields.end() - dash < 4) continue;
    const std::string& type = *(dash + 1);
    const bool match = v1 ? type == "cgroup" && Contains(Split(*(dash + 3), ','), "cpu") : type == "cgroup2";
    if (match) {
      *out = {fields[3], fields[4]};
      return true;
    }
  }
  return false;
}

// The process's cgroup path in the v1 cpu hierarchy (`v1` true) or in v2's.
bool FindCgroupPath(const std::string& proc_self, bool v1, std::string* out) {
  std::ifstream cgroup(proc_self + "/cgroup");
  std::string line;
  while (std::getline(cgroup, line)) {
    // HIERARCHY:CONTROLLERS:PATH, v2's line "0::PATH"
    const size_t first = line.find(':');
    const size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    if (v1 ? Contains(Split(controllers, ','), "cpu") : line.compare(0, first, "0") == 0 && controllers.empty()) {
      *out = line.substr(second + 1);
      return true;
    }
  }
  return false;
}

std::string ReadFirstLine(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

bool ToLong(const std::string& text, long long* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtoll(text.c_str(), &end, 10);
  return *end == '\0';
}

// Whole cores from a quota and a period (both in µs); 0 when unlimited.
int Cores(long long quota, long long period) {
  if (quota <= 0 || period <= 0) return 0;
  return static_cast<int>(std::max<long long>(1, quota / period));
}

// One cgroup directory's quota in cores; 0 when unlimited or unreadable.
int QuotaAt(const std::string& dir, bool v1) {
  long long quota = 0;
  long long period = 0;
  if (v1) {
    if (!ToLong(ReadFirstLine(dir + "/cpu.cfs_quota_us"), &quota) ||
        !ToLong(ReadFirstLine(dir + "/cpu.cfs_period_us"), &period)) {
      return 0;
    }
    return Cores(quota, period);
  }
  // "max 100000" (no quota) or "400000 100000".
  const std::vector<std::string> fields = Split(ReadFirstLine(dir + "/cpu.max"), ' ');
  if (fields.size() != 2 || !ToLong(fields[0], &quota) || !ToLong(fields[1], &period)) return 0;
  return Cores(quota, period);
}

// The smallest quota from the process's cgroup up to the mount's root; 0: none.
int HierarchyQuota(const std::string& proc_self, bool v1) {
  Mount mount;
  std::string path;
  if (!FindMount(proc_self, v1, &mount) || !FindCgroupPath(proc_self, v1, &path)) return -1;
  // Without a cgroup namespace the mount shows the cgroup at `root`, and the
  // process's path starts with it.
  if (mount.root != "/" && path.compare(0, mount.root.size(), mount.root) == 0) {
    path = path.substr(mount.root.size());
  }
  int smallest = 0;
  while (true) {
    const int cores = QuotaAt(mount.point + path, v1);
    if (cores > 0 && (smallest == 0 || cores < smallest)) smallest = cores;
    const size_t slash = path.find_last_of('/');
    if (path.empty() || path == "/" || slash == std::string::npos) break;
    path = path.substr(0, slash);
  }
  return smallest;
}

}  // namespace

int CgroupCpuQuotaCores(const std::string& proc_self) {
  // A hybrid layout (v1 controllers and a v2 tree beside them) keeps the cpu
  // controller in v1: look there first.
  const int v1 = HierarchyQuota(proc_self, true);
  if (v1 >= 0) return v1;
  return std::max(0, HierarchyQuota(proc_self, false));
}

int AffinityCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
  return CPU_COUNT(&set);
}

}  // namespace fasterbert::engines
