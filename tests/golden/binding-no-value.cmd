"$NABLA" 'x*2' x=
