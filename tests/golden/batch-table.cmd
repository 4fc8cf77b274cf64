"$NABLA" --batch -o table '(x + y) * z' z=-4 batch-points.csv
