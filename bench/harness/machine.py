"""The machine a report was measured on, and small subprocess helpers."""
import hashlib
import os
import platform
import re
import subprocess


def run_text(cmd, **kwargs):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, **kwargs).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def sha256_short(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:12]


def machine_info():
    lscpu = run_text(["lscpu"])
    fields = dict(re.findall(r"^([^:\n]+):\s*(.*)$", lscpu, flags=re.M))
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    except (OSError, AttributeError):
        pass
    return {
        "cpu": fields.get("Model name", platform.processor() or "?"),
        "cpus": os.cpu_count(),
        "threads_per_core": fields.get("Thread(s) per core", "?"),
        "flags_avx512": "avx512f" in fields.get("Flags", ""),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": run_text(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
    }
