"$NABLA" --symbolic --nodes x
