"""A cgroup with a CPU quota for the server under test, as a container's CPU
limit would set it (`resources.limits.cpu`, `docker run --cpus`): under the
cgroup v1 cpu controller where it is mounted, else cgroup v2. Needs root."""
import os
from pathlib import Path

from harness.log import BenchError


class CpuQuotaCgroup:
    def __init__(self, cores, name):
        v1 = Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").exists()
        parent = Path("/sys/fs/cgroup/cpu" if v1 else "/sys/fs/cgroup")
        self.dir = parent / f"{name}_{os.getpid()}"
        quota = int(cores * 100000)
        try:
            self.dir.mkdir()
            if v1:
                (self.dir / "cpu.cfs_period_us").write_text("100000\n")
                (self.dir / "cpu.cfs_quota_us").write_text(f"{quota}\n")
            else:
                (self.dir / "cpu.max").write_text(f"{quota} 100000\n")
        except OSError as error:
            raise BenchError(f"cannot make a cgroup with a CPU quota under {parent}: {error} "
                             "(it needs root and a writable cgroupfs)") from error

    def join(self):
        """Moves the calling process in: a subprocess's preexec_fn."""
        (self.dir / "cgroup.procs").write_text(f"{os.getpid()}\n")

    def throttling(self):
        """cpu.stat's counters ({nr_periods, nr_throttled, ...})."""
        stat = self.dir / "cpu.stat"
        return {k: int(v) for k, v in (line.split() for line in stat.read_text().splitlines())} \
            if stat.exists() else {}

    def remove(self):
        try:
            self.dir.rmdir()
        except OSError:
            pass
