"$NABLA" -o json 'x + 1' x=nan
