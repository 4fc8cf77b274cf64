"$NABLA" 'x*2' x=1 y=2
