"$NABLA" --wrt=x,x 'x*y' x=1 y=2
