"$NABLA" --color=sometimes 'x' x=1
