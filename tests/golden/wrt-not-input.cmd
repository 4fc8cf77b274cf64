"$NABLA" --wrt=z 'x*2' x=1
