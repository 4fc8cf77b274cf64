"$NABLA" --hessian -o csv 'x/y' x=1.37e-300 y=-1.40e-200
