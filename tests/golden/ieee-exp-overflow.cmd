"$NABLA" -o csv 'exp(x) - exp(x)' x=1000
