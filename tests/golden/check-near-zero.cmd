"$NABLA" --check --tol 0 'sin(x) * y' x=1.5707963267948966 y=2
