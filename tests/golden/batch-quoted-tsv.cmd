"$NABLA" --batch -o tsv 'x + y' <batch-quoted.in
