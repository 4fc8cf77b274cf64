"$NABLA" --batch --edges -o tsv '(x + y) * z' z=-4 batch-points.csv
