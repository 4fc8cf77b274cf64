"$NABLA" 'x*2' x=abc
