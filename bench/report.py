#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The Courier developers
# SPDX-License-Identifier: MIT
"""Turns bench/run's raw results into tables (summary.md, also printed) and chart data (chart.dat).

usage: report.py RESULTS OUTDIR BIG_BYTES UPLOAD_BYTES
Each measurement is reported as its median over the repetitions with the spread (min-max).
"""
import statistics
import sys
from collections import defaultdict


def parse(path):
    rows = []
    with open(path) as f:
        for line in f:
            fields = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
            if fields and "failed" not in fields:
                rows.append(fields)
    return rows


def cell(values, fmt="{:.0f}"):
    if not values:
        return "n/a"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return (fmt + " ({}–{})").format(med, fmt.format(min(values)), fmt.format(max(values)))


def main():
    results, outdir, big, upload = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rows = parse(results)
    out = []
    engines = ["courier", "courier-curl", "qnam", "qnam-curl", "curl", "wrk"]
    names = {"courier": "Courier (Qt engine)", "courier-curl": "Courier (curl engine)", "qnam": "raw QNAM",
             "qnam-curl": "raw QNAM API on CurlAccessManager", "curl": "libcurl multi", "wrk": "wrk (ceiling)"}

    def ratio(proto, c, a, b):
        if rps[(proto, c, a)] and rps[(proto, c, b)]:
            return "{:.2f}".format(statistics.median(rps[(proto, c, a)]) / statistics.median(rps[(proto, c, b)]))
        return "n/a"

    rps = defaultdict(list)
    cpu = defaultdict(list)
    errors = defaultdict(int)
    for r in rows:
        if r.get("mode") != "small":
            continue
        key = (r["protocol"], int(r["concurrency"]), r["engine"])
        if r["engine"] == "wrk":
            rps[key].append(float(r["rps"]))
            continue
        n, secs = int(r["requests"]), float(r["seconds"])
        errors[key] += int(r["errors"])
        if secs > 0 and n > 0:
            rps[key].append(n / secs)
            cpu[key].append(float(r["cpu"]) / n * 1000)

    out.append("### Small requests: requests per second, median (min–max)\n")
    out.append("| protocol | in flight | " + " | ".join(names[e] for e in engines)
               + " | Courier / QNAM | Courier-curl / QNAM | Courier-curl / libcurl |")
    out.append("|---|---|" + "---|" * len(engines) + "---|---|---|")
    chart = []
    for proto in ["h1", "h2c", "https-h1", "https-h2"]:
        for c in [6, 50]:
            if not any((proto, c, e) in rps for e in engines):
                continue
            out.append("| {} | {} | {} | {} | {} | {} |".format(
                proto, c, " | ".join(cell(rps[(proto, c, e)]) for e in engines), ratio(proto, c, "courier", "qnam"),
                ratio(proto, c, "courier-curl", "qnam"), ratio(proto, c, "courier-curl", "curl")))
            chart.append("{}/{} {}".format(proto, c, " ".join(
                "{:.0f}".format(statistics.median(rps[(proto, c, e)])) if rps[(proto, c, e)] else "NaN" for e in engines)))
    out.append("\n### Small requests: CPU seconds per 1,000 requests (client process), median (min–max)\n")
    measured = engines[:5]
    out.append("| protocol | in flight | " + " | ".join(names[e] for e in measured) + " |")
    out.append("|---|---|" + "---|" * len(measured))
    for proto in ["h1", "h2c", "https-h1", "https-h2"]:
        for c in [6, 50]:
            if any(cpu[(proto, c, e)] for e in measured):
                out.append("| {} | {} | {} |".format(proto, c, " | ".join(cell(cpu[(proto, c, e)], "{:.3f}") for e in measured)))
    failed = {k: v for k, v in errors.items() if v}
    if failed:
        out.append("\nErrors: " + ", ".join("{} {} c={}: {}".format(k[2], k[0], k[1], v) for k, v in failed.items()))

    for mode, size in (("download", big), ("upload", upload)):
        out.append("\n### {}: {} MiB, median (min–max)\n".format(
            "Large download (read as it arrives)" if mode == "download" else "Upload (PUT streamed from a file)", size // 2**20))
        out.append("| client | MiB/s | peak RSS (MiB) |")
        out.append("|---|---|---|")
        for e in ["courier", "courier-curl", "qnam", "qnam-curl", "curl"]:
            if not any(r.get("mode") == mode and r["engine"] == e for r in rows):
                continue
            speed = [size / 2**20 / float(r["seconds"]) for r in rows
                     if r.get("mode") == mode and r["engine"] == e and float(r["seconds"]) > 0 and r["errors"] == "0"]
            rss = [int(r["peak_rss_kib"]) / 1024 for r in rows if r.get("mode") == mode and r["engine"] == e]
            label = {"curl": "curl (command line)"}.get(e, names[e])
            out.append("| {} | {} | {} |".format(label, cell(speed), cell(rss, "{:.1f}")))

    inflight = [r for r in rows if r.get("mode") == "inflight"]
    if inflight:
        out.append("\n### Many at once\n")
        out.append("| client | requests | errors | seconds | peak RSS (MiB) | RSS per request in flight |")
        out.append("|---|---|---|---|---|---|")
        for r in inflight:
            out.append("| {} | {} | {} | {:.2f} | {:.1f} | {:.1f} KiB |".format(
                names[r["engine"]], r["requests"], r["errors"], float(r["seconds"]),
                int(r["peak_rss_kib"]) / 1024, int(r.get("rss_per_inflight_bytes", 0)) / 1024))

    ir = {(r["engine"], int(r["requests"])): int(r["ir"]) for r in rows if r.get("mode") == "instructions" and r.get("ir")}
    if ("courier", 1000) in ir and ("qnam", 1000) in ir:
        counted = [e for e in ("courier", "courier-curl", "qnam", "qnam-curl") if (e, 1000) in ir]
        per = {e: (ir[(e, 1000)] - ir.get((e, 0), 0)) / 1000 for e in counted}
        out.append("\n### Instructions per request (callgrind, 1000 requests less start-up)\n")
        out.append("| client | instructions per request |")
        out.append("|---|---|")
        for e in counted:
            out.append("| {} | {:,.0f} |".format(names[e], per[e]))
        out.append("\nCourier's overhead over raw QNAM: {:+.1f} %".format((per["courier"] / per["qnam"] - 1) * 100))
        if "courier-curl" in per and "qnam-curl" in per:
            out.append("\nOn the libcurl engine, Courier over raw CurlAccessManager: {:+.1f} %; Courier-curl over "
                       "Qt's raw QNAM: {:+.1f} %".format((per["courier-curl"] / per["qnam-curl"] - 1) * 100,
                                                    (per["courier-curl"] / per["qnam"] - 1) * 100))

    text = "\n".join(out) + "\n"
    print(text)
    with open(outdir + "/summary.md", "w") as f:
        f.write(text)
    with open(outdir + "/chart.dat", "w") as f:
        f.write("# row " + " ".join(engines) + "\n" + "\n".join(chart) + "\n")


if __name__ == "__main__":
    main()
