"$NABLA" --emit java x
