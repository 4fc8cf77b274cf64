"$NABLA" -o csv 'pow(x, y) + x^y' x=0 y=0
