"$NABLA" --hessian -o csv 'x^3 * y + sin(x * y)' x=1 y=2
