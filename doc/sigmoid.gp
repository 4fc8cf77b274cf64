# doc/sigmoid.gp - sigmoid(x) and its derivative from nabla --sweep, drawn
# by gnuplot (Debian: gnuplot-nox).  gnuplot runs nabla through a pipe
# ("< command") once per curve:
#   gnuplot doc/sigmoid.gp > sigmoid.svg
# tests/sweep_plot.sh renders it in `make check` when gnuplot is there.
set terminal svg size 640,400 font "sans,12" background "white"
set key autotitle columnhead left top
set grid
set xlabel "x"
plot "< nabla --sweep x=-6:6:121 -o tsv 's = sigmoid(x)'" \
     using 1:2 with lines linewidth 2 title "s = sigmoid(x)", \
     "" using 1:3 with lines linewidth 2 title "ds/dx = (1 - s) s"
