"""What the CPU benchmarks share: bench/run.py (ours against the Python
backend) and bench/precision/run.py (ours at f32, bf16, int8)."""
