"$NABLA" -o dot --hessian 'x*y' x=1 y=2
