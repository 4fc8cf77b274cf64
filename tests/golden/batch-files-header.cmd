"$NABLA" --batch 'x * y' batch-files-a.csv batch-points.csv
