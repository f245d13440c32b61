// The CPU time a container may use. Kubernetes' `resources.limits.cpu` and
// `docker run --cpus` set a CFS quota on the process's cgroup, not a set of
// cores: the process still sees every core of the node. OpenVINO (2026.4)
// sizes its threads from the cores it sees, so a pod limited to 4 cores on a
// 64-core node would run 64 engine threads that the kernel throttles for
// most of every 100 ms period (checked here: under a 1-core quota on 2 cores
// OpenVINO still compiles 2 threads). The engine reads the quota and asks for
// no more threads than it allows.
#pragma once

#include <string>

namespace fasterbert::engines {

// The cores the process's cgroup may keep busy: its CPU quota over its
// period, rounded down (at least 1), the smallest along the cgroup and its
// ancestors; 0 where no quota is set or none can be read. Reads cgroup v1's
// cpu controller (cpu.cfs_quota_us, cpu.cfs_period_us) where it is mounted,
// else cgroup v2 (cpu.max), finding both through `proc_self`'s mountinfo
// and cgroup files (tests pass a directory of their own).
int CgroupCpuQuotaCores(const std::string& proc_self = "/proc/self");

// How many cores this process may run on (its affinity mask).
int AffinityCores();

}  // namespace fasterbert::engines
