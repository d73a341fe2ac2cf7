# SPDX-FileCopyrightText: 2026 The Courier developers
# SPDX-License-Identifier: MIT
#
# Requests per second for small GETs, per protocol and requests in flight, one bar per client.
# gnuplot -e "datafile='chart.dat'; output='performance.png'" chart.gp
set terminal pngcairo size 1300,520 font "DejaVu Sans,10"
set output output
set title "1 KiB GETs against one local nginx worker: requests per second (median)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "requests per second"
set yrange [0:*]
set grid ytics
set key outside right top vertical
set xtics rotate by -20
# chart.dat columns: row, Courier (Qt engine), Courier (curl engine), raw QNAM, raw QNAM API on
# CurlAccessManager, libcurl multi, wrk. A client without numbers (NaN) gets no bar.
set datafile missing "NaN"
plot datafile using 2:xtic(1) title "Courier (Qt engine)", '' using 3 title "Courier (curl engine)", \
     '' using 4 title "raw QNAM", '' using 5 title "QNAM API on CurlAccessManager", \
     '' using 6 title "libcurl multi", '' using 7 title "wrk (ceiling)"
