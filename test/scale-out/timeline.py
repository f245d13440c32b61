"""Throughput over time from the load's outcomes and the scenario's events:
1 s buckets, mean throughput per phase, the dip after the kill and the time
the throughput took to come back."""
import math

# Throughput counts as recovered once the 3 s moving mean of good responses
# per second reaches this share of the steady mean before the kill.
RECOVERED_SHARE = 0.8
MOVING_WINDOW_S = 3


def buckets(outcomes, path, end_s):
    """Per second (by completion time): good responses, failures, good
    responses per model version and per replica."""
    n = int(math.ceil(end_s))
    rows = [{"t": i, "ok": 0, "failed": 0, "versions": {}, "replicas": {}} for i in range(n)]
    for o in outcomes:
        if o.path != path or o.end is None:
            continue
        b = rows[min(n - 1, int(o.end))]
        if o.kind == "ok":
            b["ok"] += 1
            b["versions"][o.version] = b["versions"].get(o.version, 0) + 1
            b["replicas"][o.served_by] = b["replicas"].get(o.served_by, 0) + 1
        else:
            b["failed"] += 1
    return rows


def rate(outcomes, path, start_s, end_s):
    """Good responses per second completed in [start_s, end_s)."""
    if end_s <= start_s:
        return None
    count = sum(1 for o in outcomes if o.path == path and o.kind == "ok" and start_s <= o.end < end_s)
    return count / (end_s - start_s)


def served_by(outcomes, path, start_s, end_s):
    counts = {}
    for o in outcomes:
        if o.path == path and o.kind == "ok" and start_s <= o.end < end_s:
            counts[o.served_by] = counts.get(o.served_by, 0) + 1
    return dict(sorted(counts.items()))


def versions(outcomes, path, start_s, end_s):
    counts = {}
    for o in outcomes:
        if o.path == path and o.kind == "ok" and start_s <= o.end < end_s:
            counts[o.version] = counts.get(o.version, 0) + 1
    return dict(sorted(counts.items()))


def recovery(rows, before_rate, kill_s, until_s):
    """The dip (lowest 1 s bucket from the kill on, as a share of the steady
    rate) and the seconds from the kill until the moving mean last came back
    to RECOVERED_SHARE of it and stayed there until until_s (0 when it never
    fell below)."""
    first, last = int(kill_s), int(until_s)
    window = rows[first:last]
    if not window or not before_rate:
        return {"recovered_share": RECOVERED_SHARE, "dip_min_bucket_share": None, "recovered_after_s": None}
    dip = min(b["ok"] for b in window) / before_rate
    recovered_at = None  # the start of the last stretch that stays recovered
    for i in range(first, last - MOVING_WINDOW_S + 1):
        mean = sum(b["ok"] for b in rows[i:i + MOVING_WINDOW_S]) / MOVING_WINDOW_S
        if mean >= RECOVERED_SHARE * before_rate:
            if recovered_at is None:
                recovered_at = i
        else:
            recovered_at = None
    return {
        "recovered_share": RECOVERED_SHARE,
        "dip_min_bucket_share": round(dip, 3),
        "recovered_after_s": None if recovered_at is None else max(0.0, round(recovered_at - kill_s, 1)),
    }
