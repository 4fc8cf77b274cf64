"$NABLA" --batch --no-echo --wrt z,x '(x + y) * z' z=-4 batch-points.csv
