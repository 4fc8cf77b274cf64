"$NABLA" --batch --nodes '(x + y) * z' z=-4 batch-points.csv
