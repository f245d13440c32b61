"""Progress lines and the error that ends a run."""
import time

T0 = time.monotonic()


def say(message):
    elapsed = time.monotonic() - T0
    print(f"[bench {int(elapsed) // 60:02d}:{int(elapsed) % 60:02d}] {message}", flush=True)


class BenchError(RuntimeError):
    pass
