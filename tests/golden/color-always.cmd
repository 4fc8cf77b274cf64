"$NABLA" --color=always 'x*y' x=2 y=3
