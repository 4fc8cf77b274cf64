"$NABLA" --symbolic --batch x
