"$NABLA" --jvp x 'x*y' x=1 y=2
