"$NABLA" 'x*x + x' x=3
