"$NABLA" --batch --nodes --edges x
