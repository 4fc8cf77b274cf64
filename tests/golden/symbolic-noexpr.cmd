"$NABLA" --symbolic
