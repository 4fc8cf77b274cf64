"$NABLA" --emit c x x=1
