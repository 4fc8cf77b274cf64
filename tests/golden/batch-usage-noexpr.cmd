"$NABLA" --batch
