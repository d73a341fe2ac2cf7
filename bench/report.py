#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The Courier developers
# SPDX-License-Identifier: MIT
"""Turns bench/run's raw results into tables (summary.md, also printed) and chart data (chart.dat).

usage: report.py RESULTS OUTDIR BIG_BYTES UPLOAD_BYTES
       report.py --streams RESULTS OUTDIR      (the stream rows alone: OUTDIR/streams.md)
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


def stream_tables(rows):
    """The live-stream rows (courier-stream-bench): RSS over a long stream, and while paused."""
    out = []
    readers = {"eventsource": "EventSource", "events": "EventStreamReader", "lines": "JsonLinesReader"}
    engines = {"qt": "Qt", "curl": "libcurl"}
    keys = []
    for r in rows:
        if not r.get("mode", "").startswith("stream"):
            continue
        key = (r["mode"], r["engine"], r["reader"], r["count"])
        if key not in keys:
            keys.append(key)

    def values(key, field, scale=1.0):
        return [float(r[field]) * scale for r in rows if (r.get("mode"), r.get("engine"), r.get("reader"), r.get("count")) == key
                and field in r and r.get("errors") == "0"]

    plain = [k for k in keys if k[0] == "stream"]
    if plain:
        out.append("\n### Live streams: every item counted, RSS of the client (KiB), median (min–max)\n")
        out.append("| engine | reader | items | items/s | MiB/s | CPU s | RSS before | at 10 % | 50 % | 100 % | growth 10→100 % | highest after 10 % |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for key in plain:
            mibs = [float(r["bytes"]) / 2**20 / float(r["seconds"]) for r in rows
                    if (r.get("mode"), r.get("engine"), r.get("reader"), r.get("count")) == key
                    and r.get("errors") == "0" and float(r.get("bytes", -1)) > 0 and float(r["seconds"]) > 0]
            out.append("| {} | {} | {:,} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                engines.get(key[1], key[1]), readers.get(key[2], key[2]), int(key[3]),
                cell(values(key, "events_per_second"), "{:,.0f}"), cell(mibs, "{:.1f}"), cell(values(key, "cpu"), "{:.2f}"),
                cell(values(key, "rss_start_kib")), cell(values(key, "rss_10_kib")), cell(values(key, "rss_50_kib")), cell(values(key, "rss_100_kib")),
                cell(values(key, "growth_kib"), "{:+.0f}"), cell(values(key, "rss_max_kib"))))
    paused = [k for k in keys if k[0] == "stream-paused"]
    if paused:
        pauses = sorted({int(v) for k in paused for v in values(k, "pause_ms")})
        out.append("\n### Live streams: the reader paused at 10 % for {} ms while the server goes on sending, "
                   "median (min–max)\n".format(", ".join(str(p) for p in pauses)))
        out.append("| engine | reader | RSS at the pause (KiB) | highest while paused | growth | "
                   "Courier took while paused (KiB) | the server had sent (MiB) | growth 10→100 % |")
        out.append("|---|---|---|---|---|---|---|---|")
        for key in paused:
            took = [float(r["received_bytes_pause_end"]) - float(r["received_bytes_pause_start"]) for r in rows
                    if (r.get("mode"), r.get("engine"), r.get("reader"), r.get("count")) == key and r.get("errors") == "0"]
            out.append("| {} | {} | {} | {} | {} | {} | {} of {} | {} |".format(
                engines.get(key[1], key[1]), readers.get(key[2], key[2]),
                cell(values(key, "rss_pause_start_kib")), cell(values(key, "rss_pause_max_kib")),
                cell(values(key, "pause_growth_kib"), "{:+.0f}"), cell([t / 1024 for t in took]),
                cell(values(key, "server_sent_pause_end", 1 / 2**20), "{:.1f}"),
                cell(sorted(set(values(key, "bytes", 1 / 2**20))), "{:.1f}"), cell(values(key, "growth_kib"), "{:+.0f}")))
    failed = [r for r in rows if r.get("mode", "").startswith("stream") and r.get("errors") != "0"]
    if failed:
        out.append("\nFailed: " + ", ".join("{} {} {}: {} of {}".format(r["mode"], r["engine"], r["reader"], r["received"], r["count"])
                                          for r in failed))
    return out


def streams_only(results, outdir):
    text = "\n".join(stream_tables(parse(results))).lstrip("\n") + "\n"
    print(text)
    with open(outdir + "/streams.md", "w") as f:
        f.write(text)


def main():
    if sys.argv[1] == "--streams":
        streams_only(sys.argv[2], sys.argv[3])
        return
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

    # Courier against the raw API of the same engine; the libcurl engine against bare libcurl.
    ratios = [("courier", "qnam"), ("courier-curl", "qnam-curl"), ("qnam-curl", "curl"), ("courier-curl", "curl")]
    ratio_names = ["Courier / raw QNAM (Qt engine)", "Courier / raw API (curl engine)",
                   "raw API on CurlAccessManager / libcurl", "Courier-curl / libcurl"]
    out.append("### Small requests: requests per second, median (min–max)\n")
    out.append("| protocol | in flight | " + " | ".join(names[e] for e in engines) + " | " + " | ".join(ratio_names) + " |")
    out.append("|---|---|" + "---|" * (len(engines) + len(ratios)))
    chart = []
    for proto in ["h1", "h2c", "https-h1", "https-h2"]:
        for c in [6, 50]:
            if not any((proto, c, e) in rps for e in engines):
                continue
            out.append("| {} | {} | {} | {} |".format(
                proto, c, " | ".join(cell(rps[(proto, c, e)]) for e in engines),
                " | ".join(ratio(proto, c, a, b) for a, b in ratios)))
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
    streams = sorted({c for (proto, c, e) in rps if proto == "https-h2" and c > 50})
    if streams:
        conns = defaultdict(list)
        for r in rows:
            if r.get("mode") == "small" and "connections" in r:
                conns[(r["protocol"], int(r["concurrency"]), r["engine"])].append(int(r["connections"]))
        for c in streams:
            out.append("\n### HTTP/2 over TLS, {} streams in flight on one connection: median (min–max)\n".format(c))
            out.append("| client | requests per second | CPU s per 1,000 requests | connections | / raw API of its engine | / libcurl |")
            out.append("|---|---|---|---|---|---|")
            raw = {"courier": "qnam", "courier-curl": "qnam-curl"}
            for e in measured:
                key = ("https-h2", c, e)
                if not rps[key]:
                    continue
                out.append("| {} | {} | {} | {} | {} | {} |".format(
                    names[e], cell(rps[key]), cell(cpu[key], "{:.3f}"), cell(conns[key]),
                    ratio("https-h2", c, e, raw[e]) if e in raw else "", ratio("https-h2", c, e, "curl") if e != "curl" else ""))
    failed = {k: v for k, v in errors.items() if v}
    if failed:
        out.append("\nErrors: " + ", ".join("{} {} c={}: {}".format(k[2], k[0], k[1], v) for k, v in failed.items()))

    medians = {}
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
            medians[(mode, e)] = statistics.median(speed) if speed else None
        for a, b in (("courier", "qnam"), ("courier-curl", "qnam-curl")):
            if medians.get((mode, a)) and medians.get((mode, b)):
                out.append("\n{} / {}: {:.2f}".format(names[a], names[b], medians[(mode, a)] / medians[(mode, b)]))

    inflight = [r for r in rows if r.get("mode") == "inflight"]
    if inflight:
        out.append("\n### Many at once\n")
        out.append("| client | requests | errors | seconds | peak RSS (MiB) | RSS per request in flight |")
        out.append("|---|---|---|---|---|---|")
        for r in inflight:
            out.append("| {} | {} | {} | {:.2f} | {:.1f} | {:.1f} KiB |".format(
                names[r["engine"]], r["requests"], r["errors"], float(r["seconds"]),
                int(r["peak_rss_kib"]) / 1024, int(r.get("rss_per_inflight_bytes", 0)) / 1024))
        per = {r["engine"]: int(r.get("rss_per_inflight_bytes", 0)) / 1024 for r in inflight}
        for a, b in (("courier", "qnam"), ("courier-curl", "qnam-curl")):
            if a in per and b in per:
                out.append("\n{} over {}: {:+.1f} KiB per request in flight".format(names[a], names[b], per[a] - per[b]))

    first = defaultdict(list)
    for r in rows:
        if r.get("mode") == "first" and r["errors"] == "0":
            first[r["engine"]].append(float(r["cpu"]) * 1000)
    if first:
        out.append("\n### First HTTPS request trusting a private CA besides the system's: CPU ms from start-up, median (min–max)\n")
        out.append("| client | CPU (ms) |")
        out.append("|---|---|")
        for e in ["courier", "courier-curl", "qnam", "qnam-curl"]:
            if first[e]:
                out.append("| {} | {} |".format(names[e], cell(first[e], "{:.1f}")))

    ir = {(r["engine"], int(r["requests"])): int(r["ir"]) for r in rows if r.get("mode") == "instructions" and r.get("ir")}
    if ("courier", 1000) in ir and ("qnam", 1000) in ir:
        counted = [e for e in ("courier", "courier-curl", "qnam", "qnam-curl", "curl") if (e, 1000) in ir]
        per = {e: (ir[(e, 1000)] - ir.get((e, 0), 0)) / 1000 for e in counted}
        out.append("\n### Instructions per request (callgrind, h1, 1,000 requests less start-up)\n")
        out.append("| client | instructions per request | over the raw API of its engine |")
        out.append("|---|---|---|")
        raw = {"courier": "qnam", "courier-curl": "qnam-curl", "qnam-curl": "curl"}
        for e in counted:
            over = "{:+.1f} %".format((per[e] / per[raw[e]] - 1) * 100) if raw.get(e) in per else ""
            out.append("| {} | {:,.0f} | {} |".format(names[e], per[e], over))
        out.append("\n(the raw API on CurlAccessManager's line compares it with bare libcurl)")

    out.extend(stream_tables(rows))

    text = "\n".join(out) + "\n"
    print(text)
    with open(outdir + "/summary.md", "w") as f:
        f.write(text)
    with open(outdir + "/chart.dat", "w") as f:
        f.write("# row " + " ".join(engines) + "\n" + "\n".join(chart) + "\n")


if __name__ == "__main__":
    main()
