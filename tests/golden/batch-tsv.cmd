"$NABLA" --batch --input tsv -o tsv 'x * y'
