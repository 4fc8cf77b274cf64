"$NABLA" --batch -o tsv 'x * y' batch-files-a.csv - batch-files-b.csv <batch-files-b.csv
