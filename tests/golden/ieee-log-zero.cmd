"$NABLA" -o csv 'log(x)' x=0
