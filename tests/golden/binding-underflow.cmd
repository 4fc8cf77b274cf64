"$NABLA" 'x*2' x=1e-999
