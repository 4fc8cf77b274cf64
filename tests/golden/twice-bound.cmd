"$NABLA" 'x*2' x=1 x=2
