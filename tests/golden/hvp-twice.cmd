"$NABLA" --hvp x=1,x=2 'x*y' x=1 y=2
