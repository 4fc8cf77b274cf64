"$NABLA" -o csv 'x - x + exp(x)' x=inf
