"$NABLA" --check -o tsv 'x^2 / y' x=3 y=4
