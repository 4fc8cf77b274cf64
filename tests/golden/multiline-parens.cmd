"$NABLA" 'f = (x +
  y) *
  z' x=1 y=2 z=3
