"$NABLA" --symbolic -o json x
