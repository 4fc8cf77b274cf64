"$NABLA" --batch '(x + y) * z' z=-4 - <batch-points.csv
