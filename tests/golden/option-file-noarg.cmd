"$NABLA" -f
