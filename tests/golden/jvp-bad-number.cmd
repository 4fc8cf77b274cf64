"$NABLA" --jvp x=1,y=nan 'x*y' x=1 y=2
