"$NABLA" --frobnicate 'x'
