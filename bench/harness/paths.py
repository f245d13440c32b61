"""Where the benchmarks find the project's tools and put their files."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "bench"
VENV = ROOT / ".venv"
SITE_PACKAGES = VENV / "lib" / "python3.11" / "site-packages"
TRITON_DIR = SITE_PACKAGES / "pytriton" / "tritonserver"
PERF_ANALYZER = VENV / "bin" / "perf_analyzer"
BASELINES = ROOT / "bench" / "baselines" / "python_backend"
DEFAULT_MODEL_DIR = ROOT / "models" / "all-MiniLM-L6-v2"
