"$NABLA" --hvp x=1 -o tsv 'x^3 * y + sin(x * y)' x=1 y=2
