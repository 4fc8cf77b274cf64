"$NABLA" --jvp x=1 --wrt x 'x*y' x=1 y=2
