"$NABLA" --symbolic 'x +'
