"$NABLA" --forward --hvp x=1 'x*y' x=1 y=2
