"$NABLA" --jvp q=1 'x*y' x=1 y=2
