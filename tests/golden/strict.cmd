"$NABLA" --strict 'log(x)' x=-1
