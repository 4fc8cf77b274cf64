"$NABLA" --batch 'x * y' no-such-file.csv
